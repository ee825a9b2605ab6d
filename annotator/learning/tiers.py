"""Tiers: which sentence encoder the heads read, traded between speed and the last points of accuracy.

- ``static`` (the default): token vectors distilled from multilingual-e5-small (encoders/static.py):
  no transformer at run time, annotating runs at the speed of spaCy's parse.
- ``accurate``: multilingual-e5-small itself, the transformer, 30-110 sentences/s on 2 cores.

Every head has versions trained for each tier, and the registry keeps one promoted version per tier:
annotating with a tier uses that tier's promoted heads. A head whose features do not come from the
encoder (the outlet classifier's n-grams) serves every tier (``any``).

The tier in use: ``--tier`` on the command line (which sets $ANNOTATOR_TIER, so worker processes
inherit it), else $ANNOTATOR_TIER, else ``[encoder] tier`` in the settings.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

STATIC = "static"
ACCURATE = "accurate"
TIERS = (STATIC, ACCURATE)
ANY = "any"  # a head that reads no encoder


def current() -> str:
    from annotator.settings import settings

    tier = os.environ.get("ANNOTATOR_TIER") or str(settings()["encoder"].get("tier", STATIC))
    if tier not in TIERS:
        raise ValueError(f"unknown tier {tier!r}: use one of {', '.join(TIERS)}")
    return tier


def use(tier: str | None) -> None:
    """Set the tier for this process and the processes it starts (the command line's --tier)."""
    if tier is not None:
        if tier not in TIERS:
            raise ValueError(f"unknown tier {tier!r}: use one of {', '.join(TIERS)}")
        os.environ["ANNOTATOR_TIER"] = tier


@contextmanager
def in_tier(tier: str) -> Iterator[None]:
    """Within the block, ``tier`` is the tier in use (models loaded inside it stay that tier's)."""
    before = os.environ.get("ANNOTATOR_TIER")
    use(tier)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ANNOTATOR_TIER", None)
        else:
            os.environ["ANNOTATOR_TIER"] = before


def of_encoder(version: str | None) -> str:
    """The tier of an encoder version: a static model's name ends in ``-static``."""
    if not version:
        return ANY
    return STATIC if version.split("@", 1)[0].endswith("-static") else ACCURATE
