"""The annotator/v1 record (../shared/design/CONTRACT.md) as typed classes.

``to_dict``/``from_dict`` are lossless: ``from_dict(to_dict(x)) == x``, and keys this version does not
know are kept in ``extra`` and written back, so a record made by a newer version survives a round trip
through an older one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any

from annotator import taxonomy

SCHEMA = "annotator/v1"


def _split(data: dict[str, Any], known: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    return {k: v for k, v in data.items() if k in known}, {k: v for k, v in data.items() if k not in known}


def _names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)} - {"extra"}


@dataclass
class Answer:
    """One analyst's answer on one annotation. Answers are appended, never edited."""

    user: str
    verdict: str  # accept | reject | correct | add
    time: str  # ISO-8601
    label: str | None = None
    start: int | None = None
    end: int | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in taxonomy.VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; verdicts are {', '.join(taxonomy.VERDICTS)}")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"user": self.user, "verdict": self.verdict, "time": self.time}
        for key in ("label", "start", "end", "note"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out | self.extra

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        known, extra = _split(data, _names(cls))
        return cls(**known, extra=extra)


@dataclass
class Annotation:
    layer: str
    label: str
    start: int | None
    end: int | None
    text: str | None
    score: float | None
    agent: str
    attributes: dict[str, Any] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        taxonomy.check_label(self.layer, self.label)
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end are both set or both null")
        if self.start is not None and self.end is not None and not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    @property
    def span(self) -> tuple[int, int] | None:
        return None if self.start is None or self.end is None else (self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "layer": self.layer,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": self.score,
            "agent": self.agent,
            "attributes": dict(self.attributes),
        }
        if self.answers:
            out["answers"] = [a.to_dict() for a in self.answers]
        return out | self.extra

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Annotation:
        known, extra = _split(data, _names(cls))
        known["answers"] = [Answer.from_dict(a) for a in known.get("answers", [])]
        known.setdefault("attributes", {})
        return cls(**known, extra=extra)


@dataclass
class Evidence:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(start=data["start"], end=data["end"], text=data["text"])


@dataclass
class Outlet:
    """The PUBLISHING outlet. Cited or credited outlets are provenance annotations instead."""

    id: str
    name: str
    country: str | None
    owner: str | None
    state_affiliation: str
    score: float
    method: str  # url | signature | model
    evidence: Evidence | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.state_affiliation not in taxonomy.STATE_AFFILIATIONS:
            raise ValueError(f"unknown state_affiliation {self.state_affiliation!r}")
        if self.method not in taxonomy.OUTLET_METHODS:
            raise ValueError(f"unknown outlet method {self.method!r}; "
                             f"methods are {', '.join(taxonomy.OUTLET_METHODS)}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "owner": self.owner,
            "state_affiliation": self.state_affiliation,
            "score": self.score,
            "method": self.method,
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "profile": dict(self.profile),
        } | self.extra

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outlet:
        known, extra = _split(data, _names(cls))
        evidence = known.pop("evidence", None)
        return cls(**known, evidence=Evidence.from_dict(evidence) if evidence else None, extra=extra)


@dataclass
class Record:
    """One article: its text, where it came from, its publishing outlet and its annotations.

    Beyond the contract's fields: ``published``, ``meta`` (how the text was obtained: source, format,
    encoding, extraction metadata such as canonical URL and og:site_name) and ``segments``
    (paragraph and sentence spans, so later layers and the dashboard need not re-split).
    """

    id: str
    text: str
    language: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: Outlet | None = None
    annotations: list[Annotation] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    segments: dict[str, list[list[int]]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "outlet": self.outlet.to_dict() if self.outlet else None,
            "annotations": [a.to_dict() for a in self.annotations],
            "meta": dict(self.meta),
            "segments": {k: [list(s) for s in v] for k, v in self.segments.items()},
        } | self.extra

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not an {SCHEMA} record (schema={data.get('schema')!r})")
        known, extra = _split({k: v for k, v in data.items() if k != "schema"}, _names(cls))
        outlet = known.pop("outlet", None)
        known["annotations"] = [Annotation.from_dict(a) for a in known.get("annotations", [])]
        return cls(**known, outlet=Outlet.from_dict(outlet) if outlet else None, extra=extra)


def article_id(url: str | None, text: str) -> str:
    """The contract's stable id when none is given: a hash of url + text."""
    return hashlib.sha256(f"{url or ''}\n{text}".encode()).hexdigest()[:16]
