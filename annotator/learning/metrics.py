"""Per-label precision/recall/F1, micro and macro F1, and the trivial baselines they are reported beside."""

from __future__ import annotations

from typing import Any

import numpy as np


def average_precision(y: np.ndarray, s: np.ndarray) -> float:
    """How well the scores rank a label's examples, whatever the threshold (scikit-learn's, the one the
    model card's out-of-fold figures use). 0 when the label never occurs."""
    from sklearn.metrics import average_precision_score

    y = np.asarray(y, dtype=bool)
    if not y.any():
        return 0.0
    return float(average_precision_score(y, np.asarray(s, dtype=np.float64)))


def scores(Y: np.ndarray, P: np.ndarray, labels: list[str], S: np.ndarray | None = None) -> dict[str, Any]:
    """Y, P: (n, labels) 0/1 indicator arrays of gold and predicted labels; S, optional: the scores P was
    cut from, for each label's average precision."""
    Y, P = np.asarray(Y, dtype=bool), np.asarray(P, dtype=bool)
    per_label: dict[str, dict[str, float | int]] = {}
    for j, label in enumerate(labels):
        tp = int((Y[:, j] & P[:, j]).sum())
        fp = int((~Y[:, j] & P[:, j]).sum())
        fn = int((Y[:, j] & ~P[:, j]).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                            "support": int(Y[:, j].sum()), "predicted": int(P[:, j].sum())}
        if S is not None:
            per_label[label]["average_precision"] = round(average_precision(Y[:, j], S[:, j]), 4)
    tp, fp, fn = int((Y & P).sum()), int((~Y & P).sum()), int((Y & ~P).sum())
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    supported = [v for v in per_label.values() if v["support"]]
    out = {"per_label": per_label, "micro_f1": round(micro, 4),
           "macro_f1": round(float(np.mean([v["f1"] for v in supported])) if supported else 0.0, 4),
           "examples": len(Y)}
    if S is not None and supported:
        out["mean_average_precision"] = round(float(np.mean([v["average_precision"] for v in supported])), 4)
    return out


def frequency_baseline(Y_train: np.ndarray, n: int, k: int | None = None) -> np.ndarray:
    """Every example gets the k most frequent training labels (k: the mean number of labels per example,
    at least 1). For a binary task this is 'always the majority class'."""
    Y_train = np.asarray(Y_train)
    if k is None:
        k = max(1, round(float(Y_train.sum(1).mean()))) if Y_train.shape[1] > 1 else 0
    pred = np.zeros((n, Y_train.shape[1]), dtype=np.int64)
    if Y_train.shape[1] == 1:
        pred[:, 0] = int(Y_train[:, 0].mean() > 0.5)
    else:
        pred[:, np.argsort(-Y_train.sum(0))[:k]] = 1
    return pred


def all_positive_baseline(n: int, n_labels: int) -> np.ndarray:
    return np.ones((n, n_labels), dtype=np.int64)
