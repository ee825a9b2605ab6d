"""The claim tagger: the rules of each sentence, the check-worthiness gate and the learned claim head."""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any

from annotator import taxonomy
from annotator.document import Document
from annotator.record import Annotation
from annotator.speakers import speakers_of
from annotator.taggers import PARSE, agent
from annotator.taggers.claims import languages
from annotator.taggers.claims.conditional import reported_conditionals
from annotator.taggers.claims.language import Finding, Language
from annotator.taggers.claims.sources import find_sources

log = logging.getLogger(__name__)

_QUESTION = re.compile(r"\?\s*$")
MIN_LEARNED = 3  # a label the claim head saw fewer times as yes (or as no) stays with the rules


class ClaimTagger:
    name = "claims"
    version = "2026-11-25.1"
    # the parse (morphology, the subject of a reporting verb); the furniture, which it skips; the quotes
    # and their speakers, each a single_source claim
    reads = (PARSE, taxonomy.STRUCTURE, f"{taxonomy.PROVENANCE}/quote")
    writes = (taxonomy.CLAIM,)

    def __init__(self, check_worthiness: bool = True, registry: Any = None, learned: bool = True) -> None:
        """``registry``: where the heads are (default: the project's models/); ``learned``: use the
        promoted `claim` head trained from analysts' answers, when there is one."""
        self.check_worthiness = check_worthiness
        self.learned = learned
        self._registry = registry
        self._model: Any = None
        self._claim: Any = None  # the promoted claim head, trained from analysts' answers
        self._claim_labels: dict[str, int] = {}  # the labels it learned (enough of both classes): column
        self._encoder: Any = None
        self._model_loaded = False

    # -- the document ------------------------------------------------------------------------------
    def tag(self, document: Document) -> list[Annotation]:
        text = document.text
        language = languages.get(document.language)
        speakers = speakers_of(document)
        quotes = [a for a in document.annotations if a.label == "quote" and a.start is not None]
        counts = Counter(speakers.full_name(p.name) for p in speakers.people)
        top = counts.most_common(2)
        prominent = top[0][0] if top and top[0][1] >= 3 and (len(top) == 1 or top[0][1] > top[1][1]) else None
        out: list[Annotation] = []
        voice: list[tuple[int, int]] = []  # sentences in the outlet's own voice
        # A quotation carries a claim when it has factual content: «Je voudrais remercier les bénévoles»
        # or «Pourriez-vous répéter la question ?» rest on no one's word about a fact
        factual = self._factual_quotes(document, quotes)
        rules = agent(self)
        for start, end, span, offset in self._spans(document):
            if document.is_furniture(start, end):
                continue
            sentence = text[start:end]
            around = [q for q in quotes if q.start < end and start < q.end]  # type: ignore[operator]
            findings = reported_conditionals(sentence, span, language)
            findings += find_sources(document, start, end, language, speakers, prominent, span, offset)
            hedge = language.pattern("hedge")
            if hedge:
                findings += [Finding("hedge", m.group(), 0.8) for m in hedge.finditer(sentence)]
            by_label: dict[str, Finding] = {}
            for f in findings:
                by_label.setdefault(f.label, f)  # the first cue of each label stands for the sentence
            attributed = (by_label.pop("_several", None) is not None
                          or self._no_claim(sentence, span, language))
            if around and "single_source" in by_label and not any(factual.get(id(q), True) for q in around):
                del by_label["single_source"]  # «« Je voudrais remercier ... », a déclaré la maire»
            for label, f in by_label.items():
                out.append(Annotation(taxonomy.CLAIM, label, start, end, sentence, f.score, rules,
                                      {"cue": f.cue, **f.attributes}))
            if not by_label and not attributed and not around and len(sentence.split()) >= 6 \
                    and not _QUESTION.search(sentence):
                voice.append((start, end))
        # A quotation of one speaker is one single_source claim, on the words quoted.
        for quote in quotes:
            who = quote.attributes.get("speaker")
            if who and factual.get(id(quote), True):
                sentence = text[quote.start : quote.end]  # type: ignore[index]
                attributes = {"cue": quote.attributes.get("cue") or "quote", "attributed_to": who,
                              "source_type": "named", "interested": who == prominent}
                out.append(Annotation(taxonomy.CLAIM, "single_source", quote.start, quote.end, sentence, 0.8,
                                      rules, attributes))
        out += self._unattributed(document, voice)
        return self._learned(document, out) if self.learned else out

    @staticmethod
    def _no_claim(sentence: str, span: Any, language: Language) -> bool:
        """An announcement of schedule, a hypothesis («if the Fed cut rates, ... would fall»), a «no
        comment», by the language's patterns or, where it reads them, its parse (``span``, or None): no
        check-worthy claim in the outlet's voice."""
        schedule, no_claim = language.pattern("schedule"), language.pattern("no_claim")
        return bool(schedule and schedule.search(sentence) or no_claim and no_claim.search(sentence)
                    or span is not None and language.no_claim_parsed and language.no_claim_parsed(span))

    @staticmethod
    def _spans(document: Document) -> list[tuple[int, int, Any, int]]:
        """Each body sentence with its spaCy span (None where the parse cannot align it) and where the
        parsed text that holds it starts."""
        out = []
        docs = iter(document.parsed)
        current = next(docs, None)
        for start, end in document.sentences:
            while current is not None and current[0] + len(current[1].text) < start:
                current = next(docs, None)
            span = None
            if current is not None and current[0] <= start:
                span = current[1].char_span(start - current[0], end - current[0], alignment_mode="expand")
            out.append((start, end, span, current[0] if current is not None else 0))
        return out

    # -- check-worthiness --------------------------------------------------------------------------
    def load_scorer(self, *, cache: bool = True) -> None:
        """Load the check-worthiness head and its encoder now rather than at the first sentence
        (`cache=False`: embed every sentence, as `annotator bench` times it)."""
        self._load_model()
        if self._encoder is not None and not cache:
            self._encoder.cache = None

    def _load_model(self) -> None:
        self._model_loaded = True
        from annotator.learning.encoders import annotation_encoder
        from annotator.learning.registry import Registry, RegistryError

        registry = self._registry or Registry()
        if self.check_worthiness:
            try:
                self._model = registry.load("check_worthiness")
                self._encoder = annotation_encoder()
            except (RegistryError, FileNotFoundError) as exc:
                (log.warning if registry.promoted("check_worthiness") else log.info)(
                    "unattributed_claim is off: %s", exc)
                self._model = None
        if self.learned and registry.promoted("claim"):
            try:
                claim = registry.load("claim")
                self._encoder = self._encoder or annotation_encoder()
            except (RegistryError, FileNotFoundError) as exc:
                log.warning("the promoted claim head is off: %s", exc)
                return
            if claim.encoder != self._encoder.version:
                log.warning("the promoted claim head %s was fitted on encoder %s, not %s: off", claim.version,
                            claim.encoder, self._encoder.version)
                return
            counts, n = claim.info.get("label_counts") or {}, int(claim.info.get("examples") or 0)
            self._claim = claim
            self._claim_labels = {label: j for j, label in enumerate(claim.labels)
                                  if MIN_LEARNED <= counts.get(label, 0) <= n - MIN_LEARNED}

    def _factual_quotes(self, document: Document, quotes: list[Annotation]) -> dict[int, bool]:
        """Whether each quotation states something factual: not a question, and check-worthy by the
        check-worthiness head where it is loaded (every quotation counts where it is not)."""
        out = {id(q): not _QUESTION.search(q.text or "") for q in quotes}
        asked = [q for q in quotes if out[id(q)]]
        if not asked or not self.check_worthiness:
            return out
        if not self._model_loaded:
            self._load_model()
        if self._model is None:
            return out
        proba = self._model.predict_proba(self._encoder.encode([q.text or "" for q in asked]))[:, 0]
        threshold = float(self._model.head.thresholds_[0])
        out.update({id(q): bool(p >= threshold) for q, p in zip(asked, proba, strict=True)})
        return out

    def _unattributed(self, document: Document, voice: list[tuple[int, int]]) -> list[Annotation]:
        if not voice:
            return []
        if not self._model_loaded:
            self._load_model()
        if self._model is None:
            return []
        vectors = self._encoder.encode([document.text[s:e] for s, e in voice])
        proba = self._model.predict_proba(vectors)[:, 0]
        threshold = float(self._model.head.thresholds_[0])
        model = f"check_worthiness@{self._model.version}"
        return [Annotation(taxonomy.CLAIM, "unattributed_claim", s, e, document.text[s:e], round(float(p), 4),
                           model, {"check_worthy": round(float(p), 4),
                                   "cue": "check-worthy in the outlet's own voice"})
                for (s, e), p in zip(voice, proba, strict=True) if p >= threshold]

    # -- the learned claim head --------------------------------------------------------------------
    def current_agents(self) -> dict[tuple[str, str], str]:
        """The agent each of its labels carries now, by (name, layer): the rules' (``+claim@V`` where the
        promoted claim head has the last word) and the check-worthiness head's (unattributed_claim), as
        `annotator.retrain.refresh` needs them to tell a label the models withdrew."""
        if not self._model_loaded:
            self._load_model()
        rules = agent(self)
        if self.learned and self._claim is not None and self._claim_labels:
            rules = f"{rules}+claim@{self._claim.version}"
        out = {(self.name, taxonomy.CLAIM): rules}
        if self._model is not None:
            out[("check_worthiness", taxonomy.CLAIM)] = f"check_worthiness@{self._model.version}"
        return out

    def _learned(self, document: Document, found: list[Annotation]) -> list[Annotation]:
        """Where a claim head trained from analysts' answers is promoted, it has the last word on the
        labels it learned, sentence by sentence: a rule's or the check-worthiness head's label stays only
        when the head agrees (its probability becomes the score), and the head adds the labels it finds
        that the rules missed. Labels it did not learn, and quotes, stay as the rules give them."""
        if not self._model_loaded:
            self._load_model()
        if self._claim is None or not self._claim_labels:
            return found
        sentences = [(s, e) for s, e in document.sentences if not document.is_furniture(s, e)]
        if not sentences:
            return found
        text = document.text
        proba = self._claim.predict_proba(self._encoder.encode([text[s:e] for s, e in sentences]))
        thresholds = self._claim.head.thresholds_
        by_sentence = {span: i for i, span in enumerate(sentences)}
        head = self._claim.version
        who = f"{agent(self)}+claim@{head}"
        out, seen = [], set()
        for a in found:
            i = by_sentence.get((a.start, a.end))  # type: ignore[arg-type]
            j = self._claim_labels.get(a.label)
            if i is None or j is None:
                out.append(a)
                continue
            seen.add((i, a.label))
            p = float(proba[i, j])
            if p >= thresholds[j]:
                out.append(Annotation(a.layer, a.label, a.start, a.end, a.text, round(p, 4), who,
                                      {**a.attributes, "rule_score": a.score, "head": head}))
        for i, (start, end) in enumerate(sentences):
            for label, j in self._claim_labels.items():
                p = float(proba[i, j])
                if (i, label) in seen or not p >= thresholds[j]:
                    continue
                out.append(Annotation(taxonomy.CLAIM, label, start, end, text[start:end], round(p, 4), who,
                                      {"cue": "learned from analysts' answers", "head": head}))
        return out
