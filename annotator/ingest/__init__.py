"""Turning files, batches and stdin into articles: decoding, HTML extraction, batch formats."""

from annotator.ingest.article import Failure, RawArticle
from annotator.ingest.sources import iter_inputs

__all__ = ["Failure", "RawArticle", "iter_inputs"]
