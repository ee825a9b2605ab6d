from annotator import taxonomy
from annotator.document import Document
from annotator.nlp import paragraphs
from annotator.taggers.page_furniture import PageFurnitureTagger


def furniture(record):
    return [a for a in record.annotations if (a.layer, a.label) in taxonomy.FURNITURE]


def covered(record, fragment):
    start = record.text.index(fragment)
    end = start + len(fragment)
    return [a for a in furniture(record) if a.start <= start and end <= a.end]


def test_seed_consent_banner_is_boilerplate(seed_record):
    for fragment in ('En cliquant sur "Tout Accepter" vous consentez', "OK",
                     "RT en français utilise des cookies", "Tout AccepterTout refuserParamétrer vos choix"):
        labels = {(a.layer, a.label) for a in covered(seed_record, fragment)}
        assert ("structure", "boilerplate") in labels, fragment


def test_seed_follow_lines_are_promo_and_read_more_is_related_link(seed_record):
    promos = [a for a in seed_record.annotations if a.label == "promo"]
    assert [a.text for a in promos] == ["Suivez RT en français surTelegram"] * 2
    (related,) = [a for a in seed_record.annotations if a.label == "related_link"]
    assert related.text.startswith("Lire aussi : Au forum de Vladivostok")


def test_no_sentence_of_the_seed_body_is_marked(seed_record):
    text = seed_record.text
    body_start = text.index("Le président russe a lancé une idée originale")
    body_end = text.index("Lire aussi :")
    body = [(s, e) for s, e in seed_record.segments["paragraphs"] if body_start <= s and e <= body_end]
    assert len(body) == 7
    for s, e in body:
        assert not [a for a in furniture(seed_record) if a.start < e and s < a.end], text[s:e]
    # and the body is what the analysis layers get sentences for
    assert all(body_start <= s < body_end or s < body_start for s, _ in seed_record.segments["sentences"])


def tag(text: str):
    return PageFurnitureTagger().tag(Document(text=text, language="xx", paragraphs=paragraphs(text)))


def test_a_news_story_about_cookies_is_not_a_consent_banner():
    text = ("La CNIL a infligé une amende de 150 millions d'euros à Google pour ses cookies publicitaires.\n"
            "Selon le régulateur, le refus des cookies était plus difficile que leur acceptation.\n"
            "Le consentement des internautes n'était pas recueilli de manière libre, estime la CNIL.")
    assert tag(text) == []


def test_english_banner_paywall_and_share_bar_are_marked():
    text = ("Share\nFacebook Twitter Email\n"
            "Ministers agreed on Tuesday to extend the grain deal by another sixty days "
            "after talks in Istanbul.\n"
            "The agreement covers three ports and was welcomed by the United Nations.\n"
            "Subscribe to continue reading\nAlready a subscriber? Sign in\n"
            "We use cookies to personalise content and ads. You can manage your choices at any time.\n"
            "Accept all\nReject all")
    marked = tag(text)
    spans = [(a.label, a.text) for a in marked]
    assert ("promo", "Share\nFacebook Twitter Email") in spans
    assert all("grain deal" not in t and "three ports" not in t for _, t in spans)
    tail = text.index("Subscribe to continue")
    for line in text[tail:].split("\n"):
        start = text.index(line, tail)
        assert any(a.start <= start and start + len(line) <= a.end for a in marked), line


def test_read_more_heading_alone_takes_the_next_line_as_its_link():
    text = ("Les députés ont adopté le texte en première lecture mardi soir.\nÀ lire aussi\n"
            "Retraites : ce que contient la réforme\nLe Sénat doit l'examiner en janvier.")
    (a,) = tag(text)  # and the short body lines around it stay body
    assert a.label == "related_link" and a.text == "À lire aussi\nRetraites : ce que contient la réforme"


def test_lexicon_cues_cover_the_project_languages():
    tagger = PageFurnitureTagger()
    for line, kind in [("Lesen Sie auch: Was die Reform bedeutet", "related_link"),
                       ("Leggi anche: la manovra in Parlamento", "related_link"),
                       ("Читайте также: Что изменится с 1 января", "related_link"),
                       ("Síguenos en Telegram", "promo"),
                       ("Tous droits réservés", "legal")]:
        verdict = tagger.classify(line)
        assert verdict is not None and verdict.kind == kind, line
