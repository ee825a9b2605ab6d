"""Turning files, batches and stdin into articles: decoding, HTML extraction, batch formats."""

from annotator.ingest.article import Failure, RawArticle
from annotator.ingest.sources import ACCEPTED_SUFFIXES, iter_inputs, read_file

__all__ = ["ACCEPTED_SUFFIXES", "Failure", "RawArticle", "iter_inputs", "read_file"]
