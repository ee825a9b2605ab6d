"""Step 3 of publisher identification: a classifier of house style, trained from the outlets analysts
confirmed in a real review store, promoted into a temporary registry and used by the pipeline.

The outlets are invented (their domains end in .example), each with the furniture of a real kind of
site: a regional daily's dateline and copyright line, a business weekly's reading time and paywall,
an English local paper's newsdesk lines. Each article has its own story; only the house style recurs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from annotator import retrain, taxonomy
from annotator.cli import main
from annotator.ingest.article import RawArticle
from annotator.learning.registry import Registry
from annotator.outlets.registry import OutletRegistry
from annotator.outlets.training import confidence_threshold, confirmed, split
from annotator.pipeline import Pipeline
from annotator.store import Store
from annotator.taggers.page_furniture import PageFurnitureTagger

COURRIER, VIGIE, LEDGER, GAZETTE = "courrier-rhone", "vigie-eco", "northern-ledger", "gazette-alpes"


def _row(outlet_id: str, name: str, country: str, language: str, domain: str) -> dict:
    fact = lambda value: {"value": value, "source": "invented for this test"}
    return {"id": outlet_id, "name": name, "kind": "outlet", "languages": [language], "domains": [domain],
            "country": fact(country), "owner": fact(f"{name} SA"), "state_affiliation": fact("private")}


REGISTRY = OutletRegistry([
    _row(COURRIER, "Le Courrier du Rhône", "FR", "fr", "courrier-rhone.example"),
    _row(VIGIE, "La Vigie économique", "FR", "fr", "vigie-eco.example"),
    _row(LEDGER, "The Northern Ledger", "GB", "en", "northernledger.example"),
    _row(GAZETTE, "La Gazette des Alpes", "FR", "fr", "gazette-alpes.example"),
])

# --- the house styles ---------------------------------------------------------------------------------

COURRIER_STORIES = [
    (("Le conseil municipal a voté mardi soir la rénovation de la piscine du quartier des Brotteaux. Les "
     "travaux doivent commencer au printemps et durer dix-huit mois, a-t-on appris auprès de la mairie. "
     "L'opposition dénonce un coût jugé excessif."), "Vie locale", "Claire Vernet"),
    (("Un incendie s'est déclaré dans la nuit de samedi à dimanche dans un entrepôt de la zone industrielle. "
     "Une cinquantaine de pompiers ont été mobilisés, a-t-on appris auprès des secours. Aucun blessé "
     "n'est à déplorer."),
     "Faits divers", "Julien Morel"),
    (("La ligne de tramway T7 sera prolongée jusqu'à l'hôpital d'ici 2028. Le syndicat des transports a "
     "présenté le tracé définitif lundi. Trois nouvelles stations sont prévues, selon nos informations."),
     "Transports", "Claire Vernet"),
    (("Les inscriptions pour le marathon d'automne ouvrent ce week-end. Les organisateurs attendent plus de "
     "douze mille coureurs. Le parcours passera pour la première fois par les quais de Saône."),
     "Sports", "Malik Haddad"),
    (("Un collège de la rive gauche a été évacué jeudi matin après une alerte à la bombe. Les élèves ont pu "
     "regagner leurs classes en fin de matinée, a-t-on appris auprès du rectorat. Une enquête a été "
     "ouverte."),
     "Éducation", "Julien Morel"),
    (("Le vieux pont suspendu de Saint-Clair restera fermé aux voitures tout l'hiver. Des fissures ont été "
     "découvertes lors d'une inspection. Les cyclistes pourront toujours l'emprunter, selon nos "
     "informations."),
     "Transports", "Malik Haddad"),
]
UNSEEN_COURRIER = (
    ("Le marché de Noël de la place Carnot ouvrira ses portes vendredi. Cent vingt chalets sont attendus "
    "cette année, a-t-on appris auprès des organisateurs. La mairie promet des animations gratuites "
    "chaque soir."),
    "Vie locale", "Sophie Lambert")

VIGIE_STORIES = [
    (("Le chiffre d'affaires des PME industrielles a reculé de 3 % au troisième trimestre. Les carnets de "
     "commandes se dégarnissent dans la mécanique. Les dirigeants interrogés restent prudents pour 2027."),
     "Conjoncture"),
    (("La Banque centrale européenne a laissé ses taux inchangés jeudi. Les marchés avaient largement "
     "anticipé cette pause. Le crédit immobilier devrait rester cher jusqu'à l'été."), "Marchés"),
    (("Le groupe agroalimentaire annonce la fermeture de deux usines dans l'Ouest. Près de quatre cents "
     "emplois sont menacés. Les syndicats appellent à la grève."), "Entreprises"),
    (("Les prix de l'électricité pour les entreprises ont baissé de 12 % sur un an. Les industriels gros "
     "consommateurs respirent. Le gouvernement prépare un nouveau dispositif d'aide."), "Énergie"),
    (("La start-up de logiciels comptables lève quarante millions d'euros. Elle compte doubler ses effectifs "
     "en deux ans. Un fonds américain mène le tour de table."), "Entreprises"),
    (("Les défaillances d'entreprises ont atteint un niveau record en octobre. Le commerce de détail et la "
     "construction sont les plus touchés. Les tribunaux de commerce sont débordés."), "Conjoncture"),
]

LEDGER_STORIES = [
    (("The city council has approved plans for 400 new homes on the former mill site. Residents raised "
     "concerns about traffic on the ring road. Work is expected to begin next year."), "Politics",
     "Hannah Cole"),
    (("Shares in the regional bus operator fell 8 per cent after it warned on profits. Fuel costs and driver "
     "shortages were blamed. The company said it would cut unprofitable routes."), "Business",
     "Tom Ashworth"),
    (("A new maternity unit opened at the General Infirmary on Monday. It has 24 beds and a birthing pool. "
     "Staff said the old unit had been overcrowded for years."), "Health", "Priya Nair"),
    (("Police are appealing for witnesses after a collision on the A59 left two people injured. The road was "
     "closed for five hours. Both drivers were taken to hospital."), "Crime", "Tom Ashworth"),
    (("The county's largest employer is to create 300 jobs at its new distribution centre. The site will "
     "open in the spring. Recruitment begins next month."), "Business", "Hannah Cole"),
    (("Rainfall last month was nearly double the seasonal average, the Met Office said. Several rivers burst "
     "their banks. Farmers warned of a poor winter harvest."), "Weather", "Priya Nair"),
]

GAZETTE_STORIES = [
    ("La station de Val-Clair ouvrira ses pistes dès le 6 décembre. L'enneigement est jugé excellent. Les "
    "forfaits augmentent de 4 %."),
    ("Un alpiniste a été secouru mardi sur le glacier d'Argentière. Il souffre d'une fracture à la jambe. "
    "L'hélicoptère de la gendarmerie est intervenu."),
]

# A press release: French, about business like the Vigie's stories, in no outlet's house style.
PRESS_RELEASE = (
    "COMMUNIQUÉ DE PRESSE\n"
    "Paris, le 14 novembre 2026\n\n"
    "Hexagone Solaire met en service sa centrale photovoltaïque de Montcalm\n\n"
    "La société Hexagone Solaire annonce la mise en service de sa centrale de Montcalm, d'une puissance de "
    "30 mégawatts, qui alimentera l'équivalent de douze mille foyers. Le chantier a duré quatorze mois.\n\n"
    "« Ce projet illustre notre engagement pour une énergie locale », déclare sa présidente, Anne Roux.\n\n"
    "À propos d'Hexagone Solaire\n"
    "Fondée en 2012, Hexagone Solaire développe et exploite des centrales solaires "
    "en France et en Espagne.\n\n"
    "Contact presse : Marie Dupuis – 01 23 45 67 89 – presse@hexagone-solaire.example\n"
)


def courrier(story: tuple[str, str, str], day: int) -> str:
    body, section, author = story
    first, _, rest = body.partition(". ")
    return (f"Métropole | {section}\n"
            f"Par {author} – Publié le {day} novembre 2026 à {7 + day % 11}h{10 + day}\n\n"
            f"LYON (CdR) – {first}.\n\n{rest}\n\n"
            "Cet article vous a été utile ? "
            "Recevez chaque matin la lettre du Courrier dans votre boîte mail.\n"
            "© Le Courrier du Rhône – Reproduction interdite\n")


def vigie(story: tuple[str, str], n: int) -> str:
    body, section = story
    first, _, rest = body.partition(". ")
    return (f"La Vigie éco › {section}\n"
            f"Lecture : {3 + n % 4} min\n\n"
            f"L'essentiel : {first}.\n\n"
            f"{rest} En clair, chiffres à l'appui, la tendance se confirme.\n\n"
            "Cet article est réservé à nos abonnés. Déjà abonné ? Connectez-vous.\n"
            "La Vigie économique – L'actualité des entreprises, chaque semaine\n")


def ledger(story: tuple[str, str, str], n: int) -> str:
    body, section, author = story
    return (f"NEWS › {section}\n"
            f"By {author}, Ledger reporter\n"
            f"Updated {9 + n}.{15 + n} GMT, {n + 3} November 2026\n\n"
            f"{body}\n\n"
            "Got a story? Email the newsdesk at newsdesk@northernledger.example\n"
            "Sign up to the Morning Ledger newsletter for the day's headlines.\n"
            "© Northern Ledger Media Ltd. All rights reserved.\n")


def gazette(body: str) -> str:
    return (f"GAZETTE DES ALPES – Montagne\n\n{body}\n\n"
            "Partagez cet article avec vos proches.\n")


# --- the store ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    # page furniture only (as `annotate` reads it); the outlet step is what is tested here
    return Pipeline(taggers=[PageFurnitureTagger()], outlets=REGISTRY)


def _ingest(store: Store, pipeline: Pipeline, article_id: str, text: str, language: str,
            url: str | None) -> str:
    record = pipeline.annotate(RawArticle(source=article_id, text=text, id=article_id, url=url,
                                          language=language))
    store.ingest(record)
    return article_id


def _outlet_target(store: Store, article_id: str, label: str | None = None):
    targets = [t for t in store.article(article_id).targets if t.layer == taxonomy.OUTLET]
    return next(t for t in targets if label is None or t.label == label)


@pytest.fixture(scope="module")
def workplace(tmp_path_factory, pipeline):
    """A store whose analysts confirmed the outlets of 20 articles: accepted the outlet found from the
    address, corrected a mirror's address to its outlet, named the outlet of an article without address,
    rejected an aggregator and named the real outlet instead."""
    folder = tmp_path_factory.mktemp("outlet_classifier")
    url = f"sqlite:///{folder / 'store.sqlite'}"
    with Store(url) as store:
        for i, story in enumerate(COURRIER_STORIES):
            a = _ingest(store, pipeline, f"cdr-{i}", courrier(story, i + 2), "fr",
                        f"https://www.courrier-rhone.example/metropole/article-{i}")
            assert _outlet_target(store, a).label == COURRIER  # identified from its address
            store.answer(_outlet_target(store, a).id, "alice", "accept")
        for i, story in enumerate(VIGIE_STORIES):
            if i < 3:  # on its own site
                a = _ingest(store, pipeline, f"vigie-{i}", vigie(story, i), "fr", f"https://vigie-eco.example/a/{i}")
                store.answer(_outlet_target(store, a, VIGIE).id, "alice", "accept")
            elif i < 5:  # a mirror the registry does not know: the site is suggested, the analyst corrects it
                a = _ingest(store, pipeline, f"vigie-{i}", vigie(story, i), "fr", f"https://miroir-vigie.example/{i}")
                target = _outlet_target(store, a)
                assert target.label == "domain:miroir-vigie.example"
                store.answer(target.id, "alice", "correct", label=VIGIE)
            else:  # pasted without an address: no outlet found; the analyst names it
                a = _ingest(store, pipeline, f"vigie-{i}", vigie(story, i), "fr", None)
                assert store.article(a).outlet is None
                store.add_label(a, "alice", taxonomy.OUTLET, VIGIE, None, None)
        for i, story in enumerate(LEDGER_STORIES):
            if i == 0:  # read through an aggregator: not its outlet; the analyst names the real one
                a = _ingest(store, pipeline, f"ledger-{i}", ledger(story, i), "en", "https://newsnow-feed.example/x")
                store.answer(_outlet_target(store, a).id, "bob", "reject")
                store.add_label(a, "bob", taxonomy.OUTLET, LEDGER, None, None)
            else:
                a = _ingest(store, pipeline, f"ledger-{i}", ledger(story, i), "en",
                            f"https://www.northernledger.example/news/{i}")
                for user in ("alice", "bob"):
                    store.answer(_outlet_target(store, a).id, user, "accept")
        for i, body in enumerate(GAZETTE_STORIES):
            a = _ingest(store, pipeline, f"gazette-{i}", gazette(body), "fr", f"https://gazette-alpes.example/{i}")
            store.answer(_outlet_target(store, a).id, "alice", "accept")
        # one the analysts have not settled: it waits
        a = _ingest(store, pipeline, "cdr-open", courrier(COURRIER_STORIES[0][:2] + ("Anne Bell",), 20), "fr",
                    "https://www.courrier-rhone.example/metropole/open")
    yield url, folder


@pytest.fixture(scope="module")
def trained(workplace):
    """`annotator train outlet --db URL`, then `annotator models promote outlet VERSION`, in a registry of
    the test's own."""
    url, folder = workplace
    models = folder / "models"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ANNOTATOR_MODELS", str(models))
        yield url, Registry(models), patch


