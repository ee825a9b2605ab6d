"""`--jobs N`: worker processes keep the input's order, report failures as one process does, survive a
worker that dies, read the input lazily, and let only the parent write to the store.

The machinery is tested with a stand-in pipeline (no model to load, so the workers start in a second);
the commands with the rules-only pipeline (every layer by its rules and cues, no encoder heads)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy  # noqa: F401 - loaded when a worker unpickles the factories below, before it limits its threads
import pytest

from annotator import errors, parallel
from annotator.ingest.article import Failure, RawArticle
from annotator.parallel import Stats, WorkersFailed, annotate_stream
from annotator.record import Annotation, Record

# The workers import this module for the factories below: what only the tests need is imported in them.

# --- a stand-in pipeline, importable by name from the workers ---


class FakePipeline:
    """Annotates in a few milliseconds; 'BOOM' in the text raises, 'DIE' ends the worker process."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    def annotate(self, raw: RawArticle) -> Record:
        if "BOOM" in raw.text:
            raise ValueError("boom")
        if "DIE" in raw.text:
            os._exit(3)
        time.sleep(0.01)
        self.timings["fake"] = self.timings.get("fake", 0.0) + 0.01
        word = raw.text.split()[0]
        hedge = Annotation("claim", "hedge", 0, len(word), word, 0.5, "fake@1")
        return Record(id=raw.source, text=raw.text, language="en", annotations=[hedge], meta=raw.meta)


def fake_pipeline() -> FakePipeline:
    return FakePipeline()


class ProbePipeline(FakePipeline):
    """Says, in each record's meta, whether its worker holds torch and how many threads its BLAS may use."""

    def annotate(self, raw: RawArticle) -> Record:
        import sys

        import thinc.compat  # noqa: F401 - spaCy's thinc imports torch whenever it can
        from threadpoolctl import threadpool_info

        record = super().annotate(raw)
        record.meta = {"torch": sys.modules.get("torch") is not None,
                       "blas_threads": max(p["num_threads"] for p in threadpool_info()
                                           if p["user_api"] == "blas")}
        return record


def probe_pipeline() -> ProbePipeline:
    return ProbePipeline()


def broken_pipeline() -> FakePipeline:
    raise OSError("no models here")


def rules_pipeline():
    from annotator.outlets.registry import default_registry
    from annotator.pipeline import Pipeline, default_taggers

    return Pipeline(taggers=default_taggers(default_registry(), heads=False))


def articles(*texts: str) -> list[RawArticle]:
    return [RawArticle(source=f"in/{i}.txt", text=text) for i, text in enumerate(texts)]


def outcomes(stream) -> list[tuple[str, str]]:
    """(source, record id or failure line)"""
    return [(source, got if isinstance(got, str) else got.id) for source, got in stream]


# --- the machinery ---


def test_order_failures_and_an_exception_in_a_worker_are_as_in_one_process():
    items: list = articles(*(f"text {i}" for i in range(8)))
    items.insert(3, Failure("in/empty.txt", errors.empty()))
    items.insert(6, RawArticle(source="in/bug.txt", text="BOOM"))
    stats = Stats()
    two = outcomes(annotate_stream(items, 2, factory=fake_pipeline, stats=stats))
    assert two == outcomes(annotate_stream(items, 1, factory=fake_pipeline))
    assert [source for source, _ in two] == [item.source for item in items]
    assert two[3] == ("in/empty.txt", "in/empty.txt: [E001] empty input: no text to annotate")
    assert two[6] == ("in/bug.txt", "in/bug.txt: [E900] internal error: ValueError: boom")
    assert 1 <= len(stats.peak_mb) <= 2 and os.getpid() not in stats.peak_mb  # workers did the work
    assert all(mb > 0 for mb in stats.peak_mb.values())
    assert stats.timings["fake"] == pytest.approx(0.08)


def test_a_worker_that_dies_costs_its_article_only():
    items = articles("a", "b", "DIE", "c", "d", "e", "f")
    stats = Stats()
    got = outcomes(annotate_stream(items, 2, factory=fake_pipeline, stats=stats))
    assert [source for source, _ in got] == [item.source for item in items]
    (died,) = [line for _, line in got if "E900" in line]
    assert died.startswith("in/2.txt: [E900] internal error: WorkerDied:")
    assert sum("E900" not in line for _, line in got) == 6 and stats.restarts >= 1


