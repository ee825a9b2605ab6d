"""Write an export: the data file(s) of one format and their manifest. What each format is (its writer,
whether it is text, whether it holds only each analyst's latest answer) is its row in ``formats.py``.

Where things go:

- ``jsonl``, ``csv``, ``parquet``, ``prodigy``: ``FILE`` and ``FILE.manifest.json`` beside it;
- ``label-studio``: ``FILE`` (the tasks), ``<FILE less its suffix>.config.xml`` (the labeling config
  to create the project with) and ``FILE.manifest.json``;
- ``hf``: a folder, with ``manifest.json`` inside;
- to a stream (stdout, the text formats only): the data alone, no manifest: the caller reports the
  counts (``annotator export`` prints them on stderr).

Each file is written under a temporary name and renamed into place, so that a crash never leaves a
half-written file under the name a script waits for. The manifest: ``schema``, ``format``,
``created`` (UTC), ``tool`` (name and version), ``filters``, ``gold_rule``, ``counts`` (articles, labels,
answers, per layer, per gold status, per user) and ``files`` (each name, size and sha256).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from annotator import __version__
from annotator.exchange import hf, label_studio
from annotator.exchange.formats import FORMATS, Format
from annotator.exchange.select import Filters, Selected, Tally, select
from annotator.gold import GoldRule
from annotator.paths import sha256
from annotator.record import SCHEMA
from annotator.store import Store


@dataclass
class Exported:
    manifest: dict[str, Any]
    files: list[Path] = field(default_factory=list)  # written, manifest last; none for a stream
    manifest_path: Path | None = None


def _write(path: Path, fill: Callable[[Path], None]) -> Path:
    """``fill`` writes a temporary sibling of ``path``, renamed into place when done."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    try:
        fill(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _text(write: Callable[[TextIO], None]) -> Callable[[Path], None]:
    def fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as sink:
            write(sink)
    return fill


def _format(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; formats are {', '.join(FORMATS)}") from None


def write_stream(fmt: str, items: Iterable[Selected], sink: TextIO) -> None:
    """A text format to an open stream."""
    form = _format(fmt)
    if not form.streamable:
        raise ValueError(f"--format {fmt} is not a text format: it needs a file (-o)")
    form.writer(items, sink)


def manifest_path(fmt: str, output: Path) -> Path:
    return (output / "manifest.json" if _format(fmt).folder
            else output.with_name(output.name + ".manifest.json"))


def config_path(output: Path) -> Path:
    return output.with_suffix(".config.xml")


def export(store: Store, fmt: str, output: Path | None, filters: Filters | None = None,
           rule: GoldRule | None = None, *, sink: TextIO | None = None) -> Exported:
    """Export the store's labels in ``fmt`` to ``output`` (a file; a folder for ``hf``), or to ``sink``
    when ``output`` is None; returns the manifest (written beside the data unless to a stream)."""
    filters, rule = filters or Filters(), rule or GoldRule()
    form = _format(fmt)
    tally = Tally()
    items = tally.over(select(store, filters, rule, latest_only=form.latest_only))
    manifest: dict[str, Any] = {
        "schema": SCHEMA, "format": fmt, "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool": {"name": "annotator", "version": __version__}, "filters": filters.describe(),
        "gold_rule": rule.describe(), "counts": {}, "files": []}
    if output is None:
        if sink is None:
            raise ValueError("give an output path or a stream")
        write_stream(fmt, items, sink)
        manifest["counts"] = tally.to_dict()
        return Exported(manifest)

    files: list[Path] = []
    if fmt == "hf":
        languages: list[str] = []

        def data(tmp: Path) -> None:
            languages.extend(form.writer(items, tmp))

        files.append(_write(output / hf.DATA, data))
        manifest["counts"] = tally.to_dict()
        files.append(_write(output / "README.md", _text(lambda f: f.write(hf.card(languages, manifest)))))
    elif not form.streamable:
        files.append(_write(output, lambda tmp: form.writer(items, tmp)))
    else:
        files.append(_write(output, _text(lambda f: form.writer(items, f))))
        if fmt == "label-studio":
            config = label_studio.label_config(filters.layers, sorted(tally.outlets))
            files.append(_write(config_path(output), _text(lambda f: f.write(config))))
            manifest["label_studio"] = {
                "config": config_path(output).name, "to_name": label_studio.TO_NAME,
                "from_name": "the layer id: claim, technique, provenance, structure (labels); "
                             "frame, outlet (choices)"}
    manifest["counts"] = tally.to_dict()
    where = manifest_path(fmt, output)
    manifest["files"] = [{"path": f.relative_to(where.parent).as_posix(), "bytes": f.stat().st_size,
                          "sha256": sha256(f)} for f in files]
    _write(where, _text(lambda f: f.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")))
    return Exported(manifest, [*files, where], where)
