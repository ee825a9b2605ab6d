"""What the pages call: the store, the pipeline, and ingesting uploaded or pasted articles.

The store and the pipeline are opened once per server process (``st.cache_resource``): loading the
models takes seconds, and every session shares one connection pool.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

import sqlalchemy as sa
import streamlit as st

from annotator import errors
from annotator.ingest import Failure, RawArticle
from annotator.ingest.sources import ACCEPTED_SUFFIXES, DEFAULT_MAX_BYTES, read_file, read_single
from annotator.store import Store, default_url

if TYPE_CHECKING:
    from annotator.ingest.article import Item
    from annotator.outlets.registry import OutletRegistry
    from annotator.pipeline import Pipeline
    from annotator.store.access import Desk

# What the upload box takes: every suffix `annotator ingest` knows (its table, annotator/ingest/sources.py)
UPLOAD_TYPES = list(ACCEPTED_SUFFIXES)


@st.cache_resource(show_spinner="Opening the store…")
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The store at $ANNOTATOR_DB, else the default one in the user's data folder."""
    return _store(default_url())


@st.cache_resource(show_spinner=False)
def outlets() -> OutletRegistry:
    """The outlet registry, for finding the outlet an analyst corrects a suggestion to."""
    from annotator.outlets.registry import default_registry

    return default_registry()


@st.cache_resource(show_spinner="Loading the models (a few seconds, once)…")
def pipeline() -> Pipeline:
    from annotator.pipeline import Pipeline

    return Pipeline()


def items_from_upload(name: str, data: bytes) -> Iterator[Item]:
    """The articles in one uploaded file, read by the code that reads a file of that name from disk for
    `annotator ingest` (``read_file``), with its limit (``DEFAULT_MAX_BYTES`` for one article)."""
    yield from read_file(PurePath(name).name or "<upload>", io.BytesIO(data), max_bytes=DEFAULT_MAX_BYTES)


def item_from_paste(text: str, *, url: str | None = None, title: str | None = None,
                    language: str | None = None) -> Item:
    """Pasted text (or a pasted HTML page) as one article."""
    item = read_single(text.encode("utf-8"), "<pasted>", url or None, kind=None)
    if isinstance(item, RawArticle):
        item.title = title or item.title
        item.language = language or item.language
    return item


@dataclass
class IngestReport:
    stored: list[tuple[str, str]] = field(default_factory=list)  # (article id, what to call it)
    failures: list[str] = field(default_factory=list)


def annotate_and_store(items: Iterable[Item], *, into: Store | Desk, pipeline: Pipeline) -> IngestReport:
    """The CLI's `annotator ingest` path: annotate each article and store it; a bad one costs itself."""
    report = IngestReport()
    for item in items:
        if isinstance(item, Failure):
            report.failures.append(str(item))
            continue
        try:
            record = pipeline.annotate(item)
        except Exception as exc:  # noqa: BLE001 - one broken article must not cost the batch
            report.failures.append(str(Failure(item.source, errors.internal(exc))))
            continue
        try:
            result = into.ingest(record)
        except (ValueError, sa.exc.SQLAlchemyError) as exc:
            # the store refused it, as `annotator ingest` says
            said = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            report.failures.append(str(Failure(item.source, errors.store_failed(f"not stored: {said}"))))
            continue
        report.stored.append((result.article_id, record.title or record.text.split("\n", 1)[0]))
    return report
