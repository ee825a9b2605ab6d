"""Transparent framing cues: the words and shapes of text that show a persuasion technique or a frame.

Read from data/lexicons/framing.json (written by the project; its `about` says where the lists come
from). Regular expressions only, no parser, so that training on a corpus and annotating an article
compute the very same features:
- technique cues: lexicon patterns per technique and language, each with a weight; a paragraph's cue
  score for a technique is the noisy-or of its hits' weights (two weak cues together outweigh one);
- Scare_Quotes: distancing quotation marks around one word or a short phrase («belliqueuse»), not a
  quotation of a sentence nor a name or title;
- Repetition: the same content word three times or more in one paragraph;
- frame cues: topic and stance words per frame, as densities.
The framing tagger shows these hits as the evidence of its labels, and the learned heads take the cue
scores as features beside the embeddings.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from annotator import paths, taxonomy

SCARE_QUOTES = "Scare_Quotes"
REPETITION = "Repetition"
# Straight quotes pair up within a line; the others carry their direction.
# Single quotes only where no letter touches them from outside, so that apostrophes (l'armée, don't)
# never open one.
_QUOTED = re.compile(r"«\s*(?P<a>[^«»\n]{1,80}?)\s*»|“(?P<b>[^“”\n]{1,80}?)”|\"(?P<c>[^\"\n]{1,80}?)\"|"
                     r"„(?P<d>[^„“”\n]{1,80}?)[“”]|(?<![\w'’])[‘'](?P<e>[^\W\d_][^'‘’\n]{0,40}?[^\W_])[’'](?![\w'’])")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return json.loads((paths.LEXICONS / "framing.json").read_text("utf-8"))


@dataclass(frozen=True)
class Hit:
    label: str  # a technique id, or a frame id for frame hits
    start: int
    end: int
    cue: str
    weight: float


@lru_cache(maxsize=64)
def _technique_patterns(language: str) -> list[tuple[str, float, re.Pattern[str]]]:
    out = []
    for label, entries in lexicon()["techniques"].items():
        for entry in entries:
            patterns = entry.get(language) or []
            if patterns:
                alternatives = "|".join(f"(?:{p})" for p in patterns)
                out.append((label, float(entry["weight"]),
                            re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)))
    return out


@lru_cache(maxsize=64)
def _frame_patterns(language: str) -> list[tuple[str, re.Pattern[str]]]:
    out = []
    for frame, langs in lexicon()["frames"].items():
        patterns = langs.get(language) or []
        if patterns:
            out.append((frame, re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns)
                                          + r")(?![\w-])", re.IGNORECASE)))
    return out


def scare_quotes(text: str, start: int = 0, end: int | None = None) -> list[Hit]:
    """Quotation marks around one to a few words that are neither a sentence nor a name or title."""
    end = len(text) if end is None else end
    rules = lexicon()["scare_quotes"]
    hits = []
    for m in _QUOTED.finditer(text, start, end):
        inner = next(g for g in m.groups() if g is not None).strip()
        words = _WORD.findall(inner)
        if not words or len(words) > rules["max_words"] or inner[-1] in ".!?…:":
            continue
        if all(w[0].isupper() for w in words):
            continue  # «New Start», "Tout Accepter": a name or a title, not a distance taken
        before = text[max(start, m.start() - 3) : m.start()]
        if ":" in before:
            continue  # «... a-t-il dit : "non"»: a (short) quotation introduced as such
        hits.append(Hit(SCARE_QUOTES, m.start(), m.end(), m.group(), float(rules["weight"])))
    return hits


def repetition(text: str, start: int = 0, end: int | None = None) -> list[Hit]:
    """The same phrase (two words or more) said three times in one span, or three sentences opening
    with the same two words («Ils ont menti. Ils ont trahi. Ils ont volé.»). Single words are not
    enough: a report on missiles says «missiles» five times."""
    end = len(text) if end is None else end
    rules = lexicon()["repetition"]
    stop = frozenset(rules["stopwords"])
    words = list(_WORD.finditer(text, start, end))
    seen: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for a, b in itertools.pairwise(words):
        pair = (a.group().lower(), b.group().lower())
        if any(len(w) < 3 or w in stop for w in pair) or a.group()[0].isupper() and b.group()[0].isupper():
            continue  # «de la», «Vladimir Poutine»: function words and names repeat in any report
        if text[a.end() : b.start()].strip():
            continue
        seen.setdefault(pair, []).append((a.start(), b.end()))
    openings: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for m in re.finditer(r"(?:^|(?<=[.!?…]\s))\s*([^\W\d_][\w'’-]*)\s+([^\W\d_][\w'’-]*)", text[start:end]):
        key = (m.group(1).lower(), m.group(2).lower())
        openings.setdefault(key, []).append((start + m.start(1), start + m.end(2)))
    hits = []
    for spans in [*seen.values(), *openings.values()]:
        if len(spans) >= rules["min_count"]:
            weight = min(float(rules["weight"]) + 0.15 * (len(spans) - rules["min_count"]), 0.9)
            hits.extend(Hit(REPETITION, s, e, text[s:e], weight) for s, e in spans)
    return hits


def technique_hits(text: str, language: str, start: int = 0, end: int | None = None) -> list[Hit]:
    """Every technique cue in text[start:end], in text order."""
    end = len(text) if end is None else end
    hits: list[Hit] = []
    for label, weight, pattern in _technique_patterns(language):
        hits.extend(Hit(label, m.start(), m.end(), m.group(), weight)
                    for m in pattern.finditer(text, start, end))
    hits.extend(scare_quotes(text, start, end))
    hits.extend(repetition(text, start, end))
    return sorted(hits, key=lambda h: (h.start, h.end, h.label))


def noisy_or(hits: list[Hit]) -> dict[str, float]:
    """A score per label: 1 - prod(1 - weight) over its hits, one hit per distinct cue word (the same
    word twice is one piece of evidence, not two)."""
    best: dict[tuple[str, str], float] = {}
    for h in hits:
        key = (h.label, h.cue.lower())
        best[key] = max(best.get(key, 0.0), h.weight)
    miss: dict[str, float] = {}
    for (label, _), weight in best.items():
        miss[label] = miss.get(label, 1.0) * (1.0 - weight)
    return {label: round(1.0 - m, 4) for label, m in miss.items()}


def technique_features(texts: list[str], languages: list[str | None]) -> np.ndarray:
    """(n, techniques) cue scores, the columns in taxonomy.TECHNIQUE_LABELS order."""
    return technique_matrix([noisy_or(technique_hits(text, language or ""))
                             for text, language in zip(texts, languages, strict=True)])


def technique_matrix(scores: list[dict[str, float]]) -> np.ndarray:
    """`noisy_or` scores of several texts as `technique_features`' matrix (for a caller that has them)."""
    X = np.zeros((len(scores), len(taxonomy.TECHNIQUE_LABELS)), dtype=np.float32)
    index = {label: j for j, label in enumerate(taxonomy.TECHNIQUE_LABELS)}
    for i, row in enumerate(scores):
        for label, score in row.items():
            X[i, index[label]] = score
    return X


