"""What a head reads, and how its score is shown.

One place for both, so that training, evaluation and the taggers compute the same thing: a head
trained on `design(...)` is scored and applied on `design(...)`, and what `evaluate` counts as found is
what the dashboard shows as found.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator import cues

SHOWN = 0.5  # the score from which a label is shown as found, for every label
WEAK_CAP = 0.4  # the highest score of a weak label


def design(layer: str, texts: list[str], languages: list[str | None], encoder: Any,
           cue_scores: np.ndarray | None = None) -> np.ndarray:
    """What a layer's head reads: the embeddings, and for the framing layers the cue scores of
    annotator.cues beside them (the same function serves training, evaluation and the tagger).
    ``cue_scores``: those scores when the caller has computed them already (the framing tagger)."""
    X = encoder.encode(texts)
    extra = cue_scores if cue_scores is not None else cues.features(layer, texts, languages)
    return X if extra is None else np.hstack([X, extra.astype(X.dtype)])


def feature_name(layer: str) -> str:
    """The `features` a head of this layer is saved with: taggers check it before trusting a head."""
    return "embedding" if cues.features(layer, ["x"], ["en"]) is None else f"embedding+cues@{cues.version()}"


def to_shown_scale(p: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """Piecewise-linear map of probabilities taking each label's threshold to SHOWN."""
    t = np.clip(threshold, 1e-6, 1 - 1e-6)
    return np.where(p < t, SHOWN * p / t, SHOWN + (1 - SHOWN) * (p - t) / (1 - t))


def head_scores(model: Any, X: np.ndarray) -> np.ndarray:
    """A head's probabilities on the shown scale, weak labels capped, labels it never saw at 0."""
    shown = to_shown_scale(model.predict_proba(X), np.asarray(model.head.thresholds_))
    counts = model.info.get("label_counts") or {}
    weak = set(model.info.get("weak_labels") or ())
    for j, label in enumerate(model.labels):
        if counts and not counts.get(label):
            shown[:, j] = 0.0  # never seen in training: the head knows nothing of it, the cues decide
        elif label in weak:
            shown[:, j] = np.minimum(shown[:, j], WEAK_CAP)
    return shown


def technique_scores(model: Any, X: np.ndarray) -> np.ndarray:
    """The shown score of each technique: the head's, or the cues' when they say more. A strong cue
    («soi-disant», a scare quote) is evidence a head trained on a few hundred paragraphs may not have
    learnt; the head adds what no listed word shows. X ends with the cue scores (annotator.cues)."""
    n = len(model.labels)
    return np.maximum(head_scores(model, X), X[:, -n:])
