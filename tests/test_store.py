"""The review store on real SQLite files: ingest, the append-only answers, the queue and the figures."""

from __future__ import annotations

import json
import math
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session

from annotator.record import Annotation, Outlet, Record
from annotator.store import Store, default_url
from annotator.store.db import alembic_config
from annotator.store.models import AnswerRow, ArticleRow, Base, SuggestionRow, TargetRow
from annotator.store.store import uncertainty_query

TEXT = (
    "Le ministre aurait dit que la guerre est finie. "
    "Selon une source anonyme, les troupes partent. "
    "Un porte-parole a confirmé la nouvelle. "
    "Tout va bien, selon lui."
)
SENTENCES = [s + "." for s in TEXT[:-1].split(". ")]
RT = Outlet(id="rt-fr", name="RT en français", country="RU", owner="ANO TV-Novosti",
            state_affiliation="state_controlled", score=0.98, method="url")
LEMONDE = Outlet(id="lemonde", name="Le Monde", country="FR", owner="Groupe Le Monde",
                 state_affiliation="private", score=0.9, method="signature")


def span(sentence: int) -> tuple[int, int]:
    start = TEXT.index(SENTENCES[sentence])
    return start, start + len(SENTENCES[sentence])


def claim(label: str, sentence: int, score: float | None, version: str = "2026-11-25.1",
          **attributes) -> Annotation:
    start, end = span(sentence)
    return Annotation(layer="claim", label=label, start=start, end=end, text=TEXT[start:end], score=score,
                      agent=f"claims@{version}", attributes=attributes)


def frame(label: str, score: float | None, version: str = "2026-11-25.1") -> Annotation:
    return Annotation(layer="frame", label=label, start=None, end=None, text=None, score=score,
                      agent=f"frames@{version}")


def make(article_id: str = "a1", scores: tuple[float | None, float | None, float | None] = (0.9, 0.55, 0.6),
         version: str = "2026-11-25.1", outlet: Outlet | None = RT, language: str = "fr",
         published: str | None = None) -> Record:
    """A small record: two claims on the first two sentences and an article-level frame."""
    annotations = [
        frame("Political", scores[2], version),
        claim("reported_conditional", 0, scores[0], version, cue="aurait dit"),
        claim("anonymous_source", 1, scores[1], version, cue="selon une source anonyme"),
    ]
    return Record(id=article_id, text=TEXT, language=language, url=f"https://example.org/{article_id}",
                  title=f"Title {article_id}", published=published, outlet=outlet, annotations=annotations,
                  meta={"source": "test"}, segments={"paragraphs": [[0, len(TEXT)]]})


def at(second: int) -> str:
    return f"2026-01-01T00:00:{second:02d}+00:00"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(f"sqlite:///{tmp_path / 'store.sqlite'}") as opened:
        yield opened


def target(store: Store, article_id: str, label: str):
    (found,) = [t for t in store.article(article_id).targets if t.label == label]
    return found


# --------------------------------------------------------------------------------------------- opening

def test_store_creates_its_folder_and_file_with_wal_foreign_keys_and_busy_timeout(tmp_path):
    path = tmp_path / "deep" / "er" / "annotator.sqlite"
    with Store(str(path)) as store, store.engine.connect() as connection:  # a plain path is an SQLite file
        assert path.exists()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_default_url_is_the_environment_else_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("ANNOTATOR_DB", "postgresql+psycopg://team@db/annotator")
    assert default_url() == "postgresql+psycopg://team@db/annotator"
    monkeypatch.delenv("ANNOTATOR_DB")
    assert default_url().startswith("sqlite:///") and default_url().endswith("annotator/annotator.sqlite")
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "mine.sqlite"))
    with Store() as store:
        assert store.url == f"sqlite:///{tmp_path / 'mine.sqlite'}"
        assert (tmp_path / "mine.sqlite").exists()


