"""The frame and technique layers: the seed's must-shows, cue minimal pairs, and the neutral/loaded set
(tests/data/framing_neutral_loaded.jsonl, written from TAXONOMY.md alone, after the cue lexicons)."""

import json
from pathlib import Path

import pytest

from annotator import cues, taxonomy
from annotator.ingest.article import RawArticle
from annotator.learning.features import SHOWN, to_shown_scale
from tests.conftest import assert_offsets, user_settings

DATA = Path(__file__).parent / "data"


def techniques_at(record, fragment):
    start = record.text.index(fragment)
    end = start + len(fragment)
    return {a.label: a for a in record.annotations
            if a.layer == "technique" and a.start < end and start < a.end}


def test_seed_frames_and_scare_quotes_in_the_speakers_voice(seed_record):
    frames = {a.label: a for a in seed_record.annotations if a.layer == "frame"}
    assert frames["Security_and_defense"].score >= SHOWN
    assert frames["Security_and_defense"].start is None and frames["Security_and_defense"].end is None
    assert max(frames, key=lambda f: frames[f].score) == "Security_and_defense"
    for word in ("«belliqueuse»", "«antirusse»"):
        found = techniques_at(seed_record, word)
        assert {"Scare_Quotes", "Loaded_Language"} <= set(found), (word, found)
        for label in ("Scare_Quotes", "Loaded_Language"):
            assert found[label].attributes["group"] == "Manipulative_Wording"
        for a in found.values():  # other techniques may be shown on the words too (name-calling)
            assert a.score >= SHOWN
            if a.attributes.get("level") == "paragraph":  # the model's, on the paragraph as a whole
                continue
            # the outlet relays Moscow's words: the voice is the quoted party, not the outlet
            assert a.attributes.get("speaker") in ("Moscou", "Vladimir Poutine"), a.attributes
    banner = seed_record.text.index("En cliquant sur")
    assert not [a for a in seed_record.annotations if a.layer == "technique" and a.end > banner]


# measured with the static tier on 2026-12-08 (heads with per-label thresholds, no weak cap): neutral
# paragraphs with nothing shown, loaded ones with
# the right group (of 36 and 45)
STATIC_NEUTRAL_QUIET, STATIC_LOADED_RIGHT = 31, 32  # measured 32 and 33 (2026-12-07: 34 and 27)


@pytest.fixture(scope="module", params=["accurate"])
def shown(request, pipeline_of_tier):
    """What the technique layer shows, with the accurate tier's heads, which the floors below were
    measured with (the static tier's figures: test_static_tier_on_neutral_and_loaded_paragraphs)."""
    pipeline = pipeline_of_tier(request.param)

    def run(text, language):
        record = pipeline.annotate(RawArticle(source="test", text=text, language=language))
        assert_offsets(record)
        return {a.label: a for a in record.annotations if a.layer == "technique" and a.score >= SHOWN}

    return run


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Le ministre a qualifié la réforme de «catastrophe», selon l'AFP.", "fr", "Scare_Quotes"),
    ("Le soi-disant plan de paix ne trompe personne.", "fr", "Doubt"),
    ("Soit nous fermons les frontières, soit nous disparaîtrons.", "fr", "False_Dilemma-No_Choice"),
    ("Et les bombardements américains en Irak, qui en parle ?", "fr", "Whataboutism"),
    ("The so-called experts were wrong again.", "en", "Doubt"),
    ("What about the crimes of the other side?", "en", "Whataboutism"),
    ("Either we act now or we lose everything.", "en", "False_Dilemma-No_Choice"),
])
def test_cue_minimal_pairs(shown, text, language, expected):
    assert expected in shown(text, language)


@pytest.mark.parametrize(("text", "language"), [
    ("Le ministre a présenté la réforme, a indiqué l'AFP.", "fr"),
    ("Le plan de paix a été présenté mardi à Genève.", "fr"),
    ("La hausse atteint 3 %, soit 12 millions d'euros de plus qu'en 2023.", "fr"),
    ("Les bombardements américains en Irak ont fait 12 morts, selon l'armée.", "fr"),
    ("The experts published their report on Tuesday.", "en"),
    ("The committee will meet either on Monday or on Tuesday, a spokesman said.", "en"),
    ('The treaty, known as "New Start", expires in 2021.', "en"),
])
def test_neutral_counterparts_show_nothing(shown, text, language):
    assert not shown(text, language)


def test_a_quoted_name_or_sentence_is_not_a_scare_quote():
    assert not cues.scare_quotes("Le traité «New Start» arrive à expiration.")
    assert not cues.scare_quotes("Il a dit : «non».")
    assert not cues.scare_quotes("«Nous pouvons discuter de la manière de prendre en compte les armes.»")
    assert [h.cue for h in cues.scare_quotes("une politique «belliqueuse» et “hostile”")] == [
        "«belliqueuse»", "“hostile”"]


