"""What a head reads, and how its score is shown.

One place for both, so that training, evaluation and the taggers compute the same thing: a head
trained on `design(...)` is scored and applied on `design(...)`, and what `evaluate` counts as found is
what the dashboard shows as found.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from annotator import cues

SHOWN = 0.5  # the score from which a label is shown, for every label: each label's own threshold maps to it


def hidden_labels() -> frozenset[str]:
    """The frames and techniques the user chose not to see ([framing] hidden in the settings). The only
    way a label is hidden: a head's weak labels are shown at their own threshold, with their figures in
    the model card, never capped out of sight."""
    from annotator.settings import settings

    return frozenset(settings().get("framing", {}).get("hidden", []))


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


LEGACY_WEAK_CAP = 0.4  # the highest score of a "weak" label in heads saved before per-label figures


def head_scores(model: Any, X: np.ndarray) -> np.ndarray:
    """A head's probabilities on the shown scale (each label's threshold at SHOWN); at 0 the labels it
    never saw in training and those no cut could show (threshold 1: under a precision floor)."""
    thresholds = np.asarray(model.head.thresholds_)
    shown = to_shown_scale(model.predict_proba(X), thresholds)
    counts = model.info.get("label_counts") or {}
    # a head saved before 2026-12-08 has no per-label figures: it was made to be shown with its weak
    # labels capped under SHOWN (its card says which), and a rollback to it shows what it showed then
    legacy_weak = set(model.info.get("weak_labels") or ()) if "thresholds" not in model.info else set()
    for j, label in enumerate(model.labels):
        if (counts and not counts.get(label)) or thresholds[j] >= 1.0:
            shown[:, j] = 0.0  # never seen in training: the head knows nothing of it, the cues decide
        elif label in legacy_weak:
            shown[:, j] = np.minimum(shown[:, j], LEGACY_WEAK_CAP)
    return shown


def technique_scores(model: Any, X: np.ndarray) -> np.ndarray:
    """The shown score of each technique: the head's, or the cues' when they say more. A strong cue
    («soi-disant», a scare quote) is evidence a head trained on a few hundred paragraphs may not have
    learnt; the head adds what no listed word shows. X ends with the cue scores (annotator.cues)."""
    n = len(model.labels)
    return np.maximum(head_scores(model, X), X[:, -n:])


def shown_scores(model: Any, X: np.ndarray, hidden: frozenset[str] = frozenset()) -> np.ndarray:
    """What the frame and technique taggers show, as scores: a label is shown where its score reaches
    SHOWN. `evaluate` and the tagger both call this, so the figures are those of what analysts see.
    ``hidden``: labels the user chose not to see, at 0."""
    features = str(model.info.get("features", ""))
    with_cues = model.layer == "technique" and features.startswith("embedding+cues")
    scores = technique_scores(model, X) if with_cues else head_scores(model, X)
    for j, label in enumerate(model.labels):
        if label in hidden:
            scores[:, j] = 0.0
    return scores
