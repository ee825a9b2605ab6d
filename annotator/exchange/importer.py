"""Read jsonl records, Label Studio tasks or Prodigy lines and merge them into the store (``Store.merge``).

Each record, task or line is one unit: it is merged whole or reported as one failure, and the rest goes
on. Failures carry a code: ``E008`` unreadable file, ``E011`` an article the store holds with another
text, ``E012`` a line or task that is not what the format says (not JSON, no text, an unknown label, a
span outside the text, an answer the store refuses), ``E010`` the database refused the write.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from annotator import errors
from annotator.exchange import prodigy
from annotator.exchange.formats import FORMATS, IMPORT_FORMATS, IMPORT_SUFFIXES
from annotator.record import Record
from annotator.store import ConflictError, Store


@dataclass
class Imported:
    units: int = 0  # records, tasks or lines merged
    articles: set[str] = field(default_factory=set)
    new_articles: int = 0
    suggestions_added: int = 0
    answers_added: int = 0
    answers_present: int = 0
    ignored: int = 0  # Prodigy lines answered "ignore"
    failures: list[str] = field(default_factory=list)


def _files(paths: list[str]) -> Iterator[tuple[str, Path | None]]:
    for name in paths:
        if name == "-":
            yield "<stdin>", None
            continue
        path = Path(name)
        if path.is_dir():
            found_files = (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORT_SUFFIXES)
            for found in sorted(found_files):
                yield str(found), found
        else:
            yield name, path


def _lines(source: str, text: str) -> Iterator[tuple[str, Any]]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield f"{source}:{n}", json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"{source}:{n}", errors.bad_import(f"not JSON: {exc}")


def units(fmt: str, paths: list[str]) -> Iterator[tuple[str, Any]]:
    """(where, parsed JSON) for every record, task or line of the inputs; an InputError for a file or
    line that cannot be read."""
    for source, path in _files(paths):
        try:
            text = sys.stdin.read() if path is None else path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            yield source, errors.unreadable(str(exc.strerror if isinstance(exc, OSError) and exc.strerror
                                                else exc))
            continue
        if fmt != "label-studio":
            yield from _lines(source, text)
            continue
        try:  # Label Studio exports a JSON list of tasks; one task alone, or JSON lines, are read too
            whole = json.loads(text)
        except json.JSONDecodeError:
            yield from _lines(source, text)
            continue
        if isinstance(whole, list):
            for n, task in enumerate(whole, 1):
                yield f"{source}: task {n}", task
        else:
            yield source, whole


def to_record(fmt: str, unit: Any) -> Record:
    """One record, task or line, read by its format's reader (``formats.FORMATS``)."""
    reader = FORMATS[fmt].reader
    if reader is None:
        raise ValueError(f"{fmt} does not import back")
    return reader(unit)


def import_paths(store: Store, paths: list[str], fmt: str,
                 report: Callable[[str], None] | None = None) -> Imported:
    """Merge every unit of ``paths`` into ``store``; each failure goes to ``report`` (one line, with the
    input and a code) and into the result."""
    if fmt not in IMPORT_FORMATS:
        raise ValueError(f"unknown import format {fmt!r}; formats are {', '.join(IMPORT_FORMATS)}")
    done = Imported()

    def fail(where: str, error: errors.InputError) -> None:
        done.failures.append(f"{where}: {error}")
        if report is not None:
            report(done.failures[-1])

    for where, unit in units(fmt, paths):
        if isinstance(unit, errors.InputError):
            fail(where, unit)
            continue
        try:
            record = to_record(fmt, unit)
        except prodigy.Ignored:
            done.ignored += 1
            continue
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            fail(where, errors.bad_import(_said(exc)))
            continue
        try:
            result = store.merge(record)
        except ConflictError as exc:
            fail(where, errors.conflicting_text(str(exc)))
            continue
        except ValueError as exc:
            fail(where, errors.bad_import(f"article {record.id!r}: {exc}"))
            continue
        except sa.exc.SQLAlchemyError as exc:  # the database, not the input: say so, go on with the next
            fail(where, errors.store_failed(f"not stored: {_said(exc)}"))
            continue
        done.units += 1
        done.articles.add(result.article_id)
        done.new_articles += result.new_article
        done.suggestions_added += result.suggestions_added
        done.answers_added += result.answers_added
        done.answers_present += result.answers_present
    return done


def _said(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc}"
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
