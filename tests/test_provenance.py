"""Credits, cited outlets, quotes and speakers, and publisher identification, on a small registry
written for the tests (the real registry's coverage is tested in test_outlet_registry.py)."""

from pathlib import Path

import pytest

from annotator.ingest.article import RawArticle
from annotator.outlets.registry import OutletRegistry
from annotator.pipeline import Pipeline
from tests.conftest import SEED, assert_offsets

REGISTRY = OutletRegistry.load(Path(__file__).parent / "fixtures" / "outlets.jsonl")


@pytest.fixture(scope="module")
def annotate():
    pipeline = Pipeline(outlets=REGISTRY)

    def run(text, url=None, language=None):
        record = pipeline.annotate(RawArticle(source="test", text=text, url=url, language=language))
        assert_offsets(record)
        return record

    return run


def labelled(record, label):
    return [a for a in record.annotations if a.label == label]


def test_seed_publisher_credits_and_quotes(annotate):
    record = annotate(SEED.read_text("utf-8"))
    assert record.outlet.id == "rt-fr" and record.outlet.method == "signature"
    assert record.outlet.country == "RU" and record.outlet.state_affiliation == "state_controlled"
    assert record.outlet.owner == "ANO TV-Novosti"
    assert "Suivez RT en français" in record.outlet.evidence.text
    credits = {a.text: a.attributes.get("outlet_id") for a in labelled(record, "credit")}
    assert credits == {"Source: Reuters": "reuters", "© Alexander NEMENOV / POOL": None}
    quotes = labelled(record, "quote")
    assert len(quotes) == 3 and {q.attributes["speaker"] for q in quotes} == {"Vladimir Poutine"}
    assert not [q for q in quotes if "belliqueuse" in q.text]  # a one-word scare quote is no quotation


def test_a_wire_reprint_on_an_rt_address(annotate):
    record = annotate("GENÈVE (AFP) - Les négociations sur le climat ont repris lundi à Genève.\n"
                      "Les délégués se sont retrouvés pour une semaine de discussions.",
                      url="https://francais.rt.com/international/123-climat")
    assert record.outlet.id == "rt-fr" and record.outlet.method == "url"
    (credit,) = labelled(record, "credit")
    assert credit.text == "(AFP)" and credit.attributes["outlet_id"] == "afp"


def test_no_signal_no_outlet(annotate):
    record = annotate("Les délégués se sont retrouvés lundi pour une semaine de discussions sur le climat.\n"
                      "Le texte final doit être adopté vendredi.")
    assert record.outlet is None


def test_a_credited_agency_is_never_the_publisher(annotate):
    record = annotate("Photo : Reuters\nLe Parlement a adopté le texte par 320 voix contre 210.\n"
                      "Source: Reuters")
    assert record.outlet is None
    assert {a.attributes.get("outlet_id") for a in labelled(record, "credit")} == {"reuters"}


def test_cited_outlets_need_a_citing_cue(annotate):
    record = annotate("Selon le New York Times, la Maison-Blanche prépare un décret.\n"
                      "Le Monde entier regarde Washington, et le monde de la finance aussi.\n"
                      "La décision a été confirmée mardi, a rapporté Le Monde.")
    cited = [(a.text, a.attributes["outlet_id"]) for a in labelled(record, "cited_outlet")]
    assert cited == [("New York Times", "nytimes"), ("Le Monde", "lemonde")]


def test_byline_names_the_publisher_and_credits_the_agency(annotate):
    record = annotate("Le texte a été adopté par 320 voix contre 210 à l'Assemblée nationale.\n"
                      "Les débats reprendront mardi.\nLe Monde avec AFP")
    assert record.outlet.id == "lemonde" and record.outlet.evidence.text == "Le Monde avec AFP"
    assert [a.attributes.get("outlet_id") for a in labelled(record, "credit")] == ["afp"]


def test_speakers_in_english_and_through_titles(annotate):
    record = annotate('Russian President Vladimir Putin spoke in Vladivostok on Thursday.\n'
                      '"We are ready for this dialogue with our partners," the Russian president said.\n'
                      'John Bolton said: "The treaty is unlikely to be extended in its current form."',
                      language="en")
    speakers = [q.attributes.get("speaker") for q in labelled(record, "quote")]
    assert speakers == ["Vladimir Putin", "John Bolton"]


def test_table_view_has_the_outlet_line(annotate):
    from annotator.render import outlet_line

    record = annotate(SEED.read_text("utf-8"))
    assert outlet_line(record) == ("RT en français · Russia · state-controlled (ANO TV-Novosti) · "
                                   "EU broadcast ban since 2022-03-01")
