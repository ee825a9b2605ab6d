"""`annotator ingest`: annotates like `annotate`, stores each record, and leaves answers alone on
re-ingest."""

import shutil

import pytest

from annotator.store import Store
from tests.conftest import SEED
from tests.test_cli import ARTICLE, run


def test_usage_errors_exit_2_before_loading_any_model(tmp_path):
    code, _, err, _ = run("ingest", "a.txt", "--db", "nosuchdb://x/y", cwd=tmp_path)
    assert code == 2 and "--db" in err and "Traceback" not in err
    assert run("ingest", cwd=tmp_path)[0] == 2
    db = str(tmp_path / "s.sqlite")
    assert run("ingest", "a.txt", "b.txt", "--url", "https://x", "--db", db, cwd=tmp_path)[0] == 2
    assert run("ingest", "a.txt", "--jobs", "0", "--db", db, cwd=tmp_path)[0] == 2


@pytest.mark.slow
def test_ingest_stores_articles_reports_failures_and_keeps_answers_on_reingest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "data" / "store.sqlite"

    code, out, err, _ = run("ingest", str(folder), "--db", str(db), cwd=tmp_path)
    assert code == 1 and out == "" and "Traceback" not in err
    failure, summary = err.strip().splitlines()
    assert "empty.txt" in failure and "E001" in failure
    assert "2 articles stored" in summary and "1 failed" in summary and "0 updated" in summary

    with Store(str(db)) as store:
        rows = store.queue()
        assert len(rows) == 2 and {r.outlet_id for r in rows} >= {"rt-fr"}
        seed = next(store.article(r.article_id) for r in rows if r.outlet_id == "rt-fr")
        target = seed.targets[0]
        store.answer(target.id, "alice", "reject", note="not a claim")
        n_targets = len(seed.targets)

    code, _, err, _ = run("ingest", str(folder / SEED.name), "--db", f"sqlite:///{db}", cwd=tmp_path)
    assert code == 0, err
    summary = (f"annotator: 1 article stored in sqlite:///{db}: 0 suggestions added, 0 updated, "
               f"{n_targets} unchanged; 0 failed")
    assert err.strip().splitlines() == [summary]
    with Store(str(db)) as store:
        again = store.article(seed.id)
        assert len(again.targets) == n_targets
        answers = [(a.user, a.verdict, a.note) for a in again.targets[0].answers]
        assert answers == [("alice", "reject", "not a claim")]