def test_pages_are_decoded_in_the_workers_and_their_failures_keep_their_place():
    from annotator.ingest.article import Unread

    items = [Unread(f"in/{i}.txt", f"text {i} est là".encode(), None, "text") for i in range(5)]
    items.insert(2, Unread("in/empty.txt", b"", None, "text"))
    items.insert(4, Unread("in/photo.jpg", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40, None, None))
    stats = Stats()
    two = outcomes(annotate_stream(items, 2, factory=fake_pipeline, stats=stats))
    assert two == outcomes(annotate_stream(items, 1, factory=fake_pipeline))
    assert [source for source, _ in two] == [item.source for item in items]
    assert two[2][1].startswith("in/empty.txt: [E001]") and two[4][1].startswith("in/photo.jpg: [E002]")
    assert [got for _, got in two if "[E" not in got] == [f"in/{i}.txt" for i in range(5)]
    assert stats.timings["read (decode + trafilatura)"] > 0 and os.getpid() not in stats.peak_mb


def test_a_static_tier_worker_holds_no_torch_and_one_blas_thread_per_core(monkeypatch):
    monkeypatch.setenv("ANNOTATOR_TIER", "static")
    monkeypatch.delenv("ANNOTATOR_ENCODER", raising=False)
    got = [record.meta for _, record in annotate_stream(articles("a", "b", "c"), 2, factory=probe_pipeline)]
    cores = len(os.sched_getaffinity(0))
    assert got and all(meta == {"torch": False, "blas_threads": max(1, cores // 2)} for meta in got)


def test_workers_that_cannot_build_their_pipeline_stop_the_run():
    with pytest.raises(WorkersFailed, match="no models here"):
        list(annotate_stream(articles("a", "b", "c"), 2, factory=broken_pipeline))


def test_input_is_read_a_few_articles_ahead_not_whole():
    read = []

    def lazily():
        for i in range(1000):
            read.append(i)
            yield RawArticle(source=str(i), text=f"text {i}")

    stream = annotate_stream(lazily(), 2, factory=fake_pipeline)
    next(stream)
    assert len(read) <= 2 * 2 + 1
    stream.close()


def test_one_article_is_annotated_in_this_process():
    stats = Stats()
    assert len(list(annotate_stream(articles("alone"), 2, factory=fake_pipeline, stats=stats))) == 1
    assert list(stats.peak_mb) == [os.getpid()]


# --- the commands ---


TEXTS = {
    "a.txt": "Le Parlement européen a adopté mercredi le règlement sur l'intelligence artificielle.\n"
             "Les États membres disposent de deux ans pour appliquer l'essentiel des dispositions.",
    "b.txt": "Selon une source proche du dossier, le ministre aurait démissionné hier soir.",
    "c.txt": "The minister reportedly resigned on Tuesday, according to Reuters.",
    "d.txt": "Le gouvernement a présenté mardi son projet de budget pour l'année prochaine.",
    "e.txt": "Officials speaking on condition of anonymity said the talks had stalled.",
}


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "c0_empty.txt").write_bytes(b"")
    (folder / "c1_photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    return folder


@pytest.fixture
def stand_in(monkeypatch):
    """The commands build their pipelines with the stand-in, in the workers too."""
    monkeypatch.setattr(parallel, "default_factory", fake_pipeline)


def command(capsys, *argv: str) -> tuple[int, str, str]:
    from annotator.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("factory", [fake_pipeline, pytest.param(rules_pipeline, marks=pytest.mark.slow)],
                         ids=["stand-in", "rules"])  # rules: each worker loads spaCy's models, 10-20 s
def test_annotate_with_two_jobs_writes_what_one_job_writes(folder, factory, monkeypatch, capsys):
    monkeypatch.setattr(parallel, "default_factory", factory)
    one = command(capsys, "annotate", str(folder), "--format", "jsonl", "--jobs", "1")
    two = command(capsys, "annotate", str(folder), "--format", "jsonl", "--jobs", "2")
    assert two == one
    code, out, err = two
    assert code == 1
    failures = err.strip().splitlines()
    assert len(failures) == 2 and "c0_empty.txt" in failures[0] and "E001" in failures[0]
    assert "c1_photo.jpg" in failures[1] and "E002" in failures[1]
    sources = [Path(json.loads(line)["meta"]["source"]).name for line in out.splitlines()]
    assert sources == sorted(TEXTS)


def test_ingest_with_two_jobs_stores_every_article_once(folder, stand_in, capsys, tmp_path):
    from annotator.store import Store

    db = tmp_path / "store.sqlite"
    code, out, err = command(capsys, "ingest", str(folder), "--db", str(db), "--jobs", "2")
    assert code == 1 and out == ""
    empty, photo, summary = err.strip().splitlines()
    assert "c0_empty.txt" in empty and "E001" in empty and "c1_photo.jpg" in photo and "E002" in photo
    assert f"{len(TEXTS)} articles stored" in summary and f"{len(TEXTS)} suggestions added" in summary
    assert "2 failed" in summary
    with Store(str(db)) as store:
        rows = store.queue()
        assert sorted(Path(r.article_id).name for r in rows) == sorted(TEXTS)  # each article once


def test_jobs_must_be_positive(capsys):
    from annotator.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["annotate", "x.txt", "--jobs", "0"])
    assert exit_.value.code == 2

