"""Where articles come from: files, folders, batch files and stdin.

Every input yields either a RawArticle or a Failure naming the input and the reason; nothing here
raises for bad input, so one broken file or row never stops a batch.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from annotator import errors
from annotator.errors import InputError
from annotator.ingest import batch
from annotator.ingest.article import Failure, Item, RawArticle
from annotator.ingest.decode import decode_bytes
from annotator.ingest.html import extract_html, looks_like_html

# A news page is rarely over 3 MB; a bigger single file is almost always a dump or a mistake, and
# parsing it would cost gigabytes. Batch files are streamed and have no such limit.
DEFAULT_MAX_BYTES = 10_000_000
# spaCy's own default limit, and far beyond any article.
MAX_TEXT_CHARS = 1_000_000

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
BATCH_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv", ".parquet": "parquet"}




def iter_inputs(
    paths: Iterable[str],
    *,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Yield one item per article (or failure) from PATHs: files, folders (recursively) or '-'."""
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Failure("<stdin>", errors.too_large(len(data), max_bytes))
                continue
            yield read_single(data, "<stdin>", url, kind=None)
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                # Hidden files (.DS_Store, editor swap files) are not articles anyone meant to send.
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield from _from_file(child, None, max_bytes)
        elif path.is_file():
            yield from _from_file(path, url, max_bytes)
        else:
            yield Failure(raw, errors.unreadable("no such file or folder"))


def _from_file(path: Path, url: str | None, max_bytes: int) -> Iterator[Item]:
    source = str(path)
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    suffix = (suffixes[-2] if compressed and len(suffixes) > 1 else "") if compressed else path.suffix.lower()
    try:
        if suffix in BATCH_SUFFIXES:
            opener = gzip.open if compressed else open
            with opener(path, "rb") as stream:
                yield from batch.read(stream, BATCH_SUFFIXES[suffix], source, MAX_TEXT_CHARS)
            return
        size = path.stat().st_size
        if not compressed and size > max_bytes:
            yield Failure(source, errors.too_large(size, max_bytes))
            return
        if compressed:
            with gzip.open(path, "rb") as stream:
                data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Failure(source, errors.too_large(len(data), max_bytes))
                return
        else:
            data = path.read_bytes()
    except InputError as exc:
        yield Failure(source, exc)
        return
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield Failure(source, errors.unreadable(exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)))
        return
    kind = "html" if suffix in HTML_SUFFIXES else "text" if suffix in TEXT_SUFFIXES else None
    yield read_single(data, source, url, kind=kind)


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
