"""The two format tables: the export/import formats (annotator/exchange/formats.py), which the command line,
the dashboard's Export page (tests/test_app_export.py) and the importer all read; and the input suffixes of
`annotator ingest` (annotator/ingest/sources.py), which the dashboard's upload box reads, an upload going
through the code that reads a file on disk (the upload driven through the page: tests/test_app.py)."""

from __future__ import annotations

import argparse
import gzip
import io
import json

import pandas as pd
import pytest

from annotator import exchange
from annotator.cli import build_parser
from annotator.dashboard import services
from annotator.exchange import FORMATS, export, import_paths
from annotator.ingest import ACCEPTED_SUFFIXES, Failure, RawArticle, iter_inputs
from annotator.ingest.sources import SUFFIXES
from tests import test_exchange
from tests.test_exchange import cli, fresh, said

store, db = test_exchange.store, test_exchange.db  # the exchange tests' fixtures: a reviewed store, its URL

GOOD = "Le gouvernement a présenté mardi son projet de budget pour l'année prochaine."


# --- export and import ------------------------------------------------------------------------------

def _format_option(command: str) -> argparse.Action:
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    (option,) = [a for a in commands.choices[command]._actions if "--format" in a.option_strings]
    return option


def test_the_command_line_offers_the_tables_formats_and_says_what_each_is():
    assert list(_format_option("export").choices) == list(FORMATS) == [
        "jsonl", "csv", "parquet", "label-studio", "prodigy", "hf"]
    assert list(_format_option("import").choices) == [n for n, f in FORMATS.items() if f.reader] == [
        "jsonl", "label-studio", "prodigy"]
    help_ = _format_option("export").help
    assert all(f"{f.name}: {f.title}" in help_ for f in FORMATS.values())
    assert "csv, parquet, hf do not import back" in _format_option("import").help
    # the package's names, as before the table
    assert exchange.STREAMABLE == ("jsonl", "csv", "label-studio", "prodigy")
    assert exchange.IMPORT_FORMATS == ("jsonl", "label-studio", "prodigy")
    assert [f.name for f in FORMATS.values() if f.folder] == ["hf"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_writes_its_file_and_imports_back_exactly_when_it_has_a_reader(store, db, tmp_path,
                                                                                    capsys, fmt):
    form = FORMATS[fmt]
    out = tmp_path / f"labels{form.suffix}" if not form.folder else tmp_path / "labels"
    done = export(store, fmt, out)
    assert (done.files[0] == (out / "data/train.parquet" if form.folder else out)
            and done.files[0].stat().st_size)
    if form.streamable:  # the same writer, to stdout
        sink = io.StringIO()
        export(store, fmt, None, sink=sink)
        assert sink.getvalue() == out.read_text("utf-8")

    code, _, err = cli(capsys, "import", str(out), "--format", fmt,
                       "--db", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    if form.reader is None:
        assert code == 2 and "invalid choice" in err
        with pytest.raises(ValueError, match="unknown import format"):
            import_paths(store, [str(out)], fmt)
        return
    assert code == 0, err
    with fresh(tmp_path) as other:
        result = import_paths(other, [str(out)], fmt)
        assert result.failures == [] and result.articles == {"a1", "a2", "a3"} - (
            {"a3"} if fmt == "prodigy" else set())  # a Prodigy line is an answer: nobody answered a3
        assert said(other) == said(store, latest_only=form.latest_only)


# --- what `annotator ingest` reads, and the dashboard's upload ----------------------------------------

PAGE = (f"<html><head><title>Budget</title></head><body><article><p>{GOOD}</p><p>{GOOD}</p>"
        "</article></body></html>")
CONTENT = {  # what a file of each kind holds: an article, and for a batch a broken row after it
    "text": PAGE.encode("utf-8"),  # HTML in a text file: read as text, not sniffed
    "html": PAGE.encode("utf-8"),
    "jsonl": (json.dumps({"id": "j1", "text": GOOD}) + '\n{"id": "j2"}\n').encode("utf-8"),
    "csv": f'id,text\nc1,"{GOOD}"\nc2,"a, b",c\n'.encode("cp1252"),
    "tsv": f"id\ttext\nt1\t{GOOD}\nt2\n".encode(),
}


def _parquet() -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"id": ["p1", "p2"], "text": [GOOD, None]}).to_parquet(buffer)
    return buffer.getvalue()


