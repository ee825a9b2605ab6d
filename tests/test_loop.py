"""The whole loop as a script would run it, through the command line: ingest the seed and the real pages,
two analysts answer 40 labels (disagreeing on some), export to every format, re-import the jsonl into
an empty store and find the same answers, retrain the claim layer, see the new version beside the one in
use, promote, roll back."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from annotator.cli import main
from annotator.learning.registry import Registry
from annotator.store import Store

ROOT = Path(__file__).resolve().parent.parent
# the corpora the claim head learns beside the store's gold: the project's development sentences
BASE = [arg for lang in ("fr", "en")
        for arg in ("--corpus", f"labelled:{ROOT / 'tests' / 'data' / f'claims_dev_{lang}.jsonl'}")]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def answers_by_label(store: Store) -> dict[tuple, list[tuple]]:
    """Every answer, keyed by (article, layer, label, span): what a round trip must keep."""
    out = {}
    for article_id in sorted(r.article_id for r in store.queue()):
        for t in store.article(article_id).targets:
            if t.answers:
                out[(article_id, t.layer, t.label, t.start, t.end)] = [
                    (a.user, a.verdict, a.label, a.start, a.end, a.time, a.note) for a in t.answers]
    return out


@pytest.mark.slow
def test_ingest_answer_export_reimport_retrain_promote_roll_back(seed_record, page_records, tmp_path,
                                                                monkeypatch, capsys):
    monkeypatch.setenv("ANNOTATOR_MODELS", str(tmp_path / "models"))  # the versions trained here stay here
    db = str(tmp_path / "store.sqlite")

    # `annotator ingest` stores what the pipeline made of each article: the seed and the 51 pages, annotated
    # once for the whole suite (tests/test_cli_ingest.py runs the command itself)
    with Store(db) as store:
        for record in [seed_record, *filter(None, page_records.values())]:
            store.ingest(record)
    with Store(db) as store:
        rows = store.queue()
        assert len(rows) >= 45 and any(r.outlet_id == "rt-fr" for r in rows)
        claims = [t for r in rows for t in store.article(r.article_id).targets if t.layer == "claim"]
        assert len(claims) >= 40
        # 40 labels: alice answers them all; bob answers the first 30, disagreeing on every fifth
        for i, target in enumerate(claims[:40]):
            verdict = "reject" if i % 4 == 3 else "accept"
            store.answer(target.id, "alice", verdict, note="too vague" if verdict == "reject" else None)
            if i < 30:
                other = {"accept": "reject", "reject": "accept"}[verdict] if i % 5 == 0 else verdict
                store.answer(target.id, "bob", other)
        said = answers_by_label(store)
    assert sum(len(v) for v in said.values()) == 70

    # export to every format; each has its manifest with the data's hash
    out = tmp_path / "out"
    for fmt, name in [("jsonl", "labels.jsonl"), ("csv", "labels.csv"), ("parquet", "labels.parquet"),
                      ("label-studio", "tasks.json"), ("prodigy", "prodigy.jsonl"), ("hf", "dataset")]:
        code, _, err = cli(capsys, "export", "--format", fmt, "-o", str(out / name), "--db", db)
        assert code == 0, (fmt, err)
        manifest = json.loads(((out / name / "manifest.json") if fmt == "hf" else
                               (out / f"{name}.manifest.json")).read_text())
        assert manifest["counts"]["answers"] >= 70 if fmt not in ("label-studio", "prodigy") else True
    flat = pd.read_parquet(out / "labels.parquet")
    disputed = flat[(flat["layer"] == "claim") & (flat["gold_status"] == "unresolved")]
    assert disputed["article_id"].nunique() >= 1, "the analysts' disagreements are unresolved, not gold"

    # the jsonl re-imported into an empty store holds the same answers
    empty = str(tmp_path / "again.sqlite")
    code, _, err = cli(capsys, "import", str(out / "labels.jsonl"), "--format", "jsonl", "--db", empty)
    assert code == 0, err
    with Store(empty) as store:
        assert answers_by_label(store) == said

    # retrain the claim layer from the gold twice; the second shows its figures beside the first's
    code, report_out, err = cli(capsys, "train", "claim", "--db", db, "--no-base", *BASE)
    assert code == 0, err
    first = json.loads(report_out)
    registry = Registry(tmp_path / "models")
    assert first["version"] in registry.versions("claim") and registry.promoted("claim") is None
    assert cli(capsys, "models", "promote", "claim", first["version"])[0] == 0

    with Store(db) as store:  # more answers, then a second version
        for target in claims[40:60]:
            store.answer(target.id, "carol", "accept")
    code, report_out, err = cli(capsys, "train", "claim", "--db", db, "--no-base", *BASE)
    assert code == 0, err
    second = json.loads(report_out)
    assert second["current"]["version"] == first["version"]
    # label by label, same data
    assert set(second["current"]["per_label"]) == set(second["model"]["per_label"])
    assert "micro_f1" in second["current"] and "micro_f1" in second["model"]

    assert cli(capsys, "models", "promote", "claim", second["version"])[0] == 0
    assert registry.promoted("claim") == second["version"]
    code, out_text, _ = cli(capsys, "models", "rollback", "claim")
    assert code == 0 and first["version"] in out_text
    assert registry.promoted("claim") == first["version"]
