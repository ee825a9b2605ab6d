"""The dashboard's Models page with AppTest: train a layer from the store's answers, see the new version's
figures beside the current one's, promote it (the stored articles are annotated again and the queue
re-sorts by the new model's uncertainty), roll back in one click, discard a trial."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from annotator.ingest.article import RawArticle
from annotator.learning.registry import Registry
from annotator.store import Store
from tests import test_app
from tests.test_retrain import POLITICS, SCHEDULES, claim_pipeline

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def answered(tmp_path, monkeypatch) -> tuple[Store, Registry]:
    """A store where two analysts rejected the rules' hedge on match schedules and kept it in politics."""
    models = tmp_path / "models"
    monkeypatch.setenv("ANNOTATOR_MODELS", str(models))
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "store.sqlite"))
    registry = Registry(models)
    pipeline = claim_pipeline(registry)
    with Store(str(tmp_path / "store.sqlite")) as store:
        for i, sentence in enumerate(SCHEDULES + POLITICS):
            record = pipeline.annotate(RawArticle(source=f"s{i}", id=f"article-{i}", text=sentence,
                                                  language="fr"))
            store.ingest(record)
            for target in store.article(record.id).targets:
                if target.label == "hedge":
                    verdict = "reject" if sentence in SCHEDULES else "accept"
                    store.answer(target.id, "alice", verdict)
                    store.answer(target.id, "bob", verdict)
        yield store, registry


def models_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    test_app.account("alice", "admin")
    at.session_state["user"] = "alice"
    at.session_state["page"] = "Models"
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in [*at.markdown, *at.success, *at.info, *at.error])


@pytest.mark.slow
def test_train_compare_promote_and_roll_back_from_the_dashboard(answered):
    store, registry = answered
    at = models_page()
    at.selectbox(key="models_layer").set_value("claim").run()
    at.checkbox(key="models_base").uncheck().run()  # no earlier claim version: the store's gold alone

    click(at, "models_train")
    (first,) = registry.versions("claim")
    assert registry.promoted("claim") is None
    comparison = next(d.value for d in at.dataframe if "new F1" in d.value.columns)
    assert "hedge" in set(comparison["label"]) and {"new F1", "current F1"} <= set(comparison.columns)
    assert f"New version {first}".replace("-", "\\-").replace(".", "\\.") in texts(at)

    uncertainty_before = {row.article_id: row.uncertainty for row in store.queue()}
    click(at, "models_promote")
    assert registry.promoted("claim") == first
    assert "promoted" in texts(at)
    agents = {t.agent for row in store.queue() for t in store.article(row.article_id).targets
              if t.label == "hedge"}
    assert any(a.endswith(f"+claim@{first}") for a in agents), agents
    # the fixtures' hedges the analysts rejected: the promoted head no longer suggests them, and says so
    hedges = [t for i in range(len(SCHEDULES)) for t in store.article(f"article-{i}").targets
              if t.label == "hedge"]
    withdrawn = [t for t in hedges if t.attributes.get("withdrawn")]
    assert len(withdrawn) >= len(SCHEDULES) // 2, [(t.score, t.agent) for t in hedges]
    assert all(t.score == 0.0 and t.agent.endswith(f"+claim@{first}") for t in withdrawn)
    assert all([a.verdict for a in t.answers] == ["reject", "reject"] for t in withdrawn)
    uncertainty_after = {row.article_id: row.uncertainty for row in store.queue()}
    assert uncertainty_after != uncertainty_before, "the queue sorts by the new model's scores"
    answers = [a for row in store.queue() for t in store.article(row.article_id).targets for a in t.answers]
    assert len(answers) == 2 * len(SCHEDULES + POLITICS), "no answer lost or added by the refresh"

    click(at, "models_train")  # a second version, then back to the first in one click
    second = registry.versions("claim")[-1]
    click(at, "models_promote")
    assert registry.promoted("claim") == second
    click(at, "models_rollback")
    assert registry.promoted("claim") == first
    assert "back to" in texts(at)

    click(at, "models_train")
    trial = registry.versions("claim")[-1]
    click(at, "models_discard")
    assert trial not in registry.versions("claim") and registry.promoted("claim") == first
