"""Retraining from analysts' answers: gold examples from the store, a new claim head that learns what the
analysts corrected, and the pipeline using it once promoted (real store, real encoder, real spaCy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import retrain
from annotator.gold import GoldRule
from annotator.ingest.article import RawArticle
from annotator.learning.encoders import CachedEncoder, training_encoder
from annotator.learning.registry import Registry
from annotator.pipeline import Pipeline
from annotator.record import Annotation, Answer, Record
from annotator.store import Store
from annotator.taggers.claims import ClaimTagger
from annotator.taggers.page_furniture import PageFurnitureTagger
from annotator.taggers.provenance import ProvenanceTagger

ROOT = Path(__file__).resolve().parent.parent
BASE = f"labelled:{ROOT / 'tests' / 'data' / 'claims_dev_fr.jsonl'}"

# «probablement» in a match schedule: the rules call it a hedge; the analysts say a fixture is no
# hedged claim. In political news the same word is a hedge, and the analysts agree with the rules.
SCHEDULES = [
    "Le match contre Lyon aura probablement lieu samedi à 21 heures au Parc des Princes.",
    "La rencontre face à Nantes se jouera probablement dimanche après-midi à la Beaujoire.",
    "Le quart de finale se disputera probablement mercredi soir au stade Vélodrome.",
    "La demi-finale aura probablement lieu jeudi soir au stade de la Meinau.",
    "Le match retour se jouera probablement le 12 mars à Anfield.",
    "La rencontre contre Monaco aura probablement lieu mardi à 19 heures au stade Louis-II.",
    "Le huitième de finale se disputera probablement samedi après-midi à Geoffroy-Guichard.",
    "Le match amical contre le Brésil aura probablement lieu en juin au Stade de France.",
    "La rencontre face à Rennes se jouera probablement vendredi soir au Roazhon Park.",
    "Le choc contre Marseille aura probablement lieu dimanche soir au Groupama Stadium.",
]
POLITICS = [
    "Le gouvernement pourrait probablement renoncer à sa réforme des retraites.",
    "Le ministre a probablement menti aux députés sur le coût du projet.",
    "La majorité perdra probablement son siège lors de la prochaine élection partielle.",
    "Le président renoncera probablement à briguer un second mandat.",
    "Le budget sera probablement revu à la baisse après les critiques de la Cour des comptes.",
    "La coalition éclatera probablement avant la fin de l'année selon plusieurs observateurs.",
    "Le Premier ministre démissionnera probablement après ce vote de défiance.",
    "Le parti changera probablement de dirigeant au printemps.",
]
UNSEEN_SCHEDULE = ("Le match contre Bordeaux aura probablement lieu mercredi à 20 heures "
                   "au stade Matmut-Atlantique.")
UNSEEN_POLITICS = "Le gouvernement abandonnera probablement son projet de loi sur l'immigration."


def claim_pipeline(registry: Registry) -> Pipeline:
    pipeline = Pipeline(taggers=[])
    pipeline.taggers = [PageFurnitureTagger(), ProvenanceTagger(pipeline.outlets),
                        ClaimTagger(check_worthiness=False, registry=registry)]
    return pipeline


def hedges(pipeline: Pipeline, text: str) -> list[Annotation]:
    record = pipeline.annotate(RawArticle(source="unseen", text=text, language="fr"))
    return [a for a in record.annotations if a.layer == "claim" and a.label == "hedge"]


@pytest.fixture(scope="module")
def encoder() -> CachedEncoder:
    """The encoder of the tier in use (static by default): what `train --db` embeds with, so that the
    version it trains is the one the pipeline loads once promoted."""
    return training_encoder()


def test_gold_examples_wait_until_every_suggestion_on_a_sentence_is_settled():
    text = "Le ministre serait parti. Selon lui, tout va bien. Il pleut."
    first, second = (0, 25), (26, 50)

    def suggestion(label: str, span: tuple[int, int], *answers: Answer) -> Annotation:
        return Annotation("claim", label, *span, text[span[0]:span[1]], 0.7, "claims@test",
                          answers=list(answers))

    def said(user: str, verdict: str, **fields) -> Answer:
        return Answer(user=user, verdict=verdict, time="2026-01-01T00:00:00+00:00", **fields)

    record = Record(id="a", text=text, language="fr", annotations=[
        suggestion("reported_conditional", first, said("alice", "accept"), said("bob", "accept")),
        suggestion("hedge", first, said("alice", "reject")),
        suggestion("single_source", second, said("alice", "accept"), said("bob", "reject")),  # they disagree
    ])
    examples = {e.id: e for e in retrain.gold_examples([record], "claim")}
    assert examples == {"a:0-25": examples["a:0-25"]}  # the disputed sentence is no example
    assert examples["a:0-25"].labels == {"reported_conditional"}  # the rejected hedge is a negative
    assert examples["a:0-25"].group == "a"
    # under a majority rule a 1-1 split is still no agreement; an adjudicated answer settles it
    assert "a:26-50" not in {e.id for e in retrain.gold_examples([record], "claim", GoldRule("majority"))}
    record.annotations[2].answers.append(said("carol", "accept", extra={"adjudicated": True}))
    settled = {e.id: e.labels for e in retrain.gold_examples([record], "claim")}
    assert settled["a:26-50"] == {"single_source"}

    # a label moved to other words trains on those words; its sentence is no negative for it
    moved = Record(id="b", text=text, language="fr", annotations=[
        suggestion("single_source", second, said("alice", "correct", start=26, end=36))])
    assert {e.id: e.labels for e in retrain.gold_examples([moved], "claim")} == {"b:26-36": {"single_source"}}


@pytest.mark.slow
def test_a_correction_on_similar_sentences_changes_the_prediction_on_an_unseen_one(tmp_path, encoder):
    models = tmp_path / "models"
    registry = Registry(models)
    before = claim_pipeline(registry)
    assert hedges(before, UNSEEN_SCHEDULE), "the rules call the unseen schedule a hedge to begin with"
    assert hedges(before, UNSEEN_POLITICS)

    with Store(str(tmp_path / "store.sqlite")) as store:
        # one article per sentence: the held-out split keeps whole articles apart
        for i, sentence in enumerate(SCHEDULES + POLITICS):
            record = before.annotate(RawArticle(source=f"s{i}", id=f"article-{i}", text=sentence,
                                                language="fr"))
            store.ingest(record)
            (target,) = [t for t in store.article(record.id).targets if t.label == "hedge"]
            verdict = "reject" if sentence in SCHEDULES else "accept"
            store.answer(target.id, "alice", verdict)
            store.answer(target.id, "bob", verdict)
        report = retrain.train_from_store("claim", store, encoder, registry, corpora=[BASE], base=False)

    assert report["version"] in registry.versions("claim")
    assert registry.promoted("claim") is None  # nothing changes until an analyst promotes it
    assert "hedge" in report["model"]["per_label"] and report["gold"]["examples"] >= 1
    assert "store: the analysts' gold" in (models / "claim" / report["version"] / "CARD.md").read_text()
    assert hedges(claim_pipeline(registry), UNSEEN_SCHEDULE), "unpromoted: the pipeline is as it was"

    registry.promote("claim", report["version"])
    after = claim_pipeline(registry)
    assert not hedges(after, UNSEEN_SCHEDULE), "the analysts' correction carried over to an unseen fixture"
    kept = hedges(after, UNSEEN_POLITICS)
    assert kept and kept[0].agent.endswith(f"+claim@{report['version']}"), (
        "the hedge the analysts confirm stays")
