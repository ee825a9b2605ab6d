"""The dashboard's Export page, driven with Streamlit's AppTest: the files it builds are the command
line's."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

from annotator.exchange import FORMATS
from annotator.store import Store
from tests import test_app
from tests.test_app import app, calm_record

store = test_app.store  # the dashboard tests' fixture: a fresh store, the one the page opens


def reviewed(store: Store, hostile_record) -> None:
    store.ingest(hostile_record)
    store.ingest(calm_record())
    for t in store.article("hostile-1").targets:
        store.answer(t.id, "alice", "accept")
        store.answer(t.id, "bob", "reject" if t.layer == "technique" else "accept")
    (calm,) = store.article("calm-1").targets
    store.answer(calm.id, "bob", "accept")


def test_export_page_builds_the_files_and_shows_the_counts(store, hostile_record):
    reviewed(store, hostile_record)
    at = app(page="Export")
    assert not at.exception
    assert not at.download_button  # nothing built yet
    assert at.selectbox(key="ex_user").options == ["any", "alice", "bob"]
    assert at.selectbox(key="ex_outlet").options == ["any", "evil"]

    at.selectbox(key="ex_format").set_value("csv")
    at.selectbox(key="ex_status").set_value("gold").run()
    at.button(key="ex_build").click().run()
    assert not at.exception and not at.error
    # articles, labels (the technique is unresolved; hostile-1's publishing outlet accepted by both), answers
    assert [m.value for m in at.metric] == ["2", "3", "5"]
    assert [b.label for b in at.download_button] == ["Download annotator-export.csv",
                                                      "Download annotator-export.csv.manifest.json"]
    built = at.session_state["export_built"]
    rows = list(csv.DictReader(io.StringIO(built.files[0][1].decode("utf-8"))))
    assert {(r["article_id"], r["label"], r["gold_status"]) for r in rows} == {
        ("hostile-1", "reported_conditional", "agreed"), ("hostile-1", "evil", "agreed"),
        ("calm-1", "single_source", "agreed")}
    manifest = json.loads(built.files[1][1])
    assert manifest["filters"]["status"] == "gold" and manifest["gold_rule"]["agreement"] == "unanimous"
    assert manifest["counts"] == built.manifest["counts"]
    assert at.dataframe[1].value.set_index("gold status")["labels"].to_dict() == {
        "adjudicated": 0, "agreed": 3, "unresolved": 0, "unreviewed": 0}

    at.selectbox(key="ex_agreement").set_value("majority").run()  # a changed option: the old build is gone
    assert not at.download_button
    at.number_input(key="ex_min").set_value(2)
    at.selectbox(key="ex_format").set_value("hf").run()
    at.button(key="ex_build").click().run()
    assert not at.exception
    ((name, data),) = at.session_state["export_built"].files
    assert name == "annotator-export-hf.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["annotator-export-hf/README.md",
                                              "annotator-export-hf/data/train.parquet",
                                              "annotator-export-hf/manifest.json"]
    # majority of at least two: the calm article has one answer, the technique a tie; hostile-1's claim and
    # its publishing outlet have two each
    assert [m.value for m in at.metric] == ["1", "2", "4"]


def test_export_page_says_what_is_wrong_with_the_filters(store, hostile_record):
    reviewed(store, hostile_record)
    at = app(page="Export")
    at.date_input(key="ex_since").set_value(date(2026, 2, 1))
    at.date_input(key="ex_until").set_value(date(2026, 1, 1)).run()
    at.button(key="ex_build").click().run()
    assert not at.exception and "after" in at.error[0].value
    assert "export_built" not in at.session_state

    at.date_input(key="ex_since").set_value(date(2000, 1, 1))
    at.date_input(key="ex_until").set_value(date(2000, 1, 2)).run()
    at.button(key="ex_build").click().run()
    assert "No article" in at.warning[0].value and [m.value for m in at.metric] == ["0", "0", "0"]


def test_export_page_offers_every_format_of_the_table_and_builds_each(store, hostile_record):
    reviewed(store, hostile_record)
    at = app(page="Export")
    # the command line's formats (annotator/exchange/formats.py), each said with its title
    assert at.selectbox(key="ex_format").options == [
        f"{f.name}: {f.title}" + (", as a zip" if f.folder else "") for f in FORMATS.values()]
    for fmt, form in FORMATS.items():
        at.selectbox(key="ex_format").set_value(fmt).run()
        at.button(key="ex_build").click().run()
        assert not at.exception and not at.error, fmt
        built = at.session_state["export_built"]
        assert built.manifest["format"] == fmt and built.manifest["counts"]["articles"] == 2
        first = f"annotator-export-{fmt}.zip" if form.folder else f"annotator-export{form.suffix}"
        assert at.download_button[0].label == f"Download {first}" and built.files[0][0] == first
        assert built.files[0][1]
