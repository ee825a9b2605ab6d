"""Export and import (annotator/exchange/): every format from a store where two analysts agreed, disagreed,
corrected, added and an adjudicator settled; each import format read back into a fresh store; the gold rule;
the filters; the manifest; the command line's exit codes. Records are built by hand: no model loads."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from annotator import taxonomy
from annotator.cli import main
from annotator.exchange import Filters, export, import_paths, select
from annotator.gold import Gold, GoldRule, resolve
from annotator.record import Answer, Record, article_id
from annotator.store import Store
from tests.test_store import LEMONDE, SENTENCES, TEXT, at, make, span

QUOTE = "Un porte-parole a confirmé la nouvelle."


def target(store: Store, article: str, label: str):
    (found,) = [t for t in store.article(article).targets if t.label == label]
    return found


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture
def store(db: str) -> Store:
    """Two articles reviewed by alice and bob, settled in places by carol (adjudicator), one not reviewed.

    a1 (rt-fr, fr, published 2026-01-10): reported_conditional accepted by both (agreed); anonymous_source
    rejected by alice, corrected to single_source by bob, settled by carol (adjudicated); the frame
    rejected by both (agreed negative); a quote alice added.
    a2 (lemonde, en, published 2025-12-01): reported_conditional accepted by alice, rejected by bob
    (unresolved); anonymous_source accepted then re-spanned by alice (a correct with a new span); the frame
    unanswered.
    a3 (no outlet, fr, not published): nobody answered.
    """
    with Store(db) as opened:
        opened.ingest(make("a1", published="2026-01-10"))
        opened.ingest(make("a2", outlet=LEMONDE, language="en", published="2025-12-01"))
        opened.ingest(make("a3", outlet=None))
        rc1, anon1, frame1 = (target(opened, "a1", x).id for x in ("reported_conditional", "anonymous_source",
                                                                    "Political"))
        opened.answer(rc1, "alice", "accept", time=at(1))
        opened.answer(rc1, "bob", "accept", note="hearsay, clearly", time=at(2))
        opened.answer(anon1, "alice", "reject", time=at(3))
        opened.answer(anon1, "bob", "correct", label="single_source", time=at(4))
        opened.answer(anon1, "carol", "correct", label="single_source", adjudicated=True, time=at(5))
        opened.answer(frame1, "alice", "reject", time=at(6))
        opened.answer(frame1, "bob", "reject", time=at(7))
        start = TEXT.index(QUOTE)
        opened.add_label("a1", "alice", "provenance", "quote", start, start + len(QUOTE),
                         note="the spokesman")
        rc2, anon2 = (target(opened, "a2", x).id for x in ("reported_conditional", "anonymous_source"))
        opened.answer(rc2, "alice", "accept", time=at(8))
        opened.answer(rc2, "bob", "reject", time=at(9))
        first, end = span(1)
        opened.answer(anon2, "alice", "accept", time=at(10))
        opened.answer(anon2, "alice", "correct", start=first + 6, end=end, time=at(11))
        yield opened


def said(store: Store, latest_only: bool = False) -> dict[tuple, list[tuple]]:
    """Every answer per (article, layer, label, span): user, verdict, label, span, time, note, adjudicated."""
    out = {}
    for article in store.article_ids():
        for t in store.article(article).targets:
            answers = t.answers
            if latest_only:
                answers = [a for a in answers if a is [b for b in answers if b.user == a.user][-1]]
            if answers:
                out[(article, t.layer, t.label, t.start, t.end)] = sorted(
                    (a.user, a.verdict, a.label, a.start, a.end, a.time, a.note, a.extra["adjudicated"])
                    for a in answers)
    return out


def agents(store: Store) -> dict[tuple, tuple]:
    return {(a, t.layer, t.label, t.start): (t.agent, t.score) for a in store.article_ids()
            for t in store.article(a).targets}


def fresh(tmp_path: Path, name: str = "other") -> Store:
    return Store(f"sqlite:///{tmp_path / (name + '.sqlite')}")


# --- gold -------------------------------------------------------------------------------------------

def ans(user: str, verdict: str, label: str | None = None, start: int | None = None, end: int | None = None,
        adjudicated: bool = False) -> SimpleNamespace:
    return SimpleNamespace(user=user, verdict=verdict, label=label, start=start, end=end,
                           adjudicated=adjudicated)


def test_gold_unanimous_majority_and_the_fewest_analysts():
    both = [ans("alice", "accept"), ans("bob", "accept")]
    assert resolve("hedge", 0, 5, both) == Gold("agreed", "hedge", 0, 5, n_answers=2)
    split = [ans("alice", "accept"), ans("bob", "reject"), ans("carol", "accept")]
    assert resolve("hedge", 0, 5, split).status == "unresolved"  # unanimous by default
    assert resolve("hedge", 0, 5, split, GoldRule.parse("majority")) == Gold("agreed", "hedge", 0, 5,
                                                                              n_answers=3)
    # a tie is no majority
    assert resolve("hedge", 0, 5, split[:2], GoldRule("majority")).status == "unresolved"
    assert resolve("hedge", 0, 5, both[:1]).status == "agreed"  # one analyst is enough by default...
    # ...not here
    assert resolve("hedge", 0, 5, both[:1], GoldRule.parse("unanimous:2")).status == "unresolved"
    assert resolve("hedge", 0, 5, [], GoldRule()) == Gold("unreviewed")


def test_gold_counts_each_analysts_latest_answer_and_a_reject_is_a_negative():
    changed_mind = [ans("alice", "reject"), ans("bob", "accept"), ans("alice", "accept")]
    assert resolve("hedge", 0, 5, changed_mind).label == "hedge"
    rejected = resolve("hedge", 0, 5, [ans("alice", "reject"), ans("bob", "reject")])
    assert (rejected.status, rejected.label, rejected.start, rejected.is_gold) == ("agreed", None, None, True)


def test_gold_takes_a_correction_with_its_new_label_or_span():
    # same span, said twice
    relabel = [ans("alice", "correct", "weasel"), ans("bob", "correct", "weasel", 0, 5)]
    assert resolve("hedge", 0, 5, relabel) == Gold("agreed", "weasel", 0, 5, n_answers=2)
    respan = [ans("alice", "correct", None, 2, 5), ans("bob", "correct", None, 2, 5)]
    assert resolve("hedge", 0, 5, respan) == Gold("agreed", "hedge", 2, 5, n_answers=2)
    assert resolve("hedge", 0, 5, [respan[0], ans("bob", "accept")]).status == "unresolved"  # 2:5 is not 0:5


def test_gold_an_adjudicated_answer_wins_over_any_agreement():
    answers = [ans("alice", "accept"), ans("bob", "accept"), ans("carol", "reject", adjudicated=True)]
    assert resolve("hedge", 0, 5, answers, GoldRule("majority")) == Gold("adjudicated", n_answers=3)
    # the flag is read from a record's Answer too (its extra, as Store.record gives it)
    record_answers = [Answer("alice", "accept", at(1)), Answer("carol", "correct", at(2), label="weasel",
                                                                 extra={"adjudicated": True})]
    assert resolve("hedge", 0, 5, record_answers).status == "adjudicated"
    assert resolve("hedge", 0, 5, record_answers).label == "weasel"


def test_gold_rule_parses_and_refuses():
    assert GoldRule.parse(" majority:2 ") == GoldRule("majority", 2)
    assert GoldRule.parse("unanimous").describe() == {"order": ["adjudicated", "agreement", "unresolved"],
                                                      "agreement": "unanimous", "min_answers": 1}
    for bad in ("most", "majority:0", "majority:x"):
        with pytest.raises(ValueError, match="gold rule"):
            GoldRule.parse(bad)


# --- jsonl ------------------------------------------------------------------------------------------

def test_jsonl_is_the_store_record_and_imports_back_without_loss(store, tmp_path):
    out = tmp_path / "labels.jsonl"
    done = export(store, "jsonl", out)
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [store.record(a).to_dict() for a in ("a1", "a2", "a3")]
    assert done.manifest["counts"]["answers"] == 12

    with fresh(tmp_path) as other:
        result = import_paths(other, [str(out)], "jsonl")
        assert (result.units, result.new_articles, result.answers_added, result.failures) == (3, 3, 12, [])
        assert said(other) == said(store)
        assert agents(other) == agents(store)  # suggestions with their agent and score; alice's label as hers
        assert target(other, "a1", "quote").agent == "analyst:alice"
        assert [store.record(a).to_dict() for a in ("a1", "a2")] == [other.record(a).to_dict()
                                                                    for a in ("a1", "a2")]

        again = import_paths(other, [str(out)], "jsonl")  # the same file twice: nothing new
        assert (again.answers_added, again.answers_present, again.suggestions_added) == (0, 12, 0)
        assert said(other) == said(store)

    back = import_paths(store, [str(out)], "jsonl")  # into the store it came from: nothing new either
    assert (back.answers_added, back.answers_present, back.new_articles) == (0, 12, 0)


def test_outlet_confirmations_travel_through_every_format_that_imports(store, tmp_path):
    """The publishing outlet is an article-level label (layer `outlet`, the outlet id as label): an
    analyst's confirmation, correction and named outlet come back from jsonl, Label Studio and Prodigy."""
    store.answer(target(store, "a1", "rt-fr").id, "alice", "accept", time=at(30))
    store.answer(target(store, "a2", "lemonde").id, "bob", "correct", label="lefigaro", time=at(31))
    store.add_label("a3", "alice", taxonomy.OUTLET, "mediapart", None, None)  # a3 had no outlet

    def outlets(of: Store, latest_only: bool = False) -> dict:
        return {k: v for k, v in said(of, latest_only).items() if k[1] == taxonomy.OUTLET}

    assert set(outlets(store)) == {("a1", "outlet", "rt-fr", None, None),
                                   ("a2", "outlet", "lemonde", None, None),
                                   ("a3", "outlet", "mediapart", None, None)}
    csv_out = tmp_path / "labels.csv"
    export(store, "csv", csv_out, Filters(layers=(taxonomy.OUTLET,)))
    rows = list(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert {(r["article_id"], r["label"], r["verdict"], r["answer_label"]) for r in rows} == {
        ("a1", "rt-fr", "accept", ""), ("a2", "lemonde", "correct", "lefigaro"),
        ("a3", "mediapart", "add", "")}
    for fmt, latest_only in (("jsonl", False), ("label-studio", True), ("prodigy", True)):
        out = tmp_path / f"labels.{fmt}"
        export(store, fmt, out)
        with fresh(tmp_path, fmt) as other:
            result = import_paths(other, [str(out)], fmt)
            assert result.failures == [], fmt
            assert outlets(other) == outlets(store, latest_only), fmt
            assert import_paths(other, [str(out)], fmt).answers_added == 0, fmt
    config = ET.fromstring((tmp_path / "labels.config.xml").read_text("utf-8"))
    (choices,) = [c for c in config if c.attrib.get("name") == taxonomy.OUTLET]
    assert [c.attrib["value"] for c in choices] == ["lefigaro", "lemonde", "mediapart", "rt-fr"]


def test_an_edited_jsonl_adds_the_new_answers_and_keeps_the_stored_article(store, tmp_path):
    record = store.record("a2").to_dict()
    record["title"] = "changed elsewhere"
    record["annotations"][0]["answers"] = [{"user": "dave", "verdict": "accept", "time": at(30)}]
    path = tmp_path / "edited.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = said(store)
    result = import_paths(store, [str(path)], "jsonl")
    assert (result.answers_added, result.failures) == (1, [])
    assert store.article("a2").title == "Title a2"  # import only adds: the stored article stays as it was
    after = said(store)
    new = {k: v for k, v in after.items() if v != before.get(k)}
    ((key, answers),) = new.items()
    assert key[:3] == ("a2", "frame", "Political") and answers == [("dave", "accept", None, None, None,
                                                                     at(30), None, False)]


def test_an_answer_without_a_time_back_to_an_earlier_one_is_added(store, tmp_path):
    frame_ = target(store, "a2", "Political")
    store.answer(frame_.id, "alice", "accept", time="2021-01-04T09:00:00+00:00")  # Monday
    store.answer(frame_.id, "alice", "reject", time="2021-01-05T09:00:00+00:00")  # Tuesday
    record = store.record("a2").to_dict()
    for annotation in record["annotations"]:
        annotation["answers"] = []
    (edited,) = [a for a in record["annotations"] if a["label"] == "Political"]
    edited["answers"] = [{"user": "alice", "verdict": "accept"}]  # she accepts again; the edit gives no time
    path = tmp_path / "edited.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = import_paths(store, [str(path)], "jsonl")
    assert (result.failures, result.answers_added, result.answers_present) == ([], 1, 0)
    assert store.current(frame_.id, "alice").verdict == "accept"
    assert [a.verdict for a in target(store, "a2", "Political").answers] == ["accept", "reject", "accept"]

    again = import_paths(store, [str(path)], "jsonl")  # now what she says: there already
    assert (again.answers_added, again.answers_present) == (0, 1)
    edited["answers"] = [{"user": "alice", "verdict": "reject", "time": None}]
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert import_paths(store, [str(path)], "jsonl").answers_added == 1
    assert store.current(frame_.id, "alice").verdict == "reject"


def test_a_broken_line_and_a_changed_text_are_reported_and_the_rest_imports(store, tmp_path):
    good = [json.dumps(store.record(a).to_dict()) for a in ("a1", "a2")]
    # not in a span
    changed = store.record("a3").to_dict() | {"text": TEXT.replace("selon lui", "selon elle")}
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([good[0], '{"schema": "annotator/v1", "id": ', good[1], json.dumps(changed),
                               json.dumps({"schema": "annotator/v1", "id": "x", "text": "t", "language": "fr",
                                           "annotations": [{"layer": "claim", "label": "nope", "start": 0,
                                                            "end": 1, "text": "t", "score": 1,
                                                            "agent": "a"}]})]),
                    encoding="utf-8")
    with fresh(tmp_path) as other:
        other.ingest(make("a3", outlet=None))
        reported = []
        result = import_paths(other, [str(path)], "jsonl", report=reported.append)
        assert result.units == 2 and sorted(result.articles) == ["a1", "a2"]
        assert len(reported) == 3 == len(result.failures)
        assert reported[0].startswith(f"{path}:2: [E012]") and "not JSON" in reported[0]
        assert reported[1].startswith(f"{path}:4: [E011]") and "'a3'" in reported[1]
        assert reported[2].startswith(f"{path}:5: [E012]") and "nope" in reported[2]
        assert other.article("a3").text == TEXT and other.article("x") is None