def test_migrations_create_exactly_the_models_and_reopening_is_a_no_op(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    Store(url).close()
    with Store(url) as store, store.engine.connect() as connection:
        context = MigrationContext.configure(connection,
                                             opts={"compare_type": True, "compare_server_default": True})
        assert compare_metadata(context, Base.metadata) == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert context.get_current_revision() == head == "0002"


def test_schema_and_queries_are_postgresql_neutral():
    """No PostgreSQL here: the migration renders as PostgreSQL SQL, and the queue's query compiles for it."""
    from io import StringIO

    from alembic import command

    config = alembic_config()
    config.set_main_option("sqlalchemy.url", "postgresql://user@host/annotator")
    config.output_buffer = StringIO()
    command.upgrade(config, "head", sql=True)  # offline: renders the SQL without a database
    sql = config.output_buffer.getvalue()
    assert "CREATE TABLE answers" in sql and "adjudicated BOOLEAN DEFAULT false NOT NULL" in sql
    assert "PRAGMA" not in sql

    from sqlalchemy.dialects import postgresql

    dialect = postgresql.dialect()
    for table in Base.metadata.sorted_tables:
        str(sa.schema.CreateTable(table).compile(dialect=dialect))
    assert "row_number() over (partition by" in str(uncertainty_query().compile(dialect=dialect)).lower()
    # Only the SQLite connect hook (db.py) speaks a database's own SQL; the rest is SQLAlchemy's.
    for source in Path(resources.files("annotator.store")).rglob("*.py"):
        if source.name != "db.py":
            text = source.read_text("utf-8")
            assert "PRAGMA" not in text and "exec_driver_sql" not in text and "sa.text(" not in text, source


# ---------------------------------------------------------------------------------------------- ingest

def test_ingest_stores_the_record_and_a_second_ingest_changes_nothing(store):
    result = store.ingest(make())
    assert (result.article_id, result.added, result.updated, result.unchanged) == ("a1", 4, 0, 0)
    again = store.ingest(make())
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    article = store.article("a1")
    assert (article.title, article.language, article.outlet) == ("Title a1", "fr", RT)
    assert [(t.layer, t.label, t.start) for t in article.targets] == [
        ("frame", "Political", None), ("outlet", "rt-fr", None), ("claim", "reported_conditional", 0),
        ("claim", "anonymous_source", span(1)[0])]
    # the publishing outlet is a label of its own, for analysts to confirm or correct
    outlet = article.targets[1]
    assert (outlet.score, outlet.agent, outlet.attributes) == (0.98, "outlets@2026-12-02.1",
                                                               {"method": "url", "name": "RT en français"})
    claim_target = article.targets[2]
    assert claim_target.text == SENTENCES[0] and claim_target.score == 0.9
    assert claim_target.agent == "claims@2026-11-25.1" and claim_target.attributes == {"cue": "aurait dit"}
    assert store.article("nope") is None


def test_reingest_updates_suggestions_adds_new_versions_and_never_touches_answers(store):
    store.ingest(make())
    first = target(store, "a1", "reported_conditional")
    store.answer(first.id, "alice", "accept", time=at(1))
    store.answer(first.id, "bob", "correct", label="single_source", note="one named source", time=at(2))
    before = target(store, "a1", "reported_conditional").answers

    # the same agent, new scores: that agent's suggestions are updated in place
    result = store.ingest(make(scores=(0.7, 0.55, 0.6)))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 3)
    same = target(store, "a1", "reported_conditional")
    assert (same.id, same.score, same.answers) == (first.id, 0.7, before)

    # a new model version: its suggestions join the same targets, shown as the latest
    result = store.ingest(make(scores=(0.4, 0.5, 0.6), version="2026-12-01.1"))
    # the outlet's suggestion is the same
    assert (result.added, result.updated, result.unchanged) == (3, 0, 1)
    newer = target(store, "a1", "reported_conditional")
    assert (newer.id, newer.score, newer.agent, newer.answers) == (first.id, 0.4, "claims@2026-12-01.1",
                                                                   before)
    assert len(store.article("a1").targets) == 4
    with Session(store.engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(SuggestionRow)) == 7
        assert session.scalar(sa.select(sa.func.count()).select_from(AnswerRow)) == 2