def test_the_threshold_maps_to_the_shown_score():
    import numpy as np

    out = to_shown_scale(np.array([[0.1, 0.3, 0.9]]), np.array([0.3, 0.3, 0.3]))
    assert out[0, 1] == pytest.approx(SHOWN) and out[0, 0] < SHOWN < out[0, 2] <= 1


def _neutral_loaded():
    rows = [json.loads(line)
            for line in (DATA / "framing_neutral_loaded.jsonl").read_text("utf-8").splitlines() if line]
    assert sum(r["kind"] == "neutral" for r in rows) >= 30 and sum(r["kind"] == "loaded" for r in rows) >= 30
    return rows


def test_neutral_wire_paragraphs_reach_no_technique(shown):
    """At least 31 neutral wire paragraphs (of 36) where no technique reaches the shown threshold
    (measured 2026-12-08 with per-label thresholds: 32; 2026-12-07 with weak labels capped: 33)."""
    rows = [r for r in _neutral_loaded() if r["kind"] == "neutral"]
    clean, flagged = 0, []
    for row in rows:
        found = shown(row["text"], row["language"])
        clean += not found
        if found:
            flagged.append((row["id"], {k: (v.score, v.attributes["cue"]) for k, v in found.items()}))
    assert clean >= 31, flagged


def test_loaded_paragraphs_reach_the_right_group(shown):
    """At least 36 loaded paragraphs (of 45) where a technique of the right group is shown (measured
    2026-12-08: 39; 2026-12-07, weak labels capped: 32)."""
    rows = [r for r in _neutral_loaded() if r["kind"] == "loaded"]
    right, missed = 0, []
    for row in rows:
        groups = {taxonomy.TECHNIQUE_GROUP_OF[label] for label in shown(row["text"], row["language"])}
        right += bool(groups & set(row["groups"]))
        if not groups & set(row["groups"]):
            missed.append((row["id"], row["groups"], sorted(groups)))
    assert right >= 36, missed


def test_static_tier_on_neutral_and_loaded_paragraphs(pipeline_of_tier):
    """The static tier's technique head on the same paragraphs, as measured on 2026-12-07 (README,
    "Framing"): a floor against regressions, below the accurate tier's."""
    pipeline = pipeline_of_tier("static")
    quiet = right = 0
    rows = _neutral_loaded()
    for row in rows:
        record = pipeline.annotate(RawArticle(source="test", text=row["text"], language=row["language"]))
        labels = {a.label for a in record.annotations if a.layer == "technique" and a.score >= SHOWN}
        if row["kind"] == "neutral":
            quiet += not labels
        else:
            right += bool({taxonomy.TECHNIQUE_GROUP_OF[label] for label in labels} & set(row["groups"]))
    assert quiet >= STATIC_NEUTRAL_QUIET and right >= STATIC_LOADED_RIGHT, (quiet, right)


@pytest.mark.parametrize(("layer", "file"), [("technique", "technique_test2.jsonl"),
                                             ("frame", "frame_test2.jsonl")])
def test_evaluate_scores_what_annotate_shows(pipeline_of_tier, layer, file):
    """`evaluate` counts a label as found exactly where the tagger writes it: label by label, the same
    predictions and the same hits on a held-out set (static tier, the promoted heads)."""
    from annotator.learning import tiers, training
    from annotator.learning.encoders import training_encoder
    from annotator.learning.registry import Registry

    pipeline = pipeline_of_tier("static")
    with tiers.in_tier("static"):
        report = training.evaluate(layer, [f"labelled:{DATA / file}"], training_encoder(), Registry())
    rows = [json.loads(line) for line in (DATA / file).read_text(encoding="utf-8").splitlines()]
    predicted: dict[str, int] = {}
    hits: dict[str, int] = {}
    for row in rows:
        record = pipeline.annotate(RawArticle(source="test", text=row["text"], language=row["language"]))
        for label in {a.label for a in record.annotations if a.layer == layer}:  # written = shown
            predicted[label] = predicted.get(label, 0) + 1
            hits[label] = hits.get(label, 0) + (label in row["labels"])
    per_label = report["model"]["per_label"]
    assert {label: v["predicted"] for label, v in per_label.items() if v["predicted"]} == predicted
    found = {label: round(v["recall"] * v["support"]) for label, v in per_label.items() if v["predicted"]}
    assert found == hits
    assert sum(predicted.values()) > 10  # the head shows labels at all


def test_a_label_is_hidden_only_by_the_users_setting(pipeline_of_tier, tmp_path):
    text = "Ces soi-disant experts, une bande de charlatans, ont encore menti aux Français."
    pipeline = pipeline_of_tier("static")

    def shown():
        record = pipeline.annotate(RawArticle(source="test", text=text, language="fr"))
        return {a.label for a in record.annotations if a.layer == "technique"}

    before = shown()
    assert before, "the paragraph shows techniques"
    hide = min(before)
    with user_settings(tmp_path, f'[framing]\nhidden = ["{hide}"]\n'):
        assert shown() == before - {hide}
