"""The export and import formats: one table, read by `annotator export` and `annotator import` (their
``--format`` choices and help), the dashboard's Export page, ``export.py`` and ``importer.py``, as
trafilatura keeps one list of output formats.

Each row: ``name`` (``--format NAME``, the manifest's ``format``), ``title`` (one line for ``--help`` and
the Export page), ``suffix`` (how the file's name ends; empty for a folder), ``streamable`` (a text
format: its writer writes to an open text stream, stdout too; else to a path), ``writer`` (the selected
articles to the stream or path), ``reader`` (one parsed record, task or line to a ``Record``; None for a
format that does not import back) and ``latest_only`` (each analyst's latest answer per label, as that
tool holds them; the others hold every answer).

Adding a format: a row here, its writer (and reader) in its own module, its case in tests/test_exchange.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, TextIO

from annotator.exchange import flat, hf, label_studio, prodigy
from annotator.exchange.select import Selected
from annotator.record import Record


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    suffix: str
    streamable: bool
    writer: Callable[[Iterable[Selected], Any], Any]
    reader: Callable[[Any], Record] | None = None
    latest_only: bool = False

    @property
    def folder(self) -> bool:
        """Written as a folder (a file name without a suffix)."""
        return not self.suffix


def write_jsonl(items: Iterable[Selected], sink: TextIO) -> None:
    """One annotator/v1 record per line, as ``Store.record`` gives it: every annotation with its answers."""
    sink.writelines(json.dumps(item.record.to_dict(), ensure_ascii=False) + "\n" for item in items)


def read_jsonl(unit: Any) -> Record:
    """One jsonl line back to its record. An answer given without a time (an edited file) is kept
    without one: ``Store.merge`` stamps it now unless it is what that analyst says now."""
    if not isinstance(unit, dict):
        raise TypeError("a record is a JSON object")
    for annotation in unit.get("annotations") or []:
        for answer in (annotation.get("answers") or []) if isinstance(annotation, dict) else []:
            if isinstance(answer, dict):
                answer.setdefault("time", None)
    return Record.from_dict(unit)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("jsonl", "annotator/v1 records with every answer (imports back without loss)", ".jsonl", True,
           write_jsonl, read_jsonl),
    Format("csv", "one row per label and answer", ".csv", True, flat.write_csv),
    Format("parquet", "one row per label and answer, typed", ".parquet", False, flat.write_parquet),
    Format("label-studio",
           "Label Studio tasks, and the labeling config to create the project with (.config.xml)",
           ".label-studio.json", True, label_studio.write, label_studio.record_of, latest_only=True),
    Format("prodigy", "Prodigy JSONL, one line per answer", ".prodigy.jsonl", True, prodigy.write,
           prodigy.record_of, latest_only=True),
    Format("hf", "a Hugging Face datasets folder (data/train.parquet and a dataset card)", "", False,
           hf.write_data),
)}
STREAMABLE = tuple(name for name, f in FORMATS.items() if f.streamable)  # text: may go to stdout
IMPORT_FORMATS = tuple(name for name, f in FORMATS.items() if f.reader is not None)
# What `annotator import` reads in a folder: the files ending as an importable format's files do
IMPORT_SUFFIXES = tuple(dict.fromkeys(PurePath(f"x{FORMATS[name].suffix}").suffix for name in IMPORT_FORMATS))