def _run(capsys, *argv: str) -> dict:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out) if out.strip().startswith("{") else {"stdout": out}


# --- the tests --------------------------------------------------------------------------------------------

def test_confirmed_articles_are_the_settled_outlets(workplace):
    url, _ = workplace
    with Store(url) as store:
        examples = confirmed(store.records())
    by_outlet = {}
    for e in examples:
        by_outlet.setdefault(e.outlet_id, []).append(e.article_id)
    assert {k: len(v) for k, v in by_outlet.items()} == {COURRIER: 6, VIGIE: 6, LEDGER: 6, GAZETTE: 2}
    assert "cdr-open" not in {e.article_id for e in examples}  # nobody answered yet
    train, held = split(examples)
    assert {e.article_id for e in train}.isdisjoint(e.article_id for e in held)
    assert sorted(e.outlet_id for e in held) == [COURRIER, LEDGER, VIGIE]  # one in five of each outlet


def test_threshold_is_the_lowest_cut_at_the_target_precision():
    confidence = np.array([0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.55])
    right = np.array([1, 1, 1, 1, 0, 1, 0], dtype=bool)
    assert confidence_threshold(confidence, right, target=0.8) == 0.6  # 5 right of 6 at 0.6
    assert confidence_threshold(confidence, right, target=0.9) == 0.8
    assert confidence_threshold(confidence, ~right, target=0.9) == 1.0  # never good enough: never
    # under the floor no cut counts: one wrong guess at 0.9 above ten right ones under 0.5 is never good
    assert confidence_threshold(np.array([0.3, 0.2]), np.array([True, True])) == 1.0
    low = np.array([0.9, *np.linspace(0.48, 0.40, 10)])
    assert confidence_threshold(low, np.array([False, *[True] * 10])) == 1.0
    assert confidence_threshold(np.array([0.8, 0.6, 0.45]), np.array([True, True, True])) == 0.6


