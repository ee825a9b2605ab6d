"""The claim layer: the seed's must-shows, minimal pairs in French and English, and its language modules."""

import importlib
import sys

import pytest

from annotator.ingest.article import RawArticle
from annotator.pipeline import Pipeline
from annotator.taggers import needs_parse
from annotator.taggers.claims import ClaimTagger, languages
from annotator.taggers.claims.language import SECTIONS, Language
from annotator.taggers.page_furniture import PageFurnitureTagger
from annotator.taggers.provenance import ProvenanceTagger
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
    assert source.attributes["attributed_to"] == "Vladimir Poutine"
    assert source.attributes["interested"] is True
    bolton = claims(seed_record, "John Bolton, conseiller à la sécurité nationale")
    assert {"single_source", "hedge"} <= set(bolton) and "reported_conditional" not in bolton
    assert bolton["single_source"].attributes["attributed_to"] == "John Bolton"
    banner = seed_record.text.index("En cliquant sur")
    assert not [a for a in seed_record.annotations if a.layer == "claim" and a.end > banner]


FRENCH = [
    ("Le bilan est de vingt morts, a indiqué la préfecture.", {"single_source"}),
    ("Le bilan serait de vingt morts.", {"reported_conditional"}),
    ("Selon des sources concordantes, le bilan serait de vingt morts.",
     {"reported_conditional", "anonymous_source"}),
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
    ("A senior official, speaking on condition of anonymity, said the deal was signed.",
     {"anonymous_source"}),
    ("Some experts say the reform is doomed to fail.", {"weasel"}),
    ("The bill will likely pass before the summer.", {"hedge"}),
    ("Talks will resume in Geneva on Monday.", set()),
    ("Sources familiar with the matter said the contract was signed on Tuesday.", {"anonymous_source"}),
    ("If he were elected, he would scrap the tax.", set()),
    # no «that» after the verb: the parse finds the subject (#22)
    ("The harbour master told reporters the ferry had left without clearance.", {"single_source"}),
    ("Mayor Dana Whitfield said the bridge would reopen in March.", {"single_source"}),
    ("Port authority data showed cargo volumes fell by a fifth in October.", {"single_source"}),
    ("The video shows a man running towards the station.", set()),
    ("Residents heard explosions near the airport overnight.", set()),
]


# A reporting verb in the passive names its source by its agent (#22); an agent of any other verb is not
# a source («adoptée par le Parlement»: the outlet reports the vote itself).
PASSIVE_AGENTS = [
    ("fr", "La fermeture de l'usine a été confirmée mardi soir par la direction du groupe.",
     {"single_source"}),
    ("fr", "Le chiffre, démenti par le ministère de l'Intérieur, circule depuis lundi.", {"single_source"}),
    ("fr", "La loi a été adoptée par le Parlement avec 312 voix contre 240.", set()),
    ("en", "The closure of the plant was confirmed on Tuesday by the company's management board.",
     {"single_source"}),
    ("en", "The bridge was destroyed by a missile strike early on Sunday.", set()),
    ("en", "The hostages were released by Hamas on Sunday.", set()),
    ("fr", "Le transport est assuré par la SNCF depuis janvier.", set()),
    ("de", "Die Schließung des Werks wurde am Dienstag von der Konzernleitung bestätigt.", {"single_source"}),
    ("es", "El cierre de la planta fue confirmado el martes por la dirección de la empresa.",
     {"single_source"}),
    ("it", "La chiusura dello stabilimento è stata confermata martedì dalla direzione del gruppo.",
     {"single_source"}),
]


# Unnamed media and circles of insiders (#22)
COLLECTIVE_SOURCES = [
    ("fr", "Selon des médias locaux, trois villages ont été évacués dans la nuit.", {"weasel"}),
    ("en", "According to local media, three villages were evacuated overnight.", {"weasel"}),
    ("de", "Medienberichten zufolge wurden drei Dörfer in der Nacht evakuiert.", {"weasel"}),
    ("de", "Aus Verhandlungskreisen hieß es, eine Einigung stehe kurz bevor.", {"anonymous_source"}),
    ("de", "Volkswirte rechnen mit einem weiteren Anstieg der Arbeitslosigkeit im Winter.", {"weasel"}),
    ("de", "Der Stürmer gilt als größtes Talent seines Jahrgangs.", {"weasel"}),
    ("de", "Aus dem Umfeld des Trainers hieß es, die Trennung stehe fest.", {"anonymous_source"}),
    ("es", "Según medios locales, tres pueblos fueron evacuados durante la noche.", {"weasel"}),
    ("it", "Secondo i media locali, tre villaggi sono stati evacuati nella notte.", {"weasel"}),
    ("it", "Stando ai media, tre villaggi sono stati evacuati nella notte.", {"weasel"}),
    # not sources: an active verb whose object has an agent, a district, new media, a TV channel's name
    ("fr", "Le ministre a confirmé l'accord signé par Airbus la semaine dernière.", {"single_source"}),
    ("en", "The minister confirmed the plan would be finished by June.", {"single_source"}),
    ("it", "La sentenza è stata confermata davanti alla Corte d'Appello di Milano.", set()),
    ("de", "Aus Landkreisen meldeten die Behörden steigende Fallzahlen.", set()),
    ("de", "Die Nachfrage nach neuen Medien wächst in allen Altersgruppen.", set()),
    ("en", "According to Press TV, the drills ended on Friday.", {"single_source"}),
]