def test_ingest_refuses_a_changed_text_under_a_known_id(store):
    store.ingest(make())
    changed = make()
    changed.text = TEXT.replace("ministre", "MINISTRE")
    with pytest.raises(ValueError, match="different text"):
        store.ingest(changed)
    assert store.article("a1").text == TEXT


def test_a_crash_mid_ingest_leaves_no_partial_article(store, monkeypatch):
    original = Store._store_annotation
    stored = []

    def crash_after_the_first(self, *args):
        if stored:
            raise RuntimeError("power cut")
        stored.append(original(self, *args))
        return stored[-1]

    monkeypatch.setattr(Store, "_store_annotation", crash_after_the_first)
    with pytest.raises(RuntimeError, match="power cut"):
        store.ingest(make())
    assert stored == ["added"]  # the article row and one suggestion were written, then rolled back
    assert store.article("a1") is None and store.queue() == []
    with Session(store.engine) as session:
        for table in (ArticleRow, TargetRow, SuggestionRow):
            assert session.scalar(sa.select(sa.func.count()).select_from(table)) == 0

    # a crash while re-ingesting keeps the previous state whole
    monkeypatch.undo()
    store.ingest(make())
    stored.clear()
    monkeypatch.setattr(Store, "_store_annotation", crash_after_the_first)
    with pytest.raises(RuntimeError):
        store.ingest(make(scores=(0.1, 0.1, 0.1)))
    assert sorted(t.score for t in store.article("a1").targets) == [0.55, 0.6, 0.9, 0.98]


# --------------------------------------------------------------------------------------------- answers

def test_answers_are_append_only(store):
    store.ingest(make())
    first = target(store, "a1", "reported_conditional")
    answer_id = store.answer(first.id, "alice", "accept")
    with Session(store.engine) as session:
        session.get(AnswerRow, answer_id).verdict = "reject"
        with pytest.raises(PermissionError, match="append-only"):
            session.commit()
    with Session(store.engine) as session:
        session.delete(session.get(AnswerRow, answer_id))
        with pytest.raises(PermissionError, match="append-only"):
            session.commit()
    with Session(store.engine) as session, pytest.raises(PermissionError):
        session.execute(sa.update(AnswerRow).values(verdict="reject"))
    with Session(store.engine) as session, pytest.raises(PermissionError):
        session.execute(sa.delete(AnswerRow))
    assert [a.verdict for a in target(store, "a1", "reported_conditional").answers] == ["accept"]
    # and the store has no code path that changes or removes rows of any kind but suggestions' scores
    for source in Path(resources.files("annotator.store")).glob("*.py"):
        text = source.read_text("utf-8")
        assert "sa.update(" not in text and "sa.delete(" not in text and "session.delete(" not in text


def test_current_is_each_users_latest_answer(store):
    store.ingest(make())
    t = target(store, "a1", "reported_conditional")
    start, end = t.start, t.end
    assert store.current(t.id, "alice") is None
    store.answer(t.id, "alice", "accept", time=at(1))
    store.answer(t.id, "bob", "reject", time=at(2))
    store.answer(t.id, "alice", "correct", label="single_source", end=end - 1, start=start, time=at(3))
    store.answer(t.id, "bob", "accept", time=at(0))  # brought in later, but said earlier: not bob's latest
    alice, bob = store.current(t.id, "alice"), store.current(t.id, "bob")
    assert (alice.verdict, alice.label, alice.start, alice.end) == ("correct", "single_source", start,
                                                                    end - 1)
    assert (bob.verdict, bob.label, bob.start) == ("reject", None, None)
    store.answer(t.id, "bob", "accept", time=at(4))
    bob = store.current(t.id, "bob")
    assert (bob.verdict, bob.label, bob.start, bob.end) == ("accept", "reported_conditional", start, end)
    answers = target(store, "a1", "reported_conditional").answers
    assert [(a.user, a.verdict) for a in answers] == [("bob", "accept"), ("alice", "accept"),
                                                    ("bob", "reject"), ("alice", "correct"),
                                                    ("bob", "accept")]
    assert all(isinstance(a.extra["id"], int) and a.extra["adjudicated"] is False for a in answers)
    assert store.current(999, "alice") is None