def test_an_answer_the_store_refuses_refuses_its_whole_record(tmp_path):
    record = make("b1")
    record.annotations[1].answers = [Answer("alice", "accept", at(1)),
                                     Answer("bob", "correct", at(2))]  # a correct that changes nothing
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record.to_dict()) + "\n", encoding="utf-8")
    with fresh(tmp_path) as other:
        result = import_paths(other, [str(path)], "jsonl")
        assert "[E012]" in result.failures[0] and "'correct'" in result.failures[0]
        assert other.article("b1") is None  # one transaction: not half of it


# --- csv / parquet ----------------------------------------------------------------------------------

def test_csv_has_one_row_per_answer_with_the_suggestion_and_the_gold(store, tmp_path):
    out = tmp_path / "labels.csv"
    export(store, "csv", out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    frame = pd.read_csv(out)
    assert len(frame) == len(rows)
    # 12 answers, plus one row for each of the 6 labels nobody answered (a2's frame, a3's three, the
    # publishing outlets of a1 and a2)
    assert len(rows) == 12 + 6
    by = {(r["article_id"], r["label"], r["user"]): r for r in rows}
    agreed = by[("a1", "reported_conditional", "bob")]
    assert (agreed["outlet_id"], agreed["language"], agreed["layer"], agreed["agent"], agreed["score"]) == (
        "rt-fr", "fr", "claim", "claims@2026-11-25.1", "0.9")
    assert (agreed["start"], agreed["end"], agreed["text"]) == (str(span(0)[0]), str(span(0)[1]),
                                                                SENTENCES[0])
    assert (agreed["gold_status"], agreed["gold_holds"], agreed["gold_label"]) == ("agreed", "True",
                                                                                    "reported_conditional")
    assert (agreed["verdict"], agreed["note"], agreed["time"]) == ("accept", "hearsay, clearly", at(2))
    assert json.loads(agreed["attributes"]) == {"cue": "aurait dit"}
    settled = by[("a1", "anonymous_source", "carol")]
    assert (settled["gold_status"], settled["gold_label"], settled["verdict"], settled["answer_label"],
            settled["adjudicated"]) == ("adjudicated", "single_source", "correct", "single_source", "True")
    negative = by[("a1", "Political", "alice")]
    assert (negative["gold_status"], negative["gold_holds"], negative["gold_label"], negative["start"]) == (
        "agreed", "False", "", "")
    assert by[("a2", "reported_conditional", "bob")]["gold_status"] == "unresolved"
    respan = next(r for r in rows if r["article_id"] == "a2" and r["verdict"] == "correct")
    assert respan["answer_text"] == SENTENCES[1][6:] and respan["gold_start"] == str(span(1)[0] + 6)
    added = by[("a1", "quote", "alice")]
    assert (added["agent"], added["score"], added["verdict"], added["text"]) == ("analyst:alice", "", "add",
                                                                                 QUOTE)
    unreviewed = by[("a3", "Political", "")]
    assert (unreviewed["gold_status"], unreviewed["verdict"]) == ("unreviewed", "")


def test_parquet_holds_the_same_rows_typed(store, tmp_path):
    export(store, "csv", tmp_path / "labels.csv")
    export(store, "parquet", tmp_path / "labels.parquet")
    table = pd.read_parquet(tmp_path / "labels.parquet")
    text = pd.read_csv(tmp_path / "labels.csv", dtype=str, keep_default_na=False)
    assert list(table.columns) == list(text.columns) and len(table) == len(text)
    assert str(table["time"].dtype) == "datetime64[us, UTC]"
    assert table["start"].isna().sum() == (text["start"] == "").sum()
    row = table[(table["user"] == "carol")].iloc[0]
    assert bool(row["adjudicated"]) and row["score"] == pytest.approx(0.55)
    assert row["time"] == pd.Timestamp(at(5))


# --- Label Studio -----------------------------------------------------------------------------------

def test_label_studio_tasks_config_and_reimport(store, tmp_path):
    store.answer(target(store, "a1", "quote").id, "bob", "accept", time=at(20))
    out = tmp_path / "tasks.json"
    done = export(store, "label-studio", out)
    assert [f.name for f in done.files] == ["tasks.json", "tasks.config.xml", "tasks.json.manifest.json"]
    tasks = json.loads(out.read_text("utf-8"))
    assert len(tasks) == 3
    a1 = tasks[0]
    assert (a1["data"]["text"] == TEXT and a1["data"]["article_id"] == "a1"
            and a1["data"]["outlet_id"] == "rt-fr")
    (prediction,) = a1["predictions"]
    assert prediction["model_version"] == "claims@2026-11-25.1+frames@2026-11-25.1+outlets@2026-12-02.1"
    assert prediction["score"] == pytest.approx((0.9 + 0.55 + 0.6 + 0.98) / 4)
    regions = {r["value"]["labels"][0]: r for r in prediction["result"] if r["type"] == "labels"}
    assert set(regions) == {"reported_conditional", "anonymous_source"}  # not alice's quote: no model said it
    assert regions["reported_conditional"]["value"] == {"start": 0, "end": span(0)[1], "text": SENTENCES[0],
                                                        "labels": ["reported_conditional"]}
    assert (regions["reported_conditional"]["from_name"] == "claim"
            and regions["reported_conditional"]["to_name"] == "text")
    frames, outlet = [r for r in prediction["result"] if r["type"] == "choices"]
    assert frames["from_name"] == "frame" and frames["value"] == {"choices": ["Political"]}
    assert outlet["from_name"] == "outlet" and outlet["value"] == {"choices": ["rt-fr"]}  # the publisher

    by_user = {a["completed_by"]["email"]: a for a in a1["annotations"]}
    assert set(by_user) == {"alice@annotator.invalid", "bob@annotator.invalid", "carol@annotator.invalid"}
    held = {(r["from_name"], r["type"], json.dumps(r["value"], sort_keys=True))
            for r in by_user["alice@annotator.invalid"]["result"]}
    quote = TEXT.index(QUOTE)
    assert held == {  # accepted and added; the rejected ones (the frame, anonymous_source) are not held
        ("claim", "labels", json.dumps({"start": 0, "end": span(0)[1], "text": SENTENCES[0],
                                        "labels": ["reported_conditional"]}, sort_keys=True)),
        ("provenance", "labels", json.dumps({"start": quote, "end": quote + len(QUOTE), "text": QUOTE,
                                             "labels": ["quote"]}, sort_keys=True))}
    bob = {r["value"].get("labels", [None])[0]: r for r in by_user["bob@annotator.invalid"]["result"]}
    assert bob["single_source"]["id"] == regions["anonymous_source"]["id"]  # the same region, relabelled
    assert bob["reported_conditional"]["meta"] == {"text": ["hearsay, clearly"]}
    assert (by_user["carol@annotator.invalid"]["ground_truth"]
            and not by_user["bob@annotator.invalid"]["ground_truth"])
    assert tasks[2]["annotations"] == []

    config = ET.fromstring((tmp_path / "tasks.config.xml").read_text("utf-8"))
    assert config.find("Text").attrib == {"name": "text", "value": "$text"}
    controls = {c.attrib["name"]: (c.tag, c.attrib["toName"], [x.attrib["value"] for x in c])
                for c in config if c.tag in ("Labels", "Choices")}
    assert set(controls) == {"claim", "frame", "technique", "provenance", "structure", "outlet"}
    assert controls["outlet"] == ("Choices", "text", ["lemonde", "rt-fr"])  # the outlets the tasks hold
    assert controls["frame"][0] == "Choices" and "Political" in controls["frame"][2]
    assert controls["claim"] == ("Labels", "text", list(taxonomy.CLAIM_LABELS))
    assert done.manifest["label_studio"]["config"] == "tasks.config.xml"

    for task in tasks:  # whoever comes first, alice's quote stays hers (bob's accept is read before her add)
        task["annotations"].reverse()
    out.write_text(json.dumps(tasks), encoding="utf-8")
    with fresh(tmp_path) as other:
        result = import_paths(other, [str(out)], "label-studio")
        assert result.failures == [] and result.new_articles == 3
        assert said(other) == said(store, latest_only=True)  # each analyst's latest answer, exactly
        assert agents(other) == agents(store)
        assert other.article("a1").outlet == store.article("a1").outlet
        again = import_paths(other, [str(out)], "label-studio")
        assert again.answers_added == 0 and said(other) == said(store, latest_only=True)


def test_a_task_edited_in_label_studio_reads_as_accept_correct_add_and_reject(store, tmp_path):
    out = tmp_path / "tasks.json"
    export(store, "label-studio", out)
    task = json.loads(out.read_text("utf-8"))[1]  # a2
    regions = {r["value"]["labels"][0]: r for r in task["predictions"][0]["result"] if r["type"] == "labels"}
    hedge_at = TEXT.index("Tout va bien")
    # what Label Studio gives back: the annotation as the analyst left it, no "answers", LS's own user ids
    task["annotations"] = [{
        "completed_by": 7, "was_cancelled": False, "created_at": "2026-02-01T10:00:00Z",
        "updated_at": "2026-02-01T10:05:00.5Z",
        "result": [
            regions["reported_conditional"],  # kept: accept
            {**regions["anonymous_source"], "value": {**regions["anonymous_source"]["value"],
                                                      "labels": ["weasel"]}},  # relabelled: correct
            {"id": "new1", "from_name": "claim", "to_name": "text", "type": "labels",  # drawn: add
             "value": {"start": hedge_at, "end": hedge_at + 12, "text": "Tout va bien", "labels": ["hedge"]},
             "meta": {"text": ["a new one"]}},
            {"id": "x", "from_name": "comment", "to_name": "text", "type": "textarea",
             "value": {"text": ["hi"]}},
            # the outlet kept
            next(r for r in task["predictions"][0]["result"] if r["from_name"] == "outlet"),
        ]}]  # and the frame deleted: reject
    task.pop("meta")  # a task from elsewhere: no suggestions by region id either
    with fresh(tmp_path) as other:
        result = import_paths(other, [str(_dump(tmp_path, [task]))], "label-studio")
        assert result.failures == []
        when = "2026-02-01T10:05:00.500000+00:00"
        got = {(t.layer, t.label): [(a.user, a.verdict, a.label, a.start, a.note, a.time) for a in t.answers]
               for t in other.article("a2").targets}
        assert got == {
            ("frame", "Political"): [("label-studio:7", "reject", None, None, None, when)],
            ("claim", "reported_conditional"): [("label-studio:7", "accept", None, None, None, when)],
            ("claim", "anonymous_source"): [("label-studio:7", "correct", "weasel", None, None, when)],
            ("claim", "hedge"): [("label-studio:7", "add", None, None, "a new one", when)],
            ("outlet", "lemonde"): [("label-studio:7", "accept", None, None, None, when)]}
        assert target(other, "a2", "reported_conditional").agent == task["predictions"][0]["model_version"]
        assert target(other, "a2", "hedge").agent == "analyst:label-studio:7"


def _dump(tmp_path: Path, data) -> Path:
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


LS_TIME = "2026-03-01T09:00:00.000000Z"


def as_label_studio_exports(tasks: list[dict]) -> list[dict]:
    """Our tasks as Label Studio exports them once it has imported them: its own ids, times and users, the
    task's ``data`` and ``meta`` kept, and no private ``answers`` key on the annotations."""
    out = []
    for n, task in enumerate(json.loads(json.dumps(tasks)), 1):
        task |= {"id": n, "project": 1, "created_at": LS_TIME, "updated_at": LS_TIME}
        for m, prediction in enumerate(task["predictions"], 1):
            prediction |= {"id": 100 * n + m, "task": n, "created_ago": "2 hours"}
        for m, annotation in enumerate(task["annotations"], 1):
            del annotation["answers"]
            annotation |= {"id": 1000 * n + m, "task": n, "created_at": LS_TIME, "updated_at": LS_TIME,
                           "lead_time": 4.2, "parent_prediction": None,
                           "result_count": len(annotation["result"]),
                           "completed_by": {"id": m, "email": annotation["completed_by"]["email"],
                                            "first_name": "", "last_name": ""}}
        out.append(task)
    return out


def test_a_label_studio_reexport_neither_invents_rejects_nor_duplicates_answers(store, tmp_path):
    out = tmp_path / "tasks.json"
    export(store, "label-studio", out)
    tasks = as_label_studio_exports(json.loads(out.read_text("utf-8")))
    path = _dump(tmp_path, tasks)
    with fresh(tmp_path) as other:
        result = import_paths(other, [str(path)], "label-studio")
        assert result.failures == []
        # each analyst's latest answer with its own time: alice answered two of a2's three suggestions and
        # bob one, nobody the frame, so nobody rejected it; and no answer stamped with Label Studio's time
        assert said(other) == said(store, latest_only=True)
        assert target(other, "a2", "Political").answers == []
        again = import_paths(other, [str(path)], "label-studio")
        assert (again.answers_added, again.answers_present) == (0, result.answers_added)
        assert said(other) == said(store, latest_only=True)

    before = said(store)
    back = import_paths(store, [str(path)], "label-studio")  # into the store it came from: nothing new
    assert (back.failures, back.answers_added, back.answers_present) == ([], 0, result.answers_added)
    assert said(store) == before


def test_a_reexported_task_edited_in_label_studio_adds_only_the_changes(store, tmp_path):
    out = tmp_path / "tasks.json"
    export(store, "label-studio", out)
    tasks = as_label_studio_exports(json.loads(out.read_text("utf-8")))
    (bob,) = [a for a in tasks[0]["annotations"] if a["completed_by"]["email"] == "bob@annotator.invalid"]
    regions = {r["value"]["labels"][0]: r for r in bob["result"] if r["type"] == "labels"}
    assert set(regions) == {"reported_conditional", "single_source"}  # his accept and his correction
    hedge_at = TEXT.index("Tout va bien")
    edited = "2026-03-02T08:00:00+00:00"
    bob["updated_at"] = edited
    bob["result"] = [
        {**regions["reported_conditional"], "value": {**regions["reported_conditional"]["value"],
                                                      "labels": ["weasel"]}},  # relabelled: correct
        # single_source, his correction of anonymous_source, deleted: reject
        {"id": "Xk2_9aQ", "from_name": "claim", "to_name": "text", "type": "labels",  # drawn: add
         "value": {"start": hedge_at, "end": hedge_at + 12, "text": "Tout va bien", "labels": ["hedge"]}},
    ]  # and the frame he had rejected still not held: his reject as it was
    path = _dump(tmp_path, tasks)
    before = said(store)
    result = import_paths(store, [str(path)], "label-studio")
    assert (result.failures, result.answers_added) == ([], 3)
    after = said(store)
    new = {k: sorted(set(v) - set(before.get(k, []))) for k, v in after.items() if v != before.get(k)}
    (s0, e0), (s1, e1) = span(0), span(1)
    assert new == {
        ("a1", "claim", "reported_conditional", s0, e0): [("bob", "correct", "weasel", None, None, edited,
                                                           "hearsay, clearly", False)],
        ("a1", "claim", "anonymous_source", s1, e1): [("bob", "reject", None, None, None, edited, None,
                                                       False)],
        ("a1", "claim", "hedge", hedge_at, hedge_at + 12): [("bob", "add", None, None, None, edited, None,
                                                             False)]}
    assert target(store, "a1", "hedge").agent == "analyst:bob"
    again = import_paths(store, [str(path)], "label-studio")
    assert again.answers_added == 0 and said(store) == after

    # into an empty store: the answers as exported, bob's changes instead of his
    with fresh(tmp_path) as other:
        assert import_paths(other, [str(path)], "label-studio").failures == []
        theirs = said(other)
        assert theirs[("a1", "claim", "anonymous_source", s1, e1)] == sorted([
            ("alice", "reject", None, None, None, at(3), None, False),
            ("bob", "reject", None, None, None, edited, None, False),
            ("carol", "correct", "single_source", None, None, at(5), None, True)])
        assert theirs[("a1", "frame", "Political", None, None)] == [
            ("alice", "reject", None, None, None, at(6), None, False),
            ("bob", "reject", None, None, None, at(7), None, False)]


def test_a_foreign_annotation_rejects_only_the_predictions_its_annotator_had(tmp_path):
    text = "Selon le Kremlin, tout va bien. Le ministre aurait dit non."
    prediction = {"id": 55, "model_version": "m1", "result": [
        {"id": "p1", "from_name": "claim", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 16, "text": "Selon le Kremlin", "labels": ["single_source"]}},
        {"id": "p2", "from_name": "claim", "to_name": "text", "type": "labels",
         "value": {"start": 32, "end": 59, "text": text[32:59], "labels": ["reported_conditional"]}},
        {"id": "p3", "from_name": "frame", "to_name": "text", "type": "choices",
         "value": {"choices": ["Political"]}}]}
    drawn = {"id": "d1", "from_name": "claim", "to_name": "text", "type": "labels",
             "value": {"start": 18, "end": 30, "text": "tout va bien", "labels": ["hedge"]}}
    task = {"data": {"text": text}, "predictions": [prediction], "annotations": [
        # dan never had the pre-annotations (his annotation holds none of their regions): no rejects
        {"completed_by": {"email": "dan@example.org"}, "updated_at": "2026-02-01T10:00:00Z",
         "result": [drawn]},
        # eve's annotation started from the prediction (Label Studio copies its region ids): p2, p3 deleted
        {"completed_by": {"email": "eve@example.org"}, "updated_at": "2026-02-01T10:00:00Z",
         "result": [prediction["result"][0]]},
        # fay's says so itself (parent_prediction) and she deleted everything
        {"completed_by": {"email": "fay@example.org"}, "updated_at": "2026-02-01T10:00:00Z",
         "parent_prediction": 55, "result": []}]}
    with fresh(tmp_path) as other:
        result = import_paths(other, [str(_dump(tmp_path, [task]))], "label-studio")
        assert result.failures == []
        got = {t.label: sorted((a.user.split("@")[0], a.verdict) for a in t.answers)
               for t in other.article(article_id(None, text)).targets}
        assert got == {"single_source": [("eve", "accept"), ("fay", "reject")],
                       "reported_conditional": [("eve", "reject"), ("fay", "reject")],
                       "Political": [("eve", "reject"), ("fay", "reject")],
                       "hedge": [("dan", "add")]}