@pytest.mark.parametrize(("language", "text", "expected"), COLLECTIVE_SOURCES,
                         ids=[f"{lang}-{t[:30]}" for lang, t, _ in COLLECTIVE_SOURCES])
def test_unnamed_media_and_insider_circles(labels_of, language, text, expected):
    assert labels_of(text, language) == expected


@pytest.mark.parametrize(("language", "text", "expected"), PASSIVE_AGENTS,
                         ids=[f"{lang}-{t[:30]}" for lang, t, _ in PASSIVE_AGENTS])
def test_the_agent_of_a_passive_reporting_verb_is_its_source(labels_of, language, text, expected):
    assert labels_of(text, language) == expected


@pytest.mark.parametrize(("text", "expected"), FRENCH, ids=[t[:40] for t, _ in FRENCH])
def test_french_minimal_pairs(labels_of, text, expected):
    assert labels_of(text, "fr") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH, ids=[t[:40] for t, _ in ENGLISH])
def test_english_minimal_pairs(labels_of, text, expected):
    assert labels_of(text, "en") == expected


# -- the language modules ------------------------------------------------------------------------------

def test_every_language_module_defines_its_language():
    assert {"fr", "en", "de", "es", "it"} <= set(languages.codes())
    for code in languages.codes():
        module = importlib.import_module(f"annotator.taggers.claims.{code}")
        language = module.LANGUAGE
        assert isinstance(language, Language) and language.code == code
        assert languages.get(code) is language
        for section in SECTIONS:  # every section a field, each list compiles
            patterns = getattr(language, section)
            assert all(isinstance(p, str) and p for p in patterns), (code, section)
            assert (language.pattern(section) is None) == (not patterns), (code, section)
        # the rules every language has: hedges, hearsay and who a claim rests on
        for section in ("hedge", "hearsay", "attribution", "reporting_verbs_that", "anonymous", "weasel"):
            assert getattr(language, section), (code, section)


def test_a_language_without_a_module_has_no_rules():
    language = languages.get("nl")
    assert language.code == "nl" and all(language.pattern(section) is None for section in SECTIONS)
    assert languages.get(None).code == ""


@pytest.fixture
def language_folder(tmp_path, monkeypatch):
    """A folder that the claim package searches for language modules, as if it were claims/ itself."""
    package = importlib.import_module("annotator.taggers.claims")
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    languages.codes.cache_clear()
    languages.get.cache_clear()
    yield tmp_path
    sys.modules.pop("annotator.taggers.claims.nl", None)
    languages.codes.cache_clear()
    languages.get.cache_clear()


def test_a_language_is_one_file(language_folder):
    pipeline = Pipeline(taggers=[])
    pipeline.taggers = [PageFurnitureTagger(), ProvenanceTagger(pipeline.outlets),
                        ClaimTagger(check_worthiness=False, learned=False)]
    text = "De minister treedt waarschijnlijk volgende week af na de stemming."

    def labels():
        record = pipeline.annotate(RawArticle(source="test", text=text, language="nl"))
        return {a.label for a in record.annotations if a.layer == "claim"}

    assert labels() == set()
    (language_folder / "nl.py").write_text(
        "from annotator.taggers.claims.language import Language\n\n"
        "LANGUAGE = Language(code='nl', hedge=['waarschijnlijk', 'mogelijk'])\n", "utf-8")
    languages.codes.cache_clear()
    languages.get.cache_clear()
    assert "nl" in languages.codes()
    assert labels() == {"hedge"}


def test_the_tagger_declares_what_it_reads_and_writes():
    tagger = ClaimTagger(check_worthiness=False, learned=False)
    assert needs_parse(tagger) and "provenance/quote" in tagger.reads and tagger.writes == ("claim",)
    assert not hasattr(tagger, "needs_parse")
    assert tagger.current_agents() == {("claims", "claim"): f"claims@{tagger.version}"}


@pytest.mark.parametrize(("text", "flagged"), [
    ("La cérémonie de remise des prix suivra dans la foulée au musée des Beaux-Arts.", False),
    ("Les travaux de rénovation de la gare reprendront en septembre après la pause estivale.", False),
    ("Les travaux de rénovation de la gare ont repris en septembre après deux ans d'arrêt.", True),
    # a «no comment» states nothing about the story
    ("Contacté mardi, l'avocat du joueur n'a pas donné suite.", False),
])
def test_a_sentence_about_the_future_is_no_unattributed_claim(pipeline, text, flagged):
    """The future indicative announces a plan (TAXONOMY.md: not an unattributed claim); the same
    sentence in the past is a checkable fact, for the check-worthiness head to score."""
    record = pipeline.annotate(RawArticle(source="test", text=text, language="fr"))
    labels = {a.label for a in record.annotations if a.layer == "claim"}
    if flagged:
        assert "unattributed_claim" in labels
    else:
        assert "unattributed_claim" not in labels
