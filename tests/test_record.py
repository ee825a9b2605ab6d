import json
from importlib import resources

import jsonschema
import pytest

from annotator import taxonomy
from annotator.record import Annotation, Answer, Evidence, Outlet, Record


def schema():
    return json.loads(resources.files("annotator").joinpath("schema/record.schema.json").read_text("utf-8"))


def full_record() -> Record:
    text = "Donald Trump aurait rétorqué que non. Suivez RT en français sur Telegram"
    return Record(
        id="a1", text=text, language="fr", url="https://francais.rt.com/x", title="T", published="2019-09-05",
        outlet=Outlet(id="rt-fr", name="RT en français", country="RU", owner="ANO TV-Novosti",
                      state_affiliation="state_controlled", score=0.98, method="signature",
                      evidence=Evidence(38, 72, text[38:72]),
                      profile={"sanctions": [{"source": "EU 2022/351"}]}),
        annotations=[
            Annotation("claim", "reported_conditional", 0, 28, text[:28], 0.91, "claims@1",
                       {"cue": "aurait rétorqué", "attributed_to": "Vladimir Poutine", "interested": True},
                       answers=[Answer("alice", "accept", "2026-11-25T10:00:00Z"),
                                Answer("bob", "correct", "2026-11-25T10:01:00Z", label="single_source",
                                       note="one speaker")]),
            Annotation("frame", "Security_and_defense", None, None, None, 0.7, "frames@1"),
            Annotation("provenance", "promo", 38, 72, text[38:72], None, "analyst:alice",
                       answers=[Answer("alice", "add", "2026-11-25T10:02:00Z", start=38, end=72)]),
        ],
        meta={"source": "x.txt"}, segments={"paragraphs": [[0, 72]]},
    )


def test_record_round_trip_is_lossless():
    record = full_record()
    data = record.to_dict()
    assert Record.from_dict(json.loads(json.dumps(data))) == record
    assert Record.from_dict(data).to_dict() == data


def test_unknown_fields_survive_a_round_trip():
    data = full_record().to_dict()
    data["added_by_a_newer_version"] = {"x": 1}
    data["annotations"][0]["future_field"] = [1, 2]
    assert Record.from_dict(data).to_dict() == data


def test_record_validates_against_the_json_schema():
    jsonschema.validate(full_record().to_dict(), schema())


def test_schema_rejects_a_label_outside_the_taxonomy():
    data = full_record().to_dict()
    data["annotations"][0]["label"] = "rumour"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema())


def test_schema_enums_match_the_taxonomy_module():
    rules = schema()["$defs"]["annotation"]["allOf"]
    from_schema = {r["if"]["properties"]["layer"]["const"]: tuple(r["then"]["properties"]["label"]["enum"])
                   for r in rules if "enum" in r["then"]["properties"]["label"]}
    assert from_schema == taxonomy.LAYERS
    # the outlet's labels are registry ids, an open set: a pattern, the taxonomy module's
    (outlet,) = [r for r in rules if r["if"]["properties"]["layer"]["const"] == taxonomy.OUTLET]
    assert outlet["then"]["properties"]["label"]["pattern"] == taxonomy.OUTLET_ID.pattern
    assert schema()["$defs"]["annotation"]["properties"]["layer"]["enum"] == list(taxonomy.ALL_LAYERS)


def test_an_outlet_label_is_an_outlet_id_for_the_whole_article():
    data = full_record().to_dict()
    data["annotations"].append({"layer": "outlet", "label": "rt-fr", "start": None, "end": None, "text": None,
                                "score": 0.98, "agent": "outlets@1", "attributes": {"method": "url"},
                                "answers": [{"user": "alice", "verdict": "correct", "label": "domain:rt.com",
                                             "time": "2026-11-25T10:03:00Z"}]})
    jsonschema.validate(data, schema())
    assert Record.from_dict(data).to_dict() == data
    for bad in ("RT en français", "<script>", ""):
        with pytest.raises(ValueError, match="not an outlet id"):
            Annotation("outlet", bad, None, None, None, 0.5, "outlets@1")
        data["annotations"][-1]["label"] = bad
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, schema())


def test_taxonomy_ids_are_exactly_the_design():
    assert len(taxonomy.FRAME_LABELS) == 14
    assert len(taxonomy.TECHNIQUE_LABELS) == 24  # 23 SemEval techniques + Scare_Quotes
    assert taxonomy.TECHNIQUE_GROUP_OF["Scare_Quotes"] == "Manipulative_Wording"
    assert taxonomy.SMM_TYPOLOGY["CaPr"] == "state_captured"


def test_bad_labels_and_verdicts_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="labels are"):
        Annotation("claim", "rumour", 0, 1, "x", 0.5, "a")
    with pytest.raises(ValueError, match="verdicts are"):
        Answer("alice", "maybe", "2026-11-25T10:00:00Z")
    with pytest.raises(ValueError, match="not an annotator/v1 record"):
        Record.from_dict({"schema": "other/v9"})
