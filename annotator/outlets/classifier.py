"""Step 3 of publisher identification: who published an article, read from its house style.

A promoted version of the `outlet` layer (trained by ``annotator.outlets.training`` from the outlets
analysts confirmed) scores every outlet it learnt: TF-IDF n-grams of the whole text, furniture lines
included, through one calibrated logistic regression per outlet. The best outlet is given only when its
calibrated probability reaches the version's threshold, chosen at training so that the outlets given
on held-out articles were right at least 9 times in 10; below it, no outlet.

Prediction uses numpy alone, and nothing is read until identification gets this far with a promoted
version in the registry: annotating pays nothing while no outlet model is promoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from annotator import taxonomy
from annotator.learning.registry import LayerModel, Registry
from annotator.learning.text_features import grams
from annotator.record import Evidence

LAYER = taxonomy.OUTLET
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Guess:
    outlet_id: str
    probability: float  # calibrated
    evidence: Evidence | None  # the line that spoke most for the outlet


class OutletClassifier:
    def __init__(self, model: LayerModel) -> None:
        if model.features is None:
            raise ValueError(f"outlet {model.version}: no n-gram features beside the head")
        self.model = model
        self.features = model.features
        self.labels: list[str] = list(model.labels)
        self.threshold = float(model.info["threshold"])
        self.names: dict[str, str] = dict(model.info.get("names") or {})

    @property
    def version(self) -> str:
        return str(self.model.version)

    def probabilities(self, texts: list[str], chunk: int = 256) -> np.ndarray:
        """Calibrated probability of each learnt outlet, shape (n, outlets)."""
        parts = [self.model.predict_proba(self.features.dense(texts[i:i + chunk]))
                 for i in range(0, len(texts), chunk)]
        return np.vstack(parts) if parts else np.zeros((0, len(self.labels)))

    def predict(self, texts: list[str]) -> list[tuple[str | None, float]]:
        """(outlet id, or None where the model abstains; the best calibrated probability) per text."""
        P = self.probabilities(texts)
        out: list[tuple[str | None, float]] = []
        for row in P:
            k = int(np.argmax(row)) if len(row) else -1
            best = float(row[k]) if k >= 0 else 0.0
            out.append((self.labels[k] if k >= 0 and best >= self.threshold else None, best))
        return out

    def guess(self, text: str) -> Guess | None:
        X = self.features.dense([text])
        p = self.model.predict_proba(X)[0]
        k = int(np.argmax(p))
        if p[k] < self.threshold:
            return None
        return Guess(self.labels[k], float(p[k]), self._evidence(text, X[0], k))

    def _evidence(self, text: str, x: np.ndarray, k: int) -> Evidence | None:
        """The line of ``text`` whose n-grams add most to outlet ``k``'s score (a sign-off, a dateline,
        a newsletter line, as a rule), or None when no line adds anything."""
        contribution = x * self.model.head.coef_[k]
        best: tuple[float, int, int] | None = None
        for line in _LINE.finditer(text):
            columns = [j for g in grams(line.group(), self.features.char_sizes)
                       if (j := self.features.index.get(g)) is not None]
            total = float(contribution[columns].sum()) if columns else 0.0
            if total > 0 and (best is None or total > best[0]):
                best = (total, line.start(), line.end())
        if best is None:
            return None
        _, start, end = best
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        return Evidence(start, end, text[start:end]) if end > start else None


@lru_cache(maxsize=4)
def _load(root: str, version: str) -> OutletClassifier:
    return OutletClassifier(Registry(Path(root)).load(LAYER, version))


def promoted(models: Registry | None = None) -> OutletClassifier | None:
    """The promoted outlet classifier of ``models`` (default: the registry of $ANNOTATOR_MODELS, else
    models/), or None when none is promoted. Loaded once per version."""
    registry = models or Registry()
    version = registry.promoted(LAYER)
    if version is None:
        return None
    return _load(str(registry.root), version)
