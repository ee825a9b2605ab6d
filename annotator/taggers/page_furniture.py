"""Page furniture: consent banners, legal notices, paywalls, credits lines, follow/share lines and
read-more boxes that come with a pasted or extracted article.

They are marked, not removed: the text stays as the analyst gave it, and the claim, frame and technique
layers skip the marked spans. Lines are judged one by one from the cues in
data/lexicons/page_furniture.json, then furniture is grown into the short lines around it (a banner's
"OK" button, a slogan between two promo lines), because furniture comes in blocks and body text does not
hide inside them. Short lines at the page's edges are left alone unless furniture stands on both
sides: a short dispatch is all short lines, and none of it is furniture.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator import paths, taxonomy
from annotator.document import Document
from annotator.record import Annotation
from annotator.taggers import agent, rules_agents

SURE, MAYBE = 0.95, 0.6
ABSORBED = 0.75
_BULLETS = re.compile(r"^[\s\-–—•·*>|»«\"'“”(\[]+")
_WORD = re.compile(r"\w+", re.UNICODE)
_FILLER_END = re.compile(r"[.!?…;]$")


@dataclass
class Verdict:
    kind: str  # related_link | promo | consent | legal | paywall | media_credit | block
    sure: bool
    cue: str
    cue_only: bool = False  # a read-more heading alone on its line: the next line is its link


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.UNICODE)


class PageFurnitureTagger:
    name = "page_furniture"
    reads: tuple[str, ...] = ()  # raw lines: it runs before the parse, which then skips what it marks
    writes = (taxonomy.STRUCTURE, f"{taxonomy.PROVENANCE}/promo", f"{taxonomy.PROVENANCE}/related_link")

    def __init__(self, lexicon: Path | None = None) -> None:
        spec: dict[str, Any] = json.loads((lexicon or paths.LEXICONS / "page_furniture.json")
                                          .read_text("utf-8"))
        self.version: str = spec["version"]
        self.labels = {kind: tuple(spec[kind]["label"]) for kind in
                       ("related_link", "promo", "consent", "legal", "paywall", "media_credit")}
        self.labels["block"] = (taxonomy.STRUCTURE, "boilerplate")
        self.max_chars = {kind: spec[kind].get("max_chars", 10**9) for kind in self.labels if kind in spec}
        self.start = {kind: re.compile(rf"^(?:{_compile(spec[kind]['start']).pattern})",
                                       re.IGNORECASE | re.UNICODE)
                      for kind in ("related_link", "promo", "media_credit")}
        self.anywhere = {kind: _compile(spec[kind]["any"]) for kind in ("legal", "paywall")}
        self.channels = _compile(spec["promo"]["channels"])
        self.share_words = {w.lower() for w in spec["promo"]["share_words"]}
        consent = spec["consent"]
        self.consent_strong = [re.compile(p, re.IGNORECASE | re.UNICODE) for p in consent["strong"]]
        self.consent_context = [re.compile(p, re.IGNORECASE | re.UNICODE) for p in consent["context"]]
        self.consent_address = _compile(consent["address"])
        self.consent_buttons = _compile(consent["buttons"])

    # -- one line --------------------------------------------------------------------------------
    def classify(self, line: str) -> Verdict | None:
        text = line.strip()
        lead = _BULLETS.sub("", text)
        size = len(text)
        if size <= self.max_chars["related_link"] and (m := self.start["related_link"].match(lead)):
            rest = lead[m.end():].strip(" :–—-…»").strip()
            return Verdict("related_link", True, m.group(), cue_only=not rest)
        m = self.start["promo"].match(lead) if size <= self.max_chars["promo"] else None
        if m and (size <= 80 or self.channels.search(lead)):
            return Verdict("promo", True, m.group())
        tokens = [t.lower() for t in _WORD.findall(text)]
        if tokens and len(tokens) <= 10 and all(t in self.share_words for t in tokens):
            return Verdict("promo", True, text)
        consent = self._consent(text, len(tokens))
        if consent and consent.sure:
            return consent
        for kind in ("paywall", "legal"):
            if size <= self.max_chars[kind] and (m := self.anywhere[kind].search(text)):
                return Verdict(kind, True, m.group())
        if size <= self.max_chars["media_credit"] and (m := self.start["media_credit"].match(lead)):
            return Verdict("media_credit", True, m.group())
        return consent

    def _consent(self, text: str, n_tokens: int) -> Verdict | None:
        strong = [m.group() for p in self.consent_strong if (m := p.search(text))]
        if strong:
            context = sum(1 for p in self.consent_context if p.search(text))
            # A banner addresses the reader or speaks as the site; a news story about cookie law does
            # neither, so without that it is only a candidate, kept when it sits by a sure banner line.
            sure = bool(self.consent_address.search(text)) and (len(strong) + context >= 2 or n_tokens <= 25)
            return Verdict("consent", sure, strong[0])
        if self.consent_buttons.search(text):
            return Verdict("consent", False, text)
        return None

    def current_agents(self) -> dict[tuple[str, str], str]:
        return rules_agents(self)

    # -- the page --------------------------------------------------------------------------------
    def tag(self, document: Document) -> list[Annotation]:
        text, lines = document.text, document.paragraphs
        verdicts = [self.classify(text[s:e]) for s, e in lines]
        scores = [SURE if v and v.sure else None for v in verdicts]
        n = len(lines)

        # Candidates next to a sure banner line join the banner (repeat: banners span many lines).
        changed = True
        while changed:
            changed = False
            for i, v in enumerate(verdicts):
                if v and not v.sure and scores[i] is None:
                    near = range(max(0, i - 2), min(n, i + 3))
                    if any(scores[j] is not None and verdicts[j] and verdicts[j].kind == v.kind
                           for j in near):
                        scores[i] = MAYBE
                        changed = True

        # A read-more heading alone on its line: the following line is the link it introduces.
        for i, v in enumerate(verdicts):
            if (v and v.cue_only and i + 1 < n and scores[i + 1] is None
                    and lines[i + 1][1] - lines[i + 1][0] <= 200):
                verdicts[i + 1] = Verdict("related_link", True, v.cue)
                scores[i + 1] = ABSORBED

        def is_filler(i: int) -> bool:
            line = text[lines[i][0] : lines[i][1]]
            return len(line) <= 90 and len(line.split()) <= 10 and not _FILLER_END.search(line)

        marked = [i for i in range(n) if scores[i] is not None]
        # Fillers between two furniture lines belong to the furniture.
        for a, b in itertools.pairwise(marked):
            if b - a > 1 and all(is_filler(k) for k in range(a + 1, b)):
                kind = verdicts[a].kind if verdicts[a].kind == verdicts[b].kind else "block"  # type: ignore[union-attr]
                for k in range(a + 1, b):
                    verdicts[k], scores[k] = Verdict(kind, True, "between furniture lines"), ABSORBED
        return self._annotations(document, verdicts, scores)

    def _annotations(self, document: Document, verdicts: list[Verdict | None],
                     scores: list[float | None]) -> list[Annotation]:
        out: list[Annotation] = []
        rules = agent(self)
        for (start, end), verdict, score in zip(document.paragraphs, verdicts, scores, strict=True):
            if verdict is None or score is None:
                continue
            layer, label = self.labels[verdict.kind]
            last = out[-1] if out else None
            # Consecutive lines of one kind are one block: one label for the analyst to review.
            if (last is not None and last.layer == layer and last.label == label
                    and last.attributes["kind"] == verdict.kind and last.end is not None
                    and not document.text[last.end : start].strip()):
                last.end = end
                last.text = document.text[last.start : end]  # type: ignore[index]
                last.score = max(last.score or 0.0, score)  # the block is as sure as its surest line
                continue
            out.append(Annotation(layer=layer, label=label, start=start, end=end,
                                  text=document.text[start:end], score=score, agent=rules,
                                  attributes={"kind": verdict.kind, "cue": verdict.cue}))
        return out