def _seen(items) -> list[tuple]:
    """What a user is told about each item: the article read (its id, text, format) or the error, with
    where it was (the file's name and the line or row)."""
    out = []
    for item in items:
        where = item.source.replace("\\", "/").rsplit("/", 1)[-1]
        if isinstance(item, Failure):
            out.append((where, item.error.code, str(item.error)))
        else:
            out.append((where, item.id, item.text, item.meta["format"]))
    return out


def test_the_upload_box_takes_every_suffix_ingest_knows():
    assert services.UPLOAD_TYPES == list(ACCEPTED_SUFFIXES) == [*SUFFIXES, ".gz"]
    assert {".tsv", ".ndjson", ".xhtml", ".txt", ".html", ".jsonl", ".csv", ".parquet", ".gz"} <= set(
        services.UPLOAD_TYPES)
    assert all(s.startswith(".") for s in services.UPLOAD_TYPES)  # a bare "text" is Streamlit's text/* types


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("suffix", list(SUFFIXES))
def test_an_upload_is_read_as_ingest_reads_the_same_file_from_disk(tmp_path, suffix, compressed):
    kind = SUFFIXES[suffix]
    data = _parquet() if kind == "parquet" else CONTENT[kind]
    name = f"batch{suffix}.gz" if compressed else f"batch{suffix}"
    if compressed:
        data = gzip.compress(data)
    (tmp_path / name).write_bytes(data)

    from_disk = _seen(iter_inputs([str(tmp_path / name)]))
    uploaded = _seen(services.items_from_upload(name, data))
    assert uploaded == from_disk
    if kind in ("text", "html"):
        ((_, _, text, fmt),) = uploaded
        assert fmt == kind and (text.startswith("<html>") if kind == "text" else text.startswith(GOOD))
    else:  # a batch: the good row stored, the broken one reported with its line or row, as E005
        (good, bad) = uploaded
        assert good[1].endswith("1") and good[2] == GOOD
        assert bad[0].startswith(f"{name}:") and bad[1] == "E005"


def test_an_upload_fails_as_the_same_file_fails_on_disk(tmp_path):
    cases = {"empty.txt": b"", "picture.html": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
             "broken.jsonl.gz": b"not gzip", "big.md": b"x" * (services.DEFAULT_MAX_BYTES + 1),
             "nocolumn.csv": b"title\nT\n"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        from_disk = _seen(iter_inputs([str(tmp_path / name)]))
        assert _seen(services.items_from_upload(f"some/folder/{name}", data)) == from_disk, name
    codes = {name: _seen(iter_inputs([str(tmp_path / name)]))[0][1] for name in cases}
    assert codes == {"empty.txt": "E001", "picture.html": "E002", "broken.jsonl.gz": "E008", "big.md": "E003",
                     "nocolumn.csv": "E008"}


def test_a_name_ingest_does_not_know_is_sniffed_in_both(tmp_path):
    (tmp_path / "article").write_bytes(PAGE.encode("utf-8"))
    ((_, _, text, fmt),) = _seen(services.items_from_upload("article", PAGE.encode("utf-8")))
    assert _seen(iter_inputs([str(tmp_path / "article")])) == [("article", None, text, fmt)]
    assert fmt == "html" and text.startswith(GOOD)
    assert isinstance(next(services.items_from_upload("x.txt", GOOD.encode("cp1252"))), RawArticle)
