"""What taggers read: one article's text with its language and segmentation.

The pipeline fills it in stages: paragraphs first, then the furniture spans found by the page-furniture
tagger, then the spaCy parse of the paragraphs that are not furniture.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from annotator.record import Annotation


@dataclass
class Document:
    text: str
    language: str
    url: str | None = None
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    furniture: list[tuple[int, int]] = field(default_factory=list)  # sorted, non-overlapping
    parsed: list[tuple[int, Any]] = field(default_factory=list)  # (paragraph start, spaCy Doc)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)  # what earlier taggers found
    speakers: Any = None  # annotator.speakers.Speakers, built once from the parse by speakers_of

    def is_furniture(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps a furniture span: analysis layers leave it alone."""
        i = bisect.bisect_right(self.furniture, (start, float("inf"))) - 1
        for s, e in self.furniture[max(i, 0) : i + 2]:
            if s < end and start < e:
                return True
        return False

    def body_paragraphs(self) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.paragraphs if not self.is_furniture(s, e)]
