"""The claim layer: the seed's must-shows and minimal pairs in French and English."""

import pytest

from annotator.ingest.article import RawArticle
from tests.conftest import assert_offsets


@pytest.fixture(scope="module")
def labels_of(pipeline):
    def run(text, language):
        record = pipeline.annotate(RawArticle(source="test", text=text, language=language))
        assert_offsets(record)
        return {a.label for a in record.annotations if a.layer == "claim" and a.label != "unattributed_claim"}

    return run


def claims(record, fragment):
    start = record.text.index(fragment)
    return {a.label: a for a in record.annotations
            if a.layer == "claim" and a.start <= start < a.end}


def test_seed_conditionals_sources_and_hedges(seed_record):
    first = claims(seed_record, "Donald Trump aurait rétorqué que les Etats-Unis les produirait")
    assert "reported_conditional" in first
    second = claims(seed_record, "Donald Trump aurait ainsi, selon les dires du président russe")
    assert "reported_conditional" in second
    source = second["single_source"]
    assert source.attributes["attributed_to"] == "Vladimir Poutine" and source.attributes["interested"] is True
    bolton = claims(seed_record, "John Bolton, conseiller à la sécurité nationale")
    assert {"single_source", "hedge"} <= set(bolton) and "reported_conditional" not in bolton
    assert bolton["single_source"].attributes["attributed_to"] == "John Bolton"
    banner = seed_record.text.index("En cliquant sur")
    assert not [a for a in seed_record.annotations if a.layer == "claim" and a.end > banner]


FRENCH = [
    ("Le bilan est de vingt morts, a indiqué la préfecture.", {"single_source"}),
    ("Le bilan serait de vingt morts.", {"reported_conditional"}),
    ("Selon des sources concordantes, le bilan serait de vingt morts.", {"reported_conditional", "anonymous_source"}),
    ("S'il était élu, il supprimerait cette taxe dès la première année.", set()),
    ("Le ministre a dit qu'il viendrait à Marseille la semaine prochaine.", {"single_source"}),
    ("La réforme pourrait entrer en vigueur dès janvier.", {"hedge"}),
    ("Je voudrais remercier les équipes de secours.", set()),
    ("Selon le Kremlin, les troupes se sont retirées de la zone.", {"single_source"}),
    ("Selon des sources proches du dossier, le contrat a été signé mardi.", {"anonymous_source"}),
    ("Certains estiment que la réforme est vouée à l'échec.", {"weasel"}),
    ("Le projet sera probablement adopté avant l'été.", {"hedge"}),
    ("Les négociations reprendront lundi à Genève.", set()),
    ("Les manifestants auraient incendié deux véhicules.", {"reported_conditional"}),
    ("Les usines produiraient deux fois plus de munitions qu'en 2022.", {"reported_conditional"}),
]

ENGLISH = [
    ("The death toll is twenty, the prefecture said.", {"single_source"}),
    ("The minister reportedly resigned on Tuesday.", {"reported_conditional"}),
    ("The company is said to have cut 500 jobs.", {"reported_conditional"}),
    ("According to the Kremlin, the troops withdrew from the area.", {"single_source"}),
    ("A senior official, speaking on condition of anonymity, said the deal was signed.", {"anonymous_source"}),
    ("Some experts say the reform is doomed to fail.", {"weasel"}),
    ("The bill will likely pass before the summer.", {"hedge"}),
    ("Talks will resume in Geneva on Monday.", set()),
    ("Sources familiar with the matter said the contract was signed on Tuesday.", {"anonymous_source"}),
    ("If he were elected, he would scrap the tax.", set()),
]


@pytest.mark.parametrize(("text", "expected"), FRENCH, ids=[t[:40] for t, _ in FRENCH])
def test_french_minimal_pairs(labels_of, text, expected):
    assert labels_of(text, "fr") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH, ids=[t[:40] for t, _ in ENGLISH])
def test_english_minimal_pairs(labels_of, text, expected):
    assert labels_of(text, "en") == expected
