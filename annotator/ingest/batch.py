"""Batch files: one article per JSON line, CSV/TSV row or Parquet row.

Rows are streamed, so a batch may be larger than memory; a bad row is reported with its line or row
number and the rest of the file goes on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from annotator import errors
from annotator.errors import InputError
from annotator.ingest.article import Failure, Item, RawArticle
from annotator.ingest.decode import decode_bytes

FIELDS = ("id", "url", "title", "published", "language")
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")


def read(stream: BinaryIO, fmt: str, source: str, max_chars: int) -> Iterator[Item]:
    if fmt == "jsonl":
        yield from _jsonl(stream, source, max_chars)
    elif fmt in ("csv", "tsv"):
        yield from _csv(stream, source, max_chars, "\t" if fmt == "tsv" else ",")
    else:
        yield from _parquet(stream, source, max_chars)


def row_to_article(row: dict[str, Any], source: str, fmt: str, row_no: int, max_chars: int) -> Item:
    try:
        text = row.get("text")
        if text is None or (isinstance(text, float) and math.isnan(text)):  # NaN from dataframes
            raise errors.bad_row("no 'text' field")
        if not isinstance(text, str):
            raise errors.bad_row(f"'text' is {type(text).__name__}, not a string")
        text = text.strip()
        if not text:
            raise errors.bad_row("'text' is empty")
        if len(text) > max_chars:
            raise errors.text_too_long(len(text), max_chars)
        given = {key: _given(row.get(key)) for key in FIELDS}
        if given["language"] is not None:
            match = _LANG.match(given["language"])
            if not match:
                raise errors.bad_row(f"'language' {given['language']!r} is not a language code such as 'fr'")
            given["language"] = match.group(1).lower()
    except InputError as exc:
        return Failure(source, exc)
    return RawArticle(source=source, text=text, meta={"source": source.rsplit(":", 1)[0], "format": fmt,
                                                      "row": row_no}, **given)


def _given(value: Any) -> str | None:
    """The contract: null or empty means not given."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    value = str(value).strip()
    return value or None


def _jsonl(stream: BinaryIO, source: str, max_chars: int) -> Iterator[Item]:
    for line_no, line in enumerate(stream, 1):
        where = f"{source}:{line_no}"
        if not line.strip():
            continue
        try:
            row = json.loads(line.decode("utf-8-sig" if line_no == 1 else "utf-8"))
        except UnicodeDecodeError:
            yield Failure(where, errors.bad_row("not UTF-8 (JSON Lines must be UTF-8)"))
            continue
        except json.JSONDecodeError as exc:
            yield Failure(where, errors.bad_row(f"invalid JSON ({exc.msg} at column {exc.colno})"))
            continue
        if not isinstance(row, dict):
            yield Failure(where, errors.bad_row(f"a JSON {type(row).__name__}, not an object"))
            continue
        yield row_to_article(row, where, "jsonl", line_no, max_chars)


def _csv(stream: BinaryIO, source: str, max_chars: int, delimiter: str) -> Iterator[Item]:
    # Spreadsheet exports often arrive in cp1252: detect the encoding on the head of the file,
    # cut at a line end so that no multi-byte character is split.
    head = stream.read(1_000_000)
    cut = head.rfind(b"\n") + 1 if len(head) == 1_000_000 and b"\n" in head else len(head)
    try:
        _, encoding = decode_bytes(head[:cut])
    except InputError as exc:
        yield Failure(source, exc)
        return
    stream.seek(0)
    csv.field_size_limit(min(sys.maxsize, max_chars * 4))
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    reader = csv.DictReader(text, delimiter=delimiter)
    if not reader.fieldnames or "text" not in [f.strip().lower() for f in reader.fieldnames]:
        yield Failure(source, errors.unreadable(f"no 'text' column (columns: {reader.fieldnames})"))
        return
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    row_no = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Failure(f"{source}:{reader.line_num}", errors.bad_row(f"malformed CSV ({exc})"))
            continue
        row_no += 1
        where = f"{source}:{reader.line_num}"
        if None in row:  # more fields than the header: a quoting error, the columns would be shifted
            yield Failure(where, errors.bad_row(f"{len(reader.fieldnames) + len(row[None])} fields, "
                                                f"the header has {len(reader.fieldnames)}"))
            continue
        yield row_to_article(row, where, "csv", row_no, max_chars)


def _parquet(stream: BinaryIO, source: str, max_chars: int) -> Iterator[Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        file = pq.ParquetFile(stream)
        names = set(file.schema_arrow.names)
        if "text" not in names:
            yield Failure(source, errors.unreadable(f"no 'text' column (columns: {sorted(names)})"))
            return
        columns = ["text", *[f for f in FIELDS if f in names]]
        row_no = 0
        for chunk in file.iter_batches(batch_size=256, columns=columns):
            for row in chunk.to_pylist():
                row_no += 1
                yield row_to_article(row, f"{source}:row {row_no}", "parquet", row_no, max_chars)
    except (pa.ArrowException, OSError) as exc:
        yield Failure(source, errors.unreadable(f"not a readable Parquet file ({exc})"))