def test_a_foreign_label_studio_task_gets_a_hash_id_and_bad_regions_are_refused(tmp_path):
    text = "Selon le Kremlin, tout va bien."
    good = {"data": {"text": text}, "annotations": [{"completed_by": {"email": "eve@example.org"}, "result": [
        {"from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 16, "text": "Selon le Kremlin", "labels": ["single_source"]}}]}]}
    shifted = {"data": {"text": text + " 😀"}, "annotations": [{"result": [
        {"from_name": "claim", "to_name": "text", "type": "labels",
         "value": {"start": 1, "end": 17, "text": "Selon le Kremlin", "labels": ["single_source"]}}]}]}
    unknown = {"data": {"text": text}, "predictions": [{"result": [
        {"from_name": "claim", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 5, "labels": ["Rumour"]}}]}]}
    with fresh(tmp_path) as other:
        result = import_paths(other, [str(_dump(tmp_path, [good, shifted, unknown, {"data": {}}]))],
                              "label-studio")
        assert result.units == 1 and len(result.failures) == 3
        assert "task 2: [E012]" in result.failures[0] and "holds" in result.failures[0]
        assert "task 3: [E012]" in result.failures[1] and "Rumour" in result.failures[1]
        assert "task 4: [E012]" in result.failures[2] and "data.text" in result.failures[2]
        (t,) = other.article(article_id(None, text)).targets
        assert (t.layer, t.label, t.agent, [(a.user, a.verdict) for a in t.answers]) == (
            "claim", "single_source", "analyst:eve@example.org", [("eve@example.org", "add")])


# --- Prodigy ----------------------------------------------------------------------------------------

def test_prodigy_lines_and_reimport(store, tmp_path):
    out = tmp_path / "prodigy.jsonl"
    export(store, "prodigy", out)
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(lines) == sum(len(v) for v in said(store, latest_only=True).values())  # one per latest answer
    rc = [x for x in lines if x["meta"]["article_id"] == "a1"
          and x.get("spans", [{}])[0].get("label") == "reported_conditional"]
    assert [(x["_annotator_id"], x["answer"], x["_view_id"]) for x in rc] == [("alice", "accept", "spans"),
                                                                             ("bob", "accept", "spans")]
    assert rc[0]["spans"] == [{"start": 0, "end": span(0)[1], "label": "reported_conditional",
                               "text": SENTENCES[0]}]
    assert rc[0]["text"] == TEXT and rc[0]["_session_id"] == "alice"
    assert rc[0]["_timestamp"] == 1767225601 and rc[0]["meta"]["target"]["agent"] == "claims@2026-11-25.1"
    assert all(isinstance(x["_input_hash"], int) and isinstance(x["_task_hash"], int) for x in lines)
    assert len({x["_input_hash"] for x in lines}) == 1  # a1 and a2 have the same text
    assert rc[0]["_task_hash"] == rc[1]["_task_hash"]  # the same question
    frame = [x for x in lines if x["meta"]["article_id"] == "a1" and x["_view_id"] == "classification"]
    assert [(x["label"], x["answer"]) for x in frame] == [("Political", "reject"), ("Political", "reject")]
    bob = [x for x in lines
           if x["_annotator_id"] == "bob" and x["meta"]["target"]["label"] == "anonymous_source"]
    assert bob[0]["spans"][0]["label"] == "single_source" and bob[0]["answer"] == "accept"  # his correction

    with fresh(tmp_path) as other:
        result = import_paths(other, [str(out)], "prodigy")
        assert result.failures == []
        assert said(other) == said(store, latest_only=True)
        answered = {k[:4] for k in said(store)}  # a line per answer: the labels nobody answered are not there
        assert agents(other) == {k: v for k, v in agents(store).items() if k in answered}
        assert import_paths(other, [str(out)], "prodigy").answers_added == 0


def test_prodigy_lines_from_elsewhere(tmp_path):
    text = "Selon le Kremlin, il serait parti. Some experts say so."
    manual = {"text": text, "spans": [{"start": 0, "end": 16, "label": "single_source"},
                                      {"start": 35, "end": 52, "label": "weasel",
                                       "text": "Some experts say "}],
              "answer": "accept", "_annotator_id": "news-eve", "_timestamp": 1767225600}
    binary = {"text": text, "label": "Political", "answer": "reject", "_session_id": "news-eve"}
    skipped = {"text": text, "spans": [], "answer": "ignore"}
    wrong = {"text": text, "spans": [{"start": 0, "end": 5, "label": "single_source", "text": "Nope!"}],
             "answer": "accept"}
    path = tmp_path / "db-out.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in (manual, binary, skipped, wrong, {"answer": "accept"})),
                    encoding="utf-8")
    with fresh(tmp_path) as other:
        result = import_paths(other, [str(path)], "prodigy")
        assert (result.units, result.ignored, len(result.failures)) == (2, 1, 2)
        assert f"{path}:4: [E012]" in result.failures[0] and f"{path}:5: [E012]" in result.failures[1]
        view = other.article(article_id(None, text))
        assert view.language == "und"
        got = {(t.layer, t.label, t.start): (t.agent, [(a.user, a.verdict, a.time) for a in t.answers])
               for t in view.targets}
        assert got == {
            ("claim", "single_source", 0): ("analyst:news-eve",
                                            [("news-eve", "add", "2026-01-01T00:00:00+00:00")]),
            ("claim", "weasel", 35): ("analyst:news-eve", [("news-eve", "add", "2026-01-01T00:00:00+00:00")]),
            ("frame", "Political", None): ("prodigy", [("news-eve", "reject",
                                                        got[("frame", "Political", None)][1][0][2])])}
        # no time given: a second import matches the answer at any time instead of adding it again
        assert import_paths(other, [str(path)], "prodigy").answers_added == 0


# --- Hugging Face -----------------------------------------------------------------------------------

def test_hf_folder_loads_with_datasets(store, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    folder = tmp_path / "hf"
    done = export(store, "hf", folder, Filters(status="gold"))
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "README.md", "data/train.parquet", "manifest.json"]
    card = (folder / "README.md").read_text("utf-8")
    assert card.startswith("---\nconfigs:\n- config_name: default\n") and "path: data/train.parquet" in card
    rows = datasets.load_dataset(str(folder), cache_dir=str(tmp_path / "cache"))["train"]
    assert rows.num_rows == 2 == done.manifest["counts"]["articles"]  # a3 has no gold label
    row = rows[0]
    assert row["id"] == "a1" and row["text"] == TEXT and row["outlet_id"] == "rt-fr"
    gold = {(x["label"], x["gold_status"], x["gold_holds"], x["gold_label"]) for x in row["labels"]}
    assert gold == {("reported_conditional", "agreed", True, "reported_conditional"),
                    ("anonymous_source", "adjudicated", True, "single_source"),
                    ("Political", "agreed", False, None), ("quote", "agreed", True, "quote")}
    answers = {x["label"]: [(a["user"], a["verdict"]) for a in x["answers"]] for x in row["labels"]}
    assert answers["anonymous_source"] == [("alice", "reject"), ("bob", "correct"), ("carol", "correct")]


# --- manifest and filters ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "label-studio", "prodigy"])
def test_the_manifest_names_each_file_with_its_hash_the_rule_and_the_counts(store, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    done = export(store, fmt, out, Filters(layers=("claim",)), GoldRule.parse("majority:2"))
    manifest = json.loads((tmp_path / f"export.{fmt}.manifest.json").read_text("utf-8"))
    assert manifest == done.manifest
    assert manifest["schema"] == "annotator/v1" and manifest["format"] == fmt
    assert manifest["tool"] == {"name": "annotator", "version": "0.1.0"}
    assert manifest["gold_rule"] == {"order": ["adjudicated", "agreement", "unresolved"],
                                     "agreement": "majority", "min_answers": 2}
    assert manifest["filters"]["layer"] == ["claim"] and manifest["filters"]["status"] == "any"
    for entry in manifest["files"]:
        data = (tmp_path / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
    assert manifest["files"][0]["path"] == out.name
    counts = manifest["counts"]
    latest = fmt in ("label-studio", "prodigy")
    assert counts["articles"] == 3 and counts["labels"] == 6
    assert counts["per_layer"] == {"claim": {"labels": 6, "answers": 8 if latest else 9}}
    assert counts["per_gold_status"] == {"adjudicated": 1, "agreed": 1, "unresolved": 2, "unreviewed": 2}
    assert counts["answers_per_user"]["carol"] == 1


def exported_keys(store: Store, **filters) -> set[tuple]:
    return {(item.record.id, a.layer, a.label, tuple(x.user for x in a.answers))
            for item in select(store, Filters(**filters)) for a in item.record.annotations}


def test_filters_choose_articles_and_labels(store):
    everything = exported_keys(store)
    assert {k[0] for k in everything} == {"a1", "a2", "a3"}
    assert {k[1] for k in exported_keys(store, layers=("frame",))} == {"frame"}
    assert {k[0] for k in exported_keys(store, outlet="lemonde")} == {"a2"}
    assert {k[0] for k in exported_keys(store, language="fr")} == {"a1", "a3"}
    assert {k[0] for k in exported_keys(store, since=date(2026, 1, 1))} == {"a1", "a3"}  # a3: ingested today
    assert {k[0] for k in exported_keys(store, until=date(2025, 12, 31))} == {"a2"}
    assert {k[0] for k in exported_keys(store, since=date(2025, 12, 1), until=date(2025, 12, 1))} == {"a2"}
    assert {(k[0], k[2]) for k in exported_keys(store, status="gold")} == {
        ("a1", "reported_conditional"), ("a1", "anonymous_source"), ("a1", "Political"), ("a1", "quote"),
        ("a2", "anonymous_source")}  # a2's re-spanned label: alice alone, so agreed
    assert {(k[0], k[2]) for k in exported_keys(store, status="unresolved")} == {
        ("a2", "reported_conditional")}
    assert len(exported_keys(store, status="unreviewed")) == 6  # with a1's and a2's publishing outlets
    bob = exported_keys(store, user="bob")
    assert {k[3] for k in bob} == {("bob",)} and {(k[0], k[2]) for k in bob} == {
        ("a1", "reported_conditional"), ("a1", "anonymous_source"), ("a1", "Political"),
        ("a2", "reported_conditional")}
    # gold from the answers the export holds: bob alone agrees with himself
    assert all(g.status == "agreed" for item in select(store, Filters(user="bob")) for g in item.gold)
    with pytest.raises(ValueError, match="layer"):
        Filters(layers=("claims",))
    with pytest.raises(ValueError, match="after"):
        Filters(since=date(2026, 2, 1), until=date(2026, 1, 1))


# --- the command line -------------------------------------------------------------------------------

def cli(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse's usage errors
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_and_import_exit_codes(store, db, tmp_path, capsys, monkeypatch):
    code, out, err = cli(capsys, "export", "--format", "jsonl", "--db", db, "--layer", "claim",
                         "--gold", "majority:2")
    assert code == 0 and len(out.splitlines()) == 3 and "Traceback" not in err
    assert err.strip() == "annotator: 3 articles, 6 labels, 9 answers exported as jsonl to stdout"

    target_file = tmp_path / "out" / "labels.csv"
    code, out, err = cli(capsys, "export", "--format", "csv", "-o", str(target_file), "--db", db,
                         "--status", "gold", "--since", "2026-01-01")
    assert code == 0 and out == ""
    assert f"exported as csv to {target_file} (manifest {target_file}.manifest.json)" in err
    assert {r["article_id"] for r in csv.DictReader(io.StringIO(target_file.read_text("utf-8")))} == {"a1"}

    for usage in (["export", "--format", "parquet", "--db", db],  # binary: needs -o
                  ["export", "--format", "hf", "-o", "-", "--db", db],
                  ["export", "--format", "jsonl", "--db", db, "--gold", "most"],
                  ["export", "--format", "jsonl", "--db", db, "--since", "yesterday"],
                  ["export", "--format", "jsonl", "--db", db, "--since", "2026-02-01",
                   "--until", "2026-01-01"],
                  ["export", "--format", "xml", "--db", db],
                  ["export", "--format", "jsonl", "--db", "nosuchdb://x/y"],
                  ["import", str(target_file), "--db", db]):  # no --format
        code, _, err = cli(capsys, *usage)
        assert code == 2 and "Traceback" not in err, usage

    code, _, err = cli(capsys, "export", "--format", "jsonl", "-o", str(tmp_path / "all.jsonl"), "--db", db)
    assert code == 0
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    code, _, err = cli(capsys, "import", str(tmp_path / "all.jsonl"), "--format", "jsonl", "--db", other)
    assert code == 0
    assert err.strip() == (f"annotator: 3 articles imported into {other} (3 new): 12 answers added, "
                           "0 already there, 12 labels added; 0 ignored; 0 failed")
    code, _, err = cli(capsys, "import", str(tmp_path / "all.jsonl"), "--format", "jsonl", "--db", other)
    assert code == 0 and "0 answers added, 12 already there" in err

    broken = tmp_path / "broken.jsonl"
    broken.write_text((tmp_path / "all.jsonl").read_text("utf-8") + "{oops\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", str(broken), str(tmp_path / "missing.jsonl"), "--format", "jsonl",
                       "--db", other)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 3 and "Traceback" not in err
    assert lines[0].startswith(f"annotator: {broken}:4: [E012]")
    assert lines[1].startswith(f"annotator: {tmp_path / 'missing.jsonl'}: [E008]")
    assert lines[2].endswith("0 answers added, 12 already there, 0 labels added; 0 ignored; 2 failed")

    lines = (tmp_path / "all.jsonl").read_text("utf-8").splitlines()
    monkeypatch.setattr("sys.stdin", io.StringIO(lines[0] + "\n"))  # '-': the records on stdin
    code, _, err = cli(capsys, "import", "-", "--format", "jsonl",
                       "--db", f"sqlite:///{tmp_path / 'third.sqlite'}")
    assert code == 0 and "1 article imported" in err and "(1 new): 8 answers added" in err

    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert cli(capsys, "import", str(empty), "--format", "jsonl", "--db", other)[0] == 1  # nothing to import

    # a file, not a folder
    code, _, err = cli(capsys, "export", "--format", "hf", "-o", str(broken), "--db", db)
    assert code == 1 and "[E013]" in err and "Traceback" not in err


def test_records_exported_from_one_store_reach_another_through_the_cli_unchanged(store, db, tmp_path, capsys):
    """The user's path: export label-studio from one store, import it into another, export jsonl from both."""
    other = f"sqlite:///{tmp_path / 'other.sqlite'}"
    assert cli(capsys, "export", "--format", "label-studio", "-o", str(tmp_path / "t.json"),
               "--db", db)[0] == 0
    assert cli(capsys, "import", str(tmp_path / "t.json"), "--format", "label-studio", "--db", other)[0] == 0
    _, mine, _ = cli(capsys, "export", "--format", "jsonl", "--db", db, "--user", "bob")
    _, theirs, _ = cli(capsys, "export", "--format", "jsonl", "--db", other, "--user", "bob")
    strip = [Record.from_dict(json.loads(line)) for line in (mine + theirs).splitlines()]
    for record in strip:  # the article's own fields travel only in jsonl
        record.meta, record.segments, record.title = {}, {}, None
    assert [r.to_dict() for r in strip[: len(strip) // 2]] == [r.to_dict() for r in strip[len(strip) // 2:]]