def test_train_promote_identify_and_keep_the_answers(trained, pipeline, capsys):
    url, registry, _ = trained
    report = _run(capsys, "train", "outlet", "--db", url)
    version = report["version"]
    assert registry.promoted(taxonomy.OUTLET) is None  # trained, not in use
    assert report["outlets"] == [COURRIER, LEDGER, VIGIE] and report["not_learnt"] == {GAZETTE: 2}
    assert 0.5 <= report["threshold"] < 1.0
    folder = registry.root / taxonomy.OUTLET / version
    assert {"head.skops", "head.safetensors", "features.json", "features.safetensors", "model.json",
            "metrics.json", "CARD.md"} <= {p.name for p in folder.iterdir()}
    assert not list(folder.glob("*.pkl")) and "Threshold" in (folder / "CARD.md").read_text("utf-8")

    # before promotion, an article with no address and no self-reference has no outlet
    unseen = RawArticle(source="unseen", text=courrier(UNSEEN_COURRIER, 28), language="fr")
    assert pipeline.annotate(unseen).outlet is None

    _run(capsys, "models", "promote", "outlet", version)
    record = pipeline.annotate(unseen)
    assert record.outlet is not None, "the promoted model names the outlet of its house style"
    assert (record.outlet.id, record.outlet.method, record.outlet.country) == (COURRIER, "model", "FR")
    assert report["threshold"] <= record.outlet.score <= 1.0
    assert record.outlet.extra["model"] == f"outlet@{version}"
    e = record.outlet.evidence  # the line that spoke for it most, where it is in the text
    assert e is not None and record.text[e.start:e.end] == e.text

    # a press release is in no outlet's style: no outlet rather than a guess
    release = pipeline.annotate(RawArticle(source="release", text=PRESS_RELEASE, language="fr"))
    assert release.outlet is None

    # the URL still comes first: the model is only the last resort
    with_url = pipeline.annotate(RawArticle(source="u", text=courrier(UNSEEN_COURRIER, 28), language="fr",
                                            url="https://www.northernledger.example/x"))
    assert (with_url.outlet.id, with_url.outlet.method) == (LEDGER, "url")

    # re-ingesting every stored article with the model in use keeps every analyst's answer
    with Store(url) as store:
        def answers() -> list[tuple]:
            return sorted((t.article_id, t.layer, t.label, a.user, a.verdict, a.label, a.time)
                          for article_id in store.article_ids() for t in store.article(article_id).targets
                          for a in t.answers)

        before = answers()
        counts = retrain.refresh(store, pipeline)
        assert counts["failed"] == 0 and counts["articles"] == 21
        assert answers() == before
        # the article alice named by hand: the model now suggests the same outlet, beside her answer
        named = _outlet_target(store, "vigie-5", VIGIE)
        assert [(a.user, a.verdict) for a in named.answers] == [("alice", "add")]
        assert named.agent.startswith("outlets@") and named.agent.endswith(f"+outlet@{version}")
        assert store.current(named.id, "alice").verdict == "add"

    # `annotator evaluate outlet`: per-outlet figures beside the majority baseline, on confirmed
    # articles this version did not learn from
    figures = _run(capsys, "evaluate", "outlet", "--db", url)
    assert figures["version"] == version and figures["examples"] == 3
    assert set(figures["model"]["per_label"]) == {COURRIER, LEDGER, VIGIE}
    for v in figures["model"]["per_label"].values():
        assert {"precision", "recall", "f1", "support"} <= set(v)
    assert {"coverage", "accuracy_on_covered", "micro_f1", "macro_f1"} <= set(figures["model"])
    baseline = figures["baselines"]["majority"]
    assert baseline["outlet"] in {COURRIER, LEDGER, VIGIE} and baseline["coverage"] == 1.0
    assert baseline["micro_f1"] < figures["model"]["micro_f1"]
    assert report["model"]["per_label"] and report["baselines"]["majority"]["per_label"]