def test_answer_checks_its_input(store):
    store.ingest(make())
    t = target(store, "a1", "reported_conditional")
    political = target(store, "a1", "Political")
    bad = [
        ({"target_id": 999, "verdict": "accept"}, "no target 999"),
        ({"verdict": "maybe"}, "unknown verdict 'maybe'"),
        ({"verdict": "correct", "label": "Political"}, "unknown label 'Political' in layer 'claim'"),
        ({"verdict": "correct", "start": 10, "end": len(TEXT) + 1}, "not inside the text"),
        ({"verdict": "correct", "start": 10, "end": 5}, "not inside the text"),
        ({"verdict": "correct", "start": 10}, "both start and end"),
        ({"verdict": "correct"}, "new label or a new span"),
        ({"verdict": "correct", "label": "reported_conditional"}, "new label or a new span"),
        ({"verdict": "accept", "label": "hedge"}, "is a 'correct' answer"),
        ({"verdict": "reject", "start": 0, "end": 3}, "is a 'correct' answer"),
        ({"target_id": political.id, "verdict": "correct", "start": 0, "end": 3}, "whole article"),
        ({"user": " "}, "needs a user"),
        ({"user": "analyst:bob"}, "does not start with"),
        ({"time": "yesterday"}, "not ISO-8601"),
    ]
    for kwargs, message in bad:
        kwargs = {"target_id": t.id, "user": "alice", "verdict": "accept"} | kwargs
        with pytest.raises(ValueError, match=message):
            store.answer(**kwargs)
    assert target(store, "a1", "reported_conditional").answers == []
    # the target's own label and span passed along with an accept are no change, and fine
    store.answer(t.id, "alice", "accept", label=t.label, start=t.start, end=t.end)
    store.answer(political.id, "alice", "correct", label="Security_and_defense", adjudicated=True)
    answer = store.current(political.id, "alice")
    assert (answer.label, answer.start, answer.extra["adjudicated"]) == ("Security_and_defense", None, True)


def test_add_label_creates_an_analyst_target_with_an_add_answer(store):
    store.ingest(make())
    start, end = span(2)
    target_id = store.add_label("a1", "alice", "claim", "single_source", start, end, note="missed")
    added = target(store, "a1", "single_source")
    assert (added.id, added.agent, added.score, added.text) == (target_id, "analyst:alice", None,
                                                                SENTENCES[2])
    assert [(a.user, a.verdict, a.note) for a in added.answers] == [("alice", "add", "missed")]
    assert store.current(target_id, "alice").label == "single_source"

    # a label the model suggested already: the add answer goes on its target, no second target
    existing = target(store, "a1", "reported_conditional")
    assert store.add_label("a1", "bob", "claim", "reported_conditional", existing.start,
                           existing.end) == existing.id
    assert [a.verdict for a in target(store, "a1", "reported_conditional").answers] == ["add"]
    assert store.add_label("a1", "bob", "frame", "Morality", None, None) != existing.id
    assert len(store.article("a1").targets) == 6  # with the outlet's

    for args, message in [(("nope", "alice", "claim", "hedge", 0, 5), "no article 'nope'"),
                          (("a1", "alice", "claim", "nonsense", 0, 5), "unknown label"),
                          (("a1", "alice", "claim", "hedge", None, None), "needs a span"),
                          (("a1", "alice", "frame", "Morality", 0, 5), "whole article"),
                          (("a1", "alice", "claim", "hedge", 0, 10_000), "not inside the text")]:
        with pytest.raises(ValueError, match=message):
            store.add_label(*args)


