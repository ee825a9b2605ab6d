"""An article as it arrived, or the reason it could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.errors import InputError


@dataclass
class RawArticle:
    """One article as it arrived, before any analysis."""

    source: str  # what error messages and the store call this input: a path, path:line, <stdin>
    text: str
    id: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    source: str
    error: InputError

    def __str__(self) -> str:
        return f"{self.source}: {self.error}"


@dataclass
class Unread:
    """One file's bytes, read but not yet decoded or extracted (`ingest.sources.opened` does that): what
    `iter_inputs(..., unread=True)` yields for a single page, so that the costly part of reading it
    (decoding, trafilatura) runs in the worker process that annotates it rather than in the parent."""

    source: str
    data: bytes
    url: str | None
    kind: str | None  # "html", "text", or None to sniff

    def __repr__(self) -> str:  # not the bytes
        return f"Unread({self.source!r}, {len(self.data)} bytes, kind={self.kind!r})"


Item = RawArticle | Failure
Input = Item | Unread  # what `iter_inputs` yields with unread=True