def test_a_wrong_guess_neither_hides_an_analyst_answer_nor_outlives_its_model(trained, pipeline, capsys):
    """Runs after the promotion above. An analyst names the outlet of an article the model would call
    another: the article still counts for training. Demoting the model takes its guesses back."""
    url, registry, _ = trained
    with Store(url) as store:
        a = _ingest(store, pipeline, "styled-like-courrier", courrier(UNSEEN_COURRIER, 29), "fr", None)
        guess = _outlet_target(store, a)
        assert guess.label == COURRIER and "+outlet@" in guess.agent  # the model's guess, unanswered
        store.add_label(a, "carol", taxonomy.OUTLET, VIGIE, None, None)  # carol knows better
        retrain.refresh(store, pipeline)  # the model guesses again; carol's answer stands
        assert {e.article_id: e.outlet_id for e in confirmed(store.records())}[a] == VIGIE

    # a second version is compared with the one in use on held-out articles neither was trained on
    promoted = registry.promoted(taxonomy.OUTLET)
    again = _run(capsys, "train", "outlet", "--db", url)
    current = again["current"]
    assert current["version"] == promoted and 0 < current["examples"] <= again["examples"]["held_out"]
    trained_on = set(registry.load(taxonomy.OUTLET, promoted).info["trained_on"])
    with Store(url) as store:
        _, held = split(confirmed(store.records()))
    assert current["examples"] == len([e for e in held if e.article_id not in trained_on])

    assert "no longer in use" in _run(capsys, "models", "demote", "outlet")["stdout"]
    assert registry.promoted(taxonomy.OUTLET) is None
    with Store(url) as store:
        retrain.refresh(store, pipeline)
        assert store.record(a).outlet is None  # no model, no guess kept from before
        guess = _outlet_target(store, a, COURRIER)
        assert guess.attributes.get("withdrawn") and guess.score == 0.0
        assert [(x.user, x.verdict) for x in _outlet_target(store, a, VIGIE).answers] == [("carol", "add")]


def test_outlet_layer_needs_the_store(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_MODELS", str(tmp_path / "models"))
    with pytest.raises(SystemExit) as exit_:
        main(["train", "outlet", "--corpus", "jsonl:x.jsonl"])
    assert exit_.value.code == 2 and "--db" in capsys.readouterr().err
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert main(["train", "outlet", "--db", empty]) == 1
    assert "no confirmed outlets" in capsys.readouterr().err
    assert (not Path(tmp_path / "models" / "outlet").exists()
            or not any((tmp_path / "models" / "outlet").iterdir()))


def test_a_site_with_a_non_latin_address_still_gets_an_outlet_label(pipeline):
    """An address the registry does not know names the site; in Cyrillic, the label holds its punycode
    (an outlet id is ASCII), so analysts can still confirm it."""
    from annotator.outlets.identify import suggestion

    record = pipeline.annotate(RawArticle(source="ru", text="Новость дня. Подробности позже.", language="ru",
                                          url="https://новости-края.рф/a/1"))
    assert record.outlet is not None and record.outlet.name == "новости-края.рф"
    assert record.outlet.id == "domain:" + "новости-края.рф".encode("idna").decode("ascii")
    label = suggestion(record.outlet)
    assert label is not None and label.label == record.outlet.id
