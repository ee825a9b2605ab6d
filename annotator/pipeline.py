"""From a raw article to an annotator/v1 record.

Stages: language -> paragraphs -> taggers that read raw lines (page furniture) -> spaCy parse of the
body paragraphs -> taggers that need the parse (provenance, claims, framing) -> the publishing outlet.
Furniture is parsed by no one: it costs time and the analysis layers skip it anyway.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

from annotator import nlp, taxonomy
from annotator.document import Document
from annotator.ingest.article import RawArticle
from annotator.outlets.identify import identify
from annotator.outlets.registry import OutletRegistry, default_registry
from annotator.record import Record, article_id
from annotator.taggers import Tagger, check_order, needs_parse
from annotator.taggers.claims import ClaimTagger
from annotator.taggers.framing import FramingTagger
from annotator.taggers.page_furniture import PageFurnitureTagger
from annotator.taggers.provenance import ProvenanceTagger


def default_taggers(outlets: OutletRegistry, *, heads: bool = True) -> list[Tagger]:
    """Every layer; ``heads=False``: by their rules and cues only, without the encoder heads
    (check-worthiness, the claim head, frames, techniques)."""
    # the pipeline checks the order: claims and framing read provenance's quotes (Tagger.reads)
    return [PageFurnitureTagger(), ProvenanceTagger(outlets),
            ClaimTagger(check_worthiness=heads, learned=heads), FramingTagger(heads=heads)]


class Pipeline:
    def __init__(self, taggers: Sequence[Tagger] | None = None,
                 outlets: OutletRegistry | None = None) -> None:
        self.outlets = outlets or default_registry()
        self.taggers = list(taggers) if taggers is not None else default_taggers(self.outlets)
        check_order(self.taggers)
        # Seconds spent per stage, summed over articles: `annotator bench` reads it.
        self.timings: dict[str, float] = defaultdict(float)

    def annotate(self, raw: RawArticle) -> Record:
        clock = time.perf_counter()
        language = raw.language
        meta = dict(raw.meta)
        if not language:
            language, confidence = nlp.detect_language(raw.text)
            meta["language_confidence"] = round(confidence, 3)
        document = Document(text=raw.text, language=language, url=raw.url, title=raw.title, meta=meta,
                            paragraphs=nlp.paragraphs(raw.text))
        self._lap("language", clock)

        for tagger in (t for t in self.taggers if not needs_parse(t)):
            clock = time.perf_counter()
            document.annotations.extend(tagger.tag(document))
            self._lap(tagger.name, clock)
        document.furniture = sorted(
            a.span for a in document.annotations if (a.layer, a.label) in taxonomy.FURNITURE and a.span
        )

        clock = time.perf_counter()
        document.parsed = nlp.parse(raw.text, document.body_paragraphs(), language)
        document.sentences = nlp.sentences(document.parsed)
        self._lap("spacy", clock)

        for tagger in (t for t in self.taggers if needs_parse(t)):
            clock = time.perf_counter()
            document.annotations.extend(tagger.tag(document))
            self._lap(tagger.name, clock)

        clock = time.perf_counter()
        outlet = identify(document, self.outlets)
        self._lap("outlet", clock)

        annotations = sorted(document.annotations, key=lambda a: (a.start or 0, a.end or 0, a.layer, a.label))
        return Record(
            id=raw.id or article_id(raw.url, raw.text),
            url=raw.url,
            title=raw.title,
            published=raw.published,
            language=language,
            text=raw.text,
            outlet=outlet,
            annotations=annotations,
            meta=meta,
            segments={
                "paragraphs": [list(s) for s in document.paragraphs],
                "sentences": [list(s) for s in document.sentences],
            },
        )

    def _lap(self, stage: str, since: float) -> None:
        self.timings[stage] += time.perf_counter() - since


def annotate_text(text: str, *, url: str | None = None, language: str | None = None) -> Record:
    """Annotate one article given as text (a convenience for notebooks and tests)."""
    return Pipeline().annotate(RawArticle(source="<text>", text=text, url=url, language=language))
