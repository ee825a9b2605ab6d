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


Item = RawArticle | Failure
