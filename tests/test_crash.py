"""Crash safety: `annotator import` and `annotator ingest` killed with SIGKILL at random moments, then
run again to the end. Every article and every answer is present exactly once, nothing half-written:
each record is one transaction (SQLite in WAL mode), and importing again adds only what is missing.

The number of kills is ANNOTATOR_KILLS (default 6 per command in `make test`; README "Reliability"
gives the figures of a longer run)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from annotator.store import Store

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("ANNOTATOR_KILLS", "6"))
VOTES = (("alice", "accept"), ("bob", "reject"), ("carol", "accept"))
TEXT = "Le ministre aurait dit que la guerre est finie. Selon une source anonyme, les troupes partent."


def run(args: list[str], env: dict[str, str], kill_after: float | None = None) -> int | None:
    """The command; with ``kill_after``, SIGKILL after that many seconds (None: it ended first)."""
    process = subprocess.Popen([sys.executable, "-m", "annotator", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_after is None:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
        return process.returncode
    try:
        process.wait(timeout=kill_after)
        return process.returncode
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None


def export_file(folder: Path, n: int) -> tuple[Path, int]:
    """n annotator/v1 records, each with two labels answered by three analysts: a file to import."""
    lines, answers = [], 0
    start = TEXT.index("Selon")
    for i in range(n):
        annotations = [
            {"layer": "claim", "label": "reported_conditional", "start": 0, "end": 47, "text": TEXT[:47],
             "score": 0.9, "agent": "claims@test",
             "answers": [{"user": u, "verdict": v, "time": f"2026-12-01T10:0{k}:00+00:00"}
                         for k, (u, v) in enumerate(VOTES)]},
            {"layer": "frame", "label": "Political", "start": None, "end": None, "text": None, "score": 0.6,
             "agent": "framing@test",
             "answers": [{"user": u, "verdict": "accept", "time": "2026-12-01T11:00:00+00:00"}
                         for u in ("alice", "bob", "carol")]},
        ]
        answers += 6
        lines.append(json.dumps({"schema": "annotator/v1", "id": f"crash-{i:04d}", "text": TEXT,
                                 "language": "fr", "annotations": annotations}))
    assert start > 0
    file = folder / "export.jsonl"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file, answers


def census(db: Path) -> dict[str, int]:
    with Store(str(db)) as store, store.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
        doubled = connection.execute(sa.text(
            "SELECT count(*) FROM (SELECT target_id, user, verdict, time FROM answers "
            "GROUP BY target_id, user, verdict, time HAVING count(*) > 1)")).scalar_one()
        return {"articles": connection.execute(sa.text("SELECT count(*) FROM articles")).scalar_one(),
                "answers": connection.execute(sa.text("SELECT count(*) FROM answers")).scalar_one(),
                "doubled answers": doubled}


def test_an_import_killed_again_and_again_ends_with_every_answer_once(tmp_path):
    file, expected_answers = export_file(tmp_path, 2000)
    db = tmp_path / "store.sqlite"
    env = {**os.environ, "ANNOTATOR_DB": str(db)}
    rng = random.Random(7)
    killed = 0
    for _ in range(KILLS):
        if run(["import", str(file), "--format", "jsonl"], env, kill_after=rng.uniform(1.5, 4.0)) is None:
            killed += 1
    run(["import", str(file), "--format", "jsonl"], env)
    print(f"import: {killed} of {KILLS} runs killed mid-way")  # the README's figure (pytest -s)
    assert census(db) == {"articles": 2000, "answers": expected_answers, "doubled answers": 0}
    assert killed >= 1  # at least one run really died mid-way (the counts above then say it lost nothing)


def test_an_ingest_killed_again_and_again_ends_with_every_article_once(tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"id": f"page-{i:04d}", "text": f"{TEXT} Numéro {i}.",
                                         "language": "fr"}) + "\n" for i in range(120)), encoding="utf-8")
    db = tmp_path / "store.sqlite"
    env = {**os.environ, "ANNOTATOR_DB": str(db), "ANNOTATOR_TIER": "static"}
    rng = random.Random(11)
    killed = 0
    started = time.monotonic()
    for _ in range(KILLS):
        if run(["ingest", str(batch), "--jobs", "1"], env, kill_after=rng.uniform(3.0, 12.0)) is None:
            killed += 1
    run(["ingest", str(batch), "--jobs", "1"], env)
    print(f"ingest: {killed} of {KILLS} runs killed mid-way")
    with Store(str(db)) as store:
        ids = store.article_ids()
        assert sorted(ids) == [f"page-{i:04d}" for i in range(120)]
        # each article whole: its targets all there (the same count as an article ingested once)
        per_article = {len(store.article(i).targets) for i in ids[:20]}
        assert len(per_article) <= 2, per_article
        ingests = store.audit.events(action="ingest")
    assert census(db)["articles"] == 120 and killed >= 1
    assert len({e.subject for e in ingests}) == 120
    assert time.monotonic() - started < 600
