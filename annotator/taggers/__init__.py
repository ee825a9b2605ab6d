"""Taggers: rules and models behind one interface.

A tagger has a ``name`` and a ``version`` (its agent id is ``name@version``), ``needs_parse`` (False for
taggers that run on raw lines before spaCy), and ``tag(document) -> list[Annotation]``.
"""

from __future__ import annotations

from typing import Protocol

from annotator.document import Document
from annotator.record import Annotation


class Tagger(Protocol):
    name: str
    version: str
    needs_parse: bool

    def tag(self, document: Document) -> list[Annotation]: ...


def agent(tagger: Tagger) -> str:
    return f"{tagger.name}@{tagger.version}"
