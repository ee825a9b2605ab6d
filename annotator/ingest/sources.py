"""Where articles come from: files, folders, batch files, stdin and the dashboard's uploads.

Every input yields either a RawArticle or a Failure naming the input and the reason; nothing here
raises for bad input, so one broken file or row never stops a batch. What a file holds is told by its
name (``SUFFIXES``, the one table that ``annotator ingest`` and the dashboard's upload box read);
``read_file`` reads a named file from a binary stream, a file on disk and an upload alike.
"""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePath
from typing import BinaryIO

from annotator import errors
from annotator.errors import InputError
from annotator.ingest import batch
from annotator.ingest.article import Failure, Input, Item, RawArticle, Unread
from annotator.ingest.decode import decode_bytes
from annotator.ingest.html import extract_html, looks_like_html

# A news page is rarely over 3 MB; a bigger single file is almost always a dump or a mistake, and
# parsing it would cost gigabytes. Batch files are streamed and have no such limit.
DEFAULT_MAX_BYTES = 10_000_000
# spaCy's own default limit, and far beyond any article.
MAX_TEXT_CHARS = 1_000_000

# What a file's name says it holds: one article as text or as an HTML page, or a batch (one article per
# line or row, `batch.read`'s formats). NAME.gz is NAME gzipped; any other name is sniffed (text or HTML).
SUFFIXES: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet",
}
GZIP = ".gz"
SINGLE = ("text", "html")  # the kinds that are one article per file; the others are batches
# Every suffix `annotator ingest` knows, as the dashboard's upload box takes them (with their dots: a bare
# "text" would mean Streamlit's text/* MIME types)
ACCEPTED_SUFFIXES = (*SUFFIXES, GZIP)


def kind_of(name: str) -> tuple[str | None, bool]:
    """(what the file holds by its name, None when it is to be sniffed; whether it is gzipped)."""
    suffixes = [s.lower() for s in PurePath(name).suffixes]
    compressed = bool(suffixes) and suffixes[-1] == GZIP
    if compressed:
        suffixes.pop()
    return (SUFFIXES.get(suffixes[-1]) if suffixes else None), compressed


def iter_inputs(
    paths: Iterable[str],
    *,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    unread: bool = False,
) -> Iterator[Input]:
    """Yield one item per article (or failure) from PATHs: files, folders (recursively) or '-'.
    ``unread``: a single page as `Unread` bytes, decoded and extracted later by `opened` (in the worker
    that annotates it); batch files are read here either way, row by row."""
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Failure("<stdin>", errors.too_large(len(data), max_bytes))
                continue
            stdin_item = Unread("<stdin>", data, url, None)
            yield stdin_item if unread else opened(stdin_item)
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                # Hidden files (.DS_Store, editor swap files) are not articles anyone meant to send.
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from _from_file(child, None, max_bytes, unread)
        elif path.is_file():
            yield from _from_file(path, url, max_bytes, unread)
        else:
            yield Failure(raw, errors.unreadable("no such file or folder"))


def _from_file(path: Path, url: str | None, max_bytes: int, unread: bool) -> Iterator[Input]:
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Failure(str(path), errors.unreadable(exc.strerror or str(exc)))
        return
    with stream:
        yield from read_file(str(path), stream, url=url, max_bytes=max_bytes, unread=unread)


def read_file(name: str, stream: BinaryIO, *, url: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, unread: bool = False) -> Iterator[Input]:
    """The articles of one file called ``name`` (its suffixes say what it holds, ``kind_of``), read from
    ``stream``: a file on disk for ``annotator ingest``, an upload's bytes for the dashboard. A batch is
    streamed, with no size limit; a single article over ``max_bytes`` is refused unread (E003)."""
    kind, compressed = kind_of(name)
    try:
        if compressed:
            stream = gzip.GzipFile(fileobj=stream, mode="rb")
        if kind is not None and kind not in SINGLE:
            yield from batch.read(stream, kind, name, MAX_TEXT_CHARS)
            return
        size = None if compressed else _size(stream)
        if size is not None and size > max_bytes:
            yield Failure(name, errors.too_large(size, max_bytes))
            return
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            yield Failure(name, errors.too_large(len(data), max_bytes))
            return
    except InputError as exc:
        yield Failure(name, exc)
        return
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Failure(name, errors.unreadable(exc.strerror or str(exc) if isinstance(exc, OSError)
                                              else str(exc)))
        return
    yield Unread(name, data, url, kind) if unread else read_single(data, name, url, kind=kind)


def opened(item: Input) -> Item:
    """An `Unread` page decoded and extracted (`read_single`); any other item as it is."""
    return read_single(item.data, item.source, item.url, kind=item.kind) if isinstance(item, Unread) else item


def _size(stream: BinaryIO) -> int | None:
    """The bytes left in a seekable stream (a file, an upload), without reading them."""
    try:
        here = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(here)
    except (OSError, ValueError):  # not seekable
        return None
    return end - here


def read_single(data: bytes, source: str, url: str | None, *, kind: str | None) -> Item:
    """One article from one file's bytes; kind None means sniff text versus HTML."""
    try:
        text, encoding = decode_bytes(data)
        if kind == "html" or (kind is None and looks_like_html(data)):
            page = extract_html(text, url)
            article = RawArticle(
                source=source,
                text=page.text,
                url=page.url,
                title=page.title,
                published=page.published,
                meta={"source": source, "format": "html", "encoding": encoding, "author": page.author,
                      "site_name": page.site_name, **page.meta},
            )
        else:
            article = RawArticle(
                source=source, text=text.strip(), url=url,
                meta={"source": source, "format": "text", "encoding": encoding},
            )
        if len(article.text) > MAX_TEXT_CHARS:
            raise errors.text_too_long(len(article.text), MAX_TEXT_CHARS)
    except InputError as exc:
        return Failure(source, exc)
    article.meta = {k: v for k, v in article.meta.items() if v not in (None, "", [], {})}
    return article