def frame_hits(text: str, language: str) -> list[Hit]:
    return [Hit(frame, m.start(), m.end(), m.group(), 1.0)
            for frame, pattern in _frame_patterns(language) for m in pattern.finditer(text)]


def frame_scores(text: str, language: str) -> tuple[dict[str, float], list[Hit]]:
    """Per frame, 1 - exp(-density) with density in hits per 50 words, so that a long article needs
    more of them; and the hits themselves, whose words are the cue shown beside a frame."""
    hits = frame_hits(text, language)
    counts = Counter(h.label for h in hits)
    scale = max(len(_WORD.findall(text)), 50) / 50
    return {frame: round(float(1 - np.exp(-count / scale)), 4) for frame, count in counts.items()}, hits


def frame_features(texts: list[str], languages: list[str | None]) -> np.ndarray:
    X = np.zeros((len(texts), len(taxonomy.FRAME_LABELS)), dtype=np.float32)
    index = {label: j for j, label in enumerate(taxonomy.FRAME_LABELS)}
    for i, (text, language) in enumerate(zip(texts, languages, strict=True)):
        for frame, score in frame_scores(text, language or "")[0].items():
            X[i, index[frame]] = score
    return X


def features(layer: str, texts: list[str], languages: list[str | None]) -> np.ndarray | None:
    """The cue features a layer's head takes beside the embeddings (None: embeddings alone)."""
    if layer == taxonomy.TECHNIQUE:
        return technique_features(texts, languages)
    if layer == taxonomy.FRAME:
        return frame_features(texts, languages)
    return None


def version() -> str:
    return str(lexicon()["version"])
