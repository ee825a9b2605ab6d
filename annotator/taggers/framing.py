"""The frame and technique layers: how an article frames its topic, and which words push the reader.

- technique: per body paragraph, the transparent cues of annotator/cues.py (lexicons, scare quotes,
  repetition) give a score per technique; when a technique head is promoted, it reads the paragraph's
  embedding beside those cue scores and its calibrated probability is the score. Each cue that supports
  a technique is one annotation on the cue's words (the phrase), with the paragraph's score; a technique
  the head finds with no cue word is one annotation on the paragraph. `speaker` is set when the words
  sit inside a quotation: the outlet reporting «belliqueuse» from Moscow is not the outlet saying it.
- frame: article level, from the frame head over the body's embedding and frame-word densities, or
  from the densities alone when no head is promoted; the cue is the frame's most frequent words.

Scores are mapped so that 0.5 is the shown threshold for every label (a head's own per-label
threshold, chosen out of fold, maps to 0.5), and only what reaches it is written: `evaluate` scores the
same decision (annotator.learning.features.shown_scores). Labels the user hides ([framing] hidden in
the settings) are never written; no label is hidden otherwise.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any

from annotator import cues, taxonomy
from annotator.document import Document
from annotator.learning.features import SHOWN, design, hidden_labels, shown_scores
from annotator.record import Annotation
from annotator.speakers import speakers_of
from annotator.taggers import PARSE, agent

log = logging.getLogger(__name__)



class FramingTagger:
    name = "framing"
    version = "2026-11-25.1"
    # the parse for the sentences that bound a scare quote's speaker; the quotes for their speakers
    reads = (PARSE, taxonomy.STRUCTURE, f"{taxonomy.PROVENANCE}/quote")
    writes = (taxonomy.TECHNIQUE, taxonomy.FRAME)

    def __init__(self, heads: bool = True) -> None:
        self.heads = heads
        self._loaded = False
        self._technique: Any = None
        self._frame: Any = None
        self._encoder: Any = None

    # -- models ------------------------------------------------------------------------------------
    def _load(self) -> None:
        self._loaded = True
        if not self.heads:
            return
        from annotator.learning.encoders import annotation_encoder
        from annotator.learning.registry import Registry, RegistryError

        registry = Registry()
        for layer in (taxonomy.TECHNIQUE, taxonomy.FRAME):
            try:
                model = registry.load(layer)
            except (RegistryError, FileNotFoundError) as exc:
                # a promoted head refused (a file changed since it was saved, E016) is worth a warning
                (log.warning if registry.promoted(layer) else log.info)("%s head off, cues alone: %s", layer,
                                                                         exc)
                continue
            if str(model.info.get("features", "")).startswith("embedding+cues"):
                setattr(self, f"_{layer}", model)
            else:
                log.warning("%s %s was not trained on cue features; cues alone", layer, model.version)
        if self._technique is not None or self._frame is not None:
            self._encoder = annotation_encoder()

    def agent_of(self, model: Any) -> str:
        return f"{agent(self)}+{model.layer}@{model.version}" if model is not None else agent(self)

    def current_agents(self) -> dict[tuple[str, str], str]:
        """Techniques and frames carry the agent of their own head (or the tagger's alone, cues only)."""
        if not self._loaded:
            self._load()
        return {(self.name, taxonomy.TECHNIQUE): self.agent_of(self._technique),
                (self.name, taxonomy.FRAME): self.agent_of(self._frame)}

    # -- tagging -----------------------------------------------------------------------------------
    def tag(self, document: Document) -> list[Annotation]:
        if not self._loaded:
            self._load()
        paragraphs = document.body_paragraphs()
        if not paragraphs:
            return []
        return self._techniques(document, paragraphs) + self._frames(document, paragraphs)

    def _techniques(self, document: Document, paragraphs: list[tuple[int, int]]) -> list[Annotation]:
        text, language = document.text, document.language
        hits = [cues.technique_hits(text, language, s, e) for s, e in paragraphs]
        scores = [cues.noisy_or(h) for h in hits]
        hidden = hidden_labels()
        if self._technique is not None:
            X = design(taxonomy.TECHNIQUE, [text[s:e] for s, e in paragraphs], [language] * len(paragraphs),
                       self._encoder, cue_scores=cues.technique_matrix(scores))
            combined = shown_scores(self._technique, X, hidden)
            scores = [{label: float(combined[i, j]) for j, label in enumerate(self._technique.labels)
                       if combined[i, j] > 0} for i in range(len(paragraphs))]
        else:
            scores = [{label: v for label, v in found.items() if label not in hidden} for found in scores]
        voices = _Voices(document)
        who = self.agent_of(self._technique)
        out: list[Annotation] = []
        for i, (start, end) in enumerate(paragraphs):
            final = scores[i]
            by_label: dict[str, list[cues.Hit]] = {}
            for h in hits[i]:
                by_label.setdefault(h.label, []).append(h)
            for label, score in final.items():
                if score < SHOWN:
                    continue
                group = taxonomy.TECHNIQUE_GROUP_OF[label]
                found = by_label.get(label, [])
                if found:
                    for h in found:
                        attributes: dict[str, Any] = {"group": group, "cue": h.cue}
                        speaker = voices.of(h.start, h.end)
                        if speaker:
                            attributes["speaker"] = speaker
                        out.append(Annotation(taxonomy.TECHNIQUE, label, h.start, h.end,
                                              text[h.start : h.end], round(score, 4), who, attributes))
                else:
                    attributes = {"group": group, "cue": "the paragraph as a whole (model)",
                                  "level": "paragraph"}
                    out.append(Annotation(taxonomy.TECHNIQUE, label, start, end, text[start:end],
                                          round(score, 4), who, attributes))
        return out

    def _frames(self, document: Document, paragraphs: list[tuple[int, int]]) -> list[Annotation]:
        text, language = document.text, document.language
        body = "\n".join(text[s:e] for s, e in paragraphs)
        # the body as the frame head was trained on it: the same text, the same densities
        scores, hits = cues.frame_scores(body, language)
        hidden = hidden_labels()
        if self._frame is not None:
            shown = shown_scores(self._frame, design(taxonomy.FRAME, [body], [language], self._encoder),
                                 hidden)[0]
            # the head decides; the frame words only name the cue
            scores = {label: float(shown[j]) for j, label in enumerate(self._frame.labels)}
        else:
            scores = {label: v for label, v in scores.items() if label not in hidden}
        words: dict[str, Counter[str]] = {}
        for h in hits:
            words.setdefault(h.label, Counter())[h.cue.lower()] += 1
        who = self.agent_of(self._frame)
        out = []
        for label, score in sorted(scores.items(), key=lambda kv: -kv[1]):
            if score < SHOWN:
                continue
            top = [w for w, _ in words.get(label, Counter()).most_common(3)]
            attributes = {"cue": ", ".join(top) if top else "the article as a whole (model)"}
            out.append(Annotation(taxonomy.FRAME, label, None, None, None, round(score, 4), who, attributes))
        return out


_PASSIVE_AGENT = re.compile(r"\b(?:par|by|von|por|da)\s+(?P<who>(?:(?:le|la|les|l['’]|the)\s*)?"
                            r"[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,3})")
_PRONOUN = re.compile(r"\b(?:il|elle|ils|elles|he|she|they|er|sie)\b", re.IGNORECASE)


class _Voices:
    """Whose words a span is: the speaker of the quotation around it, or, for words in scare quotes,
    the party the sentence says called them so («dénoncée par Moscou comme «belliqueuse»»)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.quotes = [(a.start, a.end, a.attributes.get("speaker")) for a in document.annotations
                       if a.layer == taxonomy.PROVENANCE and a.label == "quote" and a.span]
        self.scare = {}  # (start, end) of each scare quote -> its speaker or None
        self._speakers: Any = None

    def of(self, start: int, end: int) -> str | None:
        for s, e, speaker in self.quotes:
            if s <= start and end <= e:
                return str(speaker) if speaker else None
        for (s, e), speaker in self.scare.items():
            if s <= start and end <= e:
                return speaker
        inner = cues._QUOTED.match(self.document.text, start)  # the span is itself a scare quote
        if inner and inner.end() >= end:
            self.scare[(start, inner.end())] = speaker = self._qualifier(start)
            return speaker
        enclosing = next((m for m in cues._QUOTED.finditer(self.document.text, max(0, start - 90), end + 90)
                          if m.start() < start and end <= m.end()), None)
        if enclosing:
            self.scare[(enclosing.start(), enclosing.end())] = speaker = self._qualifier(enclosing.start())
            return speaker
        return None

    def _qualifier(self, at: int) -> str | None:
        """The party whose words the quoted term is: named by a passive agent or as the subject of a
        verb of calling or denouncing earlier in the same sentence; None when the outlet itself speaks."""
        text, language = self.document.text, self.document.language
        sentence_start = max((s for s, e in self.document.sentences if s <= at), default=max(0, at - 300))
        window = text[sentence_start:at]
        verbs = cues.lexicon()["scare_quotes"]["qualifying_verbs"].get(language) or []
        verb = None
        for m in re.finditer(r"(?<!\w)(?:" + "|".join(verbs) + r")", window, re.IGNORECASE) if verbs else ():
            verb = m
        if verb is None:
            return None
        if self._speakers is None:
            self._speakers = speakers_of(self.document)
        passive = _PASSIVE_AGENT.search(window, verb.end())
        if passive:
            who = re.sub(r"^(?:le|la|les|l['’]|the)\s*", "", passive.group("who"), flags=re.IGNORECASE)
            return self._speakers.full_name(who)
        named = self._speakers.named_in(sentence_start, sentence_start + verb.start())
        if named:
            return str(named[0])
        if _PRONOUN.search(window[: verb.start()]):
            earlier = [p for p in self._speakers.people if p.end <= at]
            if earlier:
                return str(self._speakers.full_name(earlier[-1].name))
        return None
