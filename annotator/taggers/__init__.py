"""Taggers: rules and models behind one interface.

A tagger declares what it reads and what it writes, as spaCy's components declare what they assign, so
that the pipeline can check their order instead of trusting a comment:

- ``name`` and ``version``: its agent id is ``name@version`` (a promoted head adds ``+layer@version``);
- ``reads``: what it needs before it runs: ``"parse"`` (spaCy's parse of the body, which the pipeline
  makes after the taggers that do not read it) and the layers of other taggers' annotations it reads,
  as ``layer`` or ``layer/label`` (``"structure"``: the page furniture that the body leaves out,
  ``"provenance/quote"``: the quotes and their speakers);
- ``writes``: the layers (or ``layer/label``, where it writes only some labels of a layer) it makes;
- ``tag(document) -> list[Annotation]``;
- ``current_agents() -> {(name, layer): agent}``: the agent each of its layers' labels carry with the
  models in use now. After a promotion, the store marks a label withdrawn when its tagger no longer
  suggests it, and needs that agent even for an article where the tagger found nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from annotator.document import Document
from annotator.record import Annotation

PARSE = "parse"  # the input the pipeline makes between the taggers that do not read it and those that do


class Tagger(Protocol):
    name: str
    version: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    def tag(self, document: Document) -> list[Annotation]: ...

    def current_agents(self) -> dict[tuple[str, str], str]: ...


def agent(tagger: Tagger) -> str:
    return f"{tagger.name}@{tagger.version}"


def layers_written(tagger: Tagger) -> list[str]:
    return list(dict.fromkeys(w.split("/", 1)[0] for w in tagger.writes))


def rules_agents(tagger: Tagger) -> dict[tuple[str, str], str]:
    """``current_agents`` of a tagger without models: the same agent on every layer it writes."""
    return {(tagger.name, layer): agent(tagger) for layer in layers_written(tagger)}


def _provides(written: str, need: str) -> bool:
    """``provenance`` provides ``provenance/quote``, ``provenance/quote`` provides ``provenance/quote``
    (and counts as ``provenance``); ``provenance/promo`` does not provide ``provenance/quote``."""
    if "/" in need:
        return written in (need, need.split("/", 1)[0])
    return written.split("/", 1)[0] == need


def needs_parse(tagger: Tagger) -> bool:
    return PARSE in tagger.reads


def check_order(taggers: Sequence[Tagger]) -> None:
    """Raise ValueError when a tagger reads a layer that no tagger running before it writes. The
    pipeline runs the taggers that do not read the parse first, in their order, then the others."""
    ordered = [t for t in taggers if not needs_parse(t)] + [t for t in taggers if needs_parse(t)]
    written: list[str] = []
    for tagger in ordered:
        for need in tagger.reads:
            if need != PARSE and not any(_provides(w, need) for w in written):
                writers = [t.name for t in taggers if any(_provides(w, need) for w in t.writes)]
                where = (f"{' or '.join(writers)} must run before it" if writers
                         else "no tagger in the pipeline writes it")
                raise ValueError(f"tagger {tagger.name!r} reads {need!r} before it is written: {where}")
        written += tagger.writes