def test_two_stores_answering_the_same_target_at_once_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store(url) as first, Store(url) as second:
        first.ingest(make())
        target_id = target(first, "a1", "reported_conditional").id
        barrier = threading.Barrier(2)
        errors: list[Exception] = []

        def answer_50(store: Store, user: str) -> None:
            barrier.wait()
            try:
                for i in range(50):
                    store.answer(target_id, user, "accept" if i % 2 else "reject", note=str(i))
            except Exception as exc:  # noqa: BLE001 - the test reports it below
                errors.append(exc)

        threads = [threading.Thread(target=answer_50, args=(s, u))
                   for s, u in ((first, "alice"), (second, "bob"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        answers = target(second, "a1", "reported_conditional").answers
        assert len(answers) == 100
        assert sorted((a.user, int(a.note)) for a in answers) == sorted(
            (u, i) for u in ("alice", "bob") for i in range(50))


def _answer_in_a_process(url: str, target_id: int, user: str, n: int) -> int:
    with Store(url) as store:
        for i in range(n):
            store.answer(target_id, user, "accept", note=str(i))
    return n


def test_two_processes_answering_and_ingesting_at_once_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store(url) as store:
        store.ingest(make())
        target_id = target(store, "a1", "reported_conditional").id
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
            runs = [pool.submit(_answer_in_a_process, url, target_id, user, 50) for user in ("alice", "bob")]
            for i in range(10):  # meanwhile, this process re-ingests with new scores
                store.ingest(make(scores=(0.5 + i / 100, 0.55, 0.6)))
            assert [run.result(timeout=120) for run in runs] == [50, 50]
        assert len(target(store, "a1", "reported_conditional").answers) == 100


# ------------------------------------------------------------------------------------ queue & progress

@pytest.fixture
def four(store: Store) -> Store:
    """a: confident (uncertainty 0.2), b: a coin toss (1.0), c: in between (0.6), d: no scores, English."""
    store.ingest(make("a", scores=(0.95, 0.9, 0.99)))
    store.ingest(make("b", scores=(0.5, 0.9, 0.9)))
    c = make("c", scores=(0.7, 0.8, 0.9), outlet=LEMONDE)
    c.annotations = c.annotations[1:]  # no frame
    store.ingest(c)
    store.ingest(make("d", scores=(None, None, None), outlet=None, language="en"))
    return store


def test_queue_puts_the_least_confident_first_and_unscored_last(four):
    rows = four.queue()
    assert [r.article_id for r in rows] == ["b", "c", "a", "d"]
    assert [round(r.uncertainty, 6) for r in rows[:3]] == [1.0, 0.6, 0.2] and math.isnan(rows[3].uncertainty)
    b = rows[0]
    assert (b.title, b.outlet_id, b.outlet_name, b.language, b.n_targets, b.n_answered, b.status) == (
        "Title b", "rt-fr", "RT en français", "fr", 4, 0, "todo")  # three labels and the outlet
    # the latest suggestion counts: a new version that is sure of b's claim moves b down
    four.ingest(make("b", scores=(0.99, 0.95, 0.95), version="2026-12-01.1"))
    assert [r.article_id for r in four.queue()] == ["c", "a", "b", "d"]


def test_queue_filters(four):
    def ids(**filters):
        return [r.article_id for r in four.queue(**filters)]

    assert ids(outlet="rt-fr") == ["b", "a"]
    assert ids(outlet="Le Monde") == ["c"]
    assert ids(language="en") == ["d"]
    assert ids(layer="frame") == ["b", "a", "d"]
    assert ids(layer="claim", label="anonymous_source") == ["b", "c", "a", "d"]
    assert ids(label="Political", outlet="rt-fr") == ["b", "a"]
    assert ids(label="hedge") == []
    with pytest.raises(ValueError, match="unknown status"):
        four.queue(status="later")


def test_queue_status_and_progress_per_user(four):
    for t in four.article("b").targets:
        four.answer(t.id, "alice", "accept")
    four.answer(four.article("c").targets[0].id, "alice", "reject")
    four.answer(four.article("a").targets[0].id, "bob", "accept")

    alice = {r.article_id: (r.n_answered, r.status) for r in four.queue(user="alice")}
    assert alice == {"b": (4, "done"), "c": (1, "in_progress"), "a": (0, "todo"), "d": (0, "todo")}
    anyone = {r.article_id: (r.n_answered, r.status) for r in four.queue()}
    assert anyone == {"b": (4, "done"), "c": (1, "in_progress"), "a": (1, "in_progress"), "d": (0, "todo")}
    assert [r.article_id for r in four.queue(user="alice", status="todo")] == ["a", "d"]
    assert [r.article_id for r in four.queue(user="bob", status="in_progress")] == ["a"]
    assert four.progress("alice") == (1, 3)
    assert four.progress("bob") == (0, 4)
    assert four.progress() == (1, 3)


# ---------------------------------------------------------------------------------------------- export

def test_record_round_trips_with_answers_in_the_contract_form(store):
    original = make(published="2019-09-05")
    original.extra = {"from_a_newer_version": {"x": 1}}
    original.annotations[1].extra = {"calibrated": True}
    store.ingest(original)
    back = store.record("a1").to_dict()
    # nothing lost on the way in and out; the outlet comes back as a label too, for analysts to confirm
    outlet_labels = [a for a in back["annotations"] if a["layer"] == "outlet"]
    assert [(a["label"], a["start"], a["score"]) for a in outlet_labels] == [("rt-fr", None, 0.98)]
    back["annotations"] = [a for a in back["annotations"] if a["layer"] != "outlet"]
    assert back == original.to_dict()

    t = target(store, "a1", "reported_conditional")
    store.answer(t.id, "alice", "accept", note="clear", time=at(1))
    store.answer(t.id, "bob", "correct", label="single_source", start=t.start, end=t.end - 1, time=at(2),
                 adjudicated=True)
    store.add_label("a1", "alice", "claim", "hedge", *span(3))

    record = store.record("a1")
    data = record.to_dict()
    jsonschema.validate(data, json.loads(resources.files("annotator").joinpath("schema/record.schema.json")
                                         .read_text("utf-8")))
    assert Record.from_dict(json.loads(json.dumps(data))) == record
    by_label = {a["label"]: a for a in data["annotations"]}
    assert by_label["reported_conditional"]["answers"] == [
        {"user": "alice", "verdict": "accept", "time": "2026-01-01T00:00:01+00:00", "note": "clear"},
        {"user": "bob", "verdict": "correct", "time": "2026-01-01T00:00:02+00:00", "label": "single_source",
         "start": t.start, "end": t.end - 1, "adjudicated": True},
    ]
    assert by_label["reported_conditional"]["calibrated"] is True
    hedge = by_label["hedge"]
    assert (hedge["agent"], hedge["score"], hedge["text"]) == ("analyst:alice", None, SENTENCES[3])
    assert [a["verdict"] for a in hedge["answers"]] == ["add"]
    assert "answers" not in by_label["Political"]
    assert data["from_a_newer_version"] == {"x": 1}

    store.ingest(make("a2"))
    assert [r.id for r in store.records()] == ["a1", "a2"]
    with pytest.raises(KeyError):
        store.record("nope")


# ---------------------------------------------------------------------------------------------- figures

def test_label_counts_count_current_labels_per_day_outlet_language_and_layer(store):
    store.ingest(make("a", published="2019-09-05"))
    store.ingest(make("b", outlet=None, language="en"))
    political = target(store, "a", "Political")
    anonymous = target(store, "a", "anonymous_source")
    store.answer(target(store, "a", "reported_conditional").id, "alice", "accept")
    store.answer(political.id, "alice", "correct", label="Security_and_defense")
    store.answer(anonymous.id, "carol", "reject", adjudicated=True, time=at(1))
    store.answer(anonymous.id, "bob", "accept", time=at(2))  # later, but the adjudicated answer decides
    store.answer(target(store, "b", "Political").id, "bob", "accept", time=at(1))
    store.answer(target(store, "b", "Political").id, "alice", "reject", time=at(2))  # the latest word
    store.add_label("a", "alice", "claim", "hedge", *span(3))

    counts = store.label_counts()
    assert list(counts.columns)[:6] == ["day", "outlet", "language", "layer", "label", "n"]
    rows = {(r.day, r.outlet, r.language, r.layer, r.label): r.n for r in counts.itertuples()}
    today = store.article("b").ingested_at.date()
    assert rows == {
        (date(2019, 9, 5), "rt-fr", "fr", "claim", "reported_conditional"): 1,
        (date(2019, 9, 5), "rt-fr", "fr", "claim", "hedge"): 1,
        (date(2019, 9, 5), "rt-fr", "fr", "frame", "Security_and_defense"): 1,
        (date(2019, 9, 5), "rt-fr", "fr", "outlet", "rt-fr"): 1,
        (today, "(unknown)", "en", "claim", "reported_conditional"): 1,
        (today, "(unknown)", "en", "claim", "anonymous_source"): 1,
    }
    assert set(counts.loc[counts.outlet == "rt-fr", "outlet_name"]) == {"RT en français"}


def test_label_counts_of_an_empty_store_is_an_empty_frame_with_the_columns(store):
    counts = store.label_counts()
    assert counts.empty and list(counts.columns)[:6] == ["day", "outlet", "language", "layer", "label", "n"]
    agreement = store.agreement()
    assert agreement.empty and list(agreement.columns) == ["layer", "label", "user_a", "user_b", "n", "kappa"]


def test_agreement_is_cohens_kappa_on_accept_or_not(store):
    record = make()
    record.annotations = [claim("single_source", i, 0.8) for i in range(4)] + [frame("Political", 0.7)]
    store.ingest(record)
    targets = [t for t in store.article("a1").targets if t.label == "single_source"]
    assert len(targets) == 4
    # alice: yes yes no no; bob: yes no no no (a correct is not an accept) -> po = 3/4, pe = 1/2, kappa = 1/2
    for t, verdict in zip(targets, ["accept", "accept", "reject", "reject"], strict=True):
        store.answer(t.id, "alice", verdict)
    store.answer(targets[0].id, "bob", "reject", time=at(1))
    store.answer(targets[0].id, "bob", "accept", time=at(2))  # bob's latest answer counts
    store.answer(targets[1].id, "bob", "reject")
    store.answer(targets[2].id, "bob", "reject")
    store.answer(targets[3].id, "bob", "correct", label="anonymous_source")
    store.answer(targets[0].id, "carol", "accept")
    store.answer(target(store, "a1", "Political").id, "alice", "accept")  # no one else: no pair

    table = store.agreement()
    rows = {(r.layer, r.label, r.user_a, r.user_b): (r.n, r.kappa) for r in table.itertuples()}
    assert set(rows) == {("claim", "single_source", "alice", "bob"),
                         ("claim", "single_source", "alice", "carol"),
                         ("claim", "single_source", "bob", "carol")}
    n, kappa = rows[("claim", "single_source", "alice", "bob")]
    assert n == 4 and kappa == pytest.approx(0.5)
    n, kappa = rows[("claim", "single_source", "alice", "carol")]
    assert n == 1 and math.isnan(kappa)  # both said yes, to one target: kappa is undefined


def test_withdraw_marks_what_the_models_no_longer_suggest_and_keeps_answers(store):
    store.ingest(make())
    conditional = target(store, "a1", "reported_conditional")
    store.answer(conditional.id, "alice", "accept")
    added = store.add_label("a1", "alice", "claim", "hedge", *span(2))
    again = make(version="2026-12-02.1")
    again.annotations = [a for a in again.annotations if a.label != "reported_conditional"]  # dropped now
    store.ingest(again)
    assert store.withdraw(again) == 1
    assert store.withdraw(again) == 0  # once
    now = target(store, "a1", "reported_conditional")
    assert (now.score, now.agent, now.attributes) == (0.0, "claims@2026-12-02.1", {"withdrawn": True})
    assert [(a.user, a.verdict) for a in now.answers] == [("alice", "accept")]
    kept = {t.label: t for t in store.article("a1").targets}
    assert kept["anonymous_source"].agent == "claims@2026-12-02.1" and kept["anonymous_source"].score == 0.55
    # an analyst's own label stays
    assert kept["hedge"].id == added and kept["hedge"].agent == "analyst:alice"
