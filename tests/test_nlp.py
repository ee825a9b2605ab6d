"""What the spaCy stage hands the taggers: the lemmas of the full rule lemmatizer, entities where a
paragraph may name someone."""

import spacy

from annotator import nlp


def test_lemmas_are_those_of_the_model_as_shipped():
    text = ("Les manifestants auraient incendié trois véhicules, selon la préfecture, qui évoquait des "
            "dégradations importantes. Les négociations reprendraient lundi à Bruxelles.")
    ours = nlp.parse(text, [(0, len(text))], "fr")[0][1]
    shipped = spacy.load(nlp.SPACY_MODELS["fr"])(text)
    assert [t.lemma_ for t in ours] == [t.lemma_ for t in shipped]
    assert "incendier" in [t.lemma_ for t in ours]


def test_people_are_found_and_paragraphs_without_a_name_are_not_searched():
    text = ("Le président russe Vladimir Poutine a reçu mardi son homologue.\n"
            "les prix ont augmenté de trois pour cent en un an.")
    first, second = nlp.parse(text, nlp.paragraphs(text), "fr")
    assert [(e.text, e.label_) for e in first[1].ents if e.label_ == "PER"] == [("Vladimir Poutine", "PER")]
    assert first[1].has_annotation("ENT_IOB")
    assert not nlp._may_name_someone(second[1]) and not second[1].has_annotation("ENT_IOB")  # never searched
