"""Classifier heads over sentence embeddings (plus transparent features where a layer has them).

One estimator for every layer, multi-label by construction (a binary task is one label): a logistic
regression per label, its probabilities calibrated by Platt scaling on out-of-fold scores, and one
decision threshold per label chosen on those same out-of-fold scores, so nothing is tuned on the data it
is scored on. Folds are grouped (by article), never split inside one.

X may be dense (embeddings) or a scipy sparse matrix (n-gram counts).

It keeps the scikit-learn contract: __init__ stores parameters, fit returns self, learned state ends in
an underscore, predict_proba gives the calibrated confidence that the review queue sorts by.

Two choices are made on the out-of-fold scores too: the regularisation C (by ROC AUC, when not fixed)
and the decision rule. `decision="f1"` cuts where F1 is best, which bakes the training prevalence into
the threshold; `decision="balanced"` cuts where TPR - FPR is best (Youden's J), which does not depend on
prevalence: the rule for labels whose share changes from one source to the next (check-worthy sentences
are a quarter of one debate corpus and a third of another).
"""

from __future__ import annotations

import os

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve
from sklearn.model_selection import GroupKFold, KFold
from threadpoolctl import threadpool_limits

from annotator.learning.head_inference import sigmoid as _sigmoid


def best_threshold(y: np.ndarray, p: np.ndarray, precision_floor: float = 0.0) -> float:
    """The probability cut that maximises F1 on (y, p) among the cuts whose precision reaches
    ``precision_floor``; 0.5 when the label never occurs, 1.0 (never shown) when no cut reaches the floor."""
    if y.sum() == 0:
        return 0.5
    order = np.argsort(-p)
    tp = np.cumsum(y[order])
    fp = np.cumsum(1 - y[order])
    f1 = 2 * tp / (tp + fp + y.sum())
    # a cut keeps every example tied with the last one kept: only the end of a tie block is a cut
    ends = np.append(p[order][:-1] > p[order][1:], True)
    f1 = np.where(ends, f1, -1.0)
    if precision_floor > 0:
        f1 = np.where(tp / (tp + fp) >= precision_floor, f1, -1.0)
        if f1.max() < 0:
            return 1.0
    best = int(np.argmax(f1))
    # halfway to the next score, so that a tie does not flip on rounding
    nxt = p[order][best + 1] if best + 1 < len(p) else p[order][best] - 1e-6
    return float((p[order][best] + nxt) / 2)


def youden_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The probability cut that maximises TPR - FPR: independent of how common the label is."""
    if y.min() == y.max():
        return 0.5
    fpr, tpr, cuts = roc_curve(y, p)
    return float(min(cuts[int(np.argmax(tpr - fpr))], 1.0))


class LabelHead(ClassifierMixin, BaseEstimator):
    # the defaults of parameters added later, for heads saved before them (get_params reads them)
    solver = "lbfgs"
    keep_oof = False
    precision_floor = 0.0

    def __init__(self, C: float | None = None, Cs: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0),
                 class_weight: str | None = "balanced", decision: str = "f1", folds: int = 5,
                 max_iter: int = 3000, solver: str = "lbfgs", keep_oof: bool = False,
                 precision_floor: float = 0.0) -> None:
        self.C = C
        self.Cs = Cs
        self.class_weight = class_weight
        self.decision = decision
        self.folds = folds
        self.max_iter = max_iter
        self.solver = solver  # "liblinear": several times faster on wide sparse n-gram rows
        # keep oof_proba_, the calibrated out-of-fold probabilities, for a caller that tunes more on them
        # (off by default: a saved head would carry one row per training example)
        self.keep_oof = keep_oof
        # decision "f1": the cut maximises F1 among those whose out-of-fold precision reaches this floor
        self.precision_floor = precision_floor

    def _fit_one(self, X: np.ndarray, y: np.ndarray, C: float) -> tuple[np.ndarray, float]:
        if y.min() == y.max():  # a label with one class only: a constant, no regression
            return np.zeros(X.shape[1]), 20.0 if y[0] else -20.0
        model = LogisticRegression(C=C, class_weight=self.class_weight, max_iter=self.max_iter,
                                   solver=self.solver)
        model.fit(X, y)
        return model.coef_[0], float(model.intercept_[0])

    def _out_of_fold(self, X: np.ndarray, Y: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]],
                     candidates: list[float]) -> list[np.ndarray]:
        """The out-of-fold scores for each C of ``candidates``: every (C, fold, label) regression is
        independent, so they run on a thread per core (numpy and scipy release the GIL in the solver's
        arithmetic; threads share X, and each fold's training rows are copied once, for every task on it)."""
        tasks = [(c, f, j) for c in range(len(candidates)) for f in range(len(folds))
                 for j in range(Y.shape[1])]
        rows = [X[train] for train, _ in folds]  # each fold's training rows copied once, not per task

        def run(c: int, f: int, j: int) -> tuple[np.ndarray, float]:
            return self._fit_one(rows[f], Y[folds[f][0], j], candidates[c])

        fitted = Parallel(n_jobs=min(len(os.sched_getaffinity(0)), len(tasks)) or 1, prefer="threads")(
            delayed(run)(*task) for task in tasks)
        scores = [np.zeros(Y.shape, dtype=np.float64) for _ in candidates]
        for (c, f, j), (coef, bias) in zip(tasks, fitted, strict=True):
            held = folds[f][1]
            scores[c][held, j] = X[held] @ coef + bias
        return scores

    def fit(self, X: np.ndarray, Y: np.ndarray, groups: np.ndarray | None = None) -> LabelHead:
        # BLAS on one thread: on rows a few hundred wide its threads cost more than they bring (one
        # label's head on 7,343 sentences: 6.1 s with OpenBLAS's 2 threads, 1.3 s with one); the
        # regressions run side by side instead (_out_of_fold)
        with threadpool_limits(1):
            return self._fit(X, Y, groups)

    def _fit(self, X: np.ndarray, Y: np.ndarray, groups: np.ndarray | None) -> LabelHead:
        # a sparse X (TF-IDF n-grams) stays sparse: densifying tens of thousands of columns costs memory
        X = sparse.csr_matrix(X, dtype=np.float64) if sparse.issparse(X) else np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=np.int64)
        if Y.ndim == 1:
            Y = Y[:, None]
        if self.decision not in ("f1", "balanced"):
            raise ValueError(f"decision must be 'f1' or 'balanced', not {self.decision!r}")
        n, n_labels = Y.shape
        if groups is not None and len(np.unique(groups)) < 2:
            raise ValueError("one group (article) only: thresholds are chosen out of fold, by article")
        splitter = (GroupKFold(min(self.folds, len(np.unique(groups)))) if groups is not None
                    else KFold(self.folds, shuffle=True, random_state=0))
        folds = list(splitter.split(X, Y, groups))
        candidates = [self.C] if self.C is not None else list(self.Cs)
        scored = []
        for C, oof in zip(candidates, self._out_of_fold(X, Y, folds, candidates), strict=True):
            aucs = [roc_auc_score(Y[:, j], oof[:, j]) for j in range(n_labels) if 0 < Y[:, j].sum() < n]
            scored.append((float(np.mean(aucs)) if aucs else 0.0, C, oof))
        self.oof_auc_, self.C_, oof = max(scored, key=lambda item: item[0])
        self.coef_ = np.zeros((n_labels, X.shape[1]))
        self.intercept_ = np.zeros(n_labels)
        self.platt_a_ = np.ones(n_labels)
        self.platt_b_ = np.zeros(n_labels)
        self.thresholds_ = np.full(n_labels, 0.5)
        oof_proba = np.zeros(Y.shape)
        for j in range(n_labels):
            self.coef_[j], self.intercept_[j] = self._fit_one(X, Y[:, j], self.C_)
            if 0 < Y[:, j].sum() < n:
                platt = LogisticRegression(C=1e4, max_iter=1000).fit(oof[:, [j]], Y[:, j])
                self.platt_a_[j], self.platt_b_[j] = platt.coef_[0, 0], platt.intercept_[0]
            calibrated = oof_proba[:, j] = _sigmoid(self.platt_a_[j] * oof[:, j] + self.platt_b_[j])
            self.thresholds_[j] = (youden_threshold(Y[:, j], calibrated) if self.decision == "balanced"
                                   else best_threshold(Y[:, j], calibrated, self.precision_floor))
        # what each label's cut does out of fold: the model card's figures, measured where nothing was
        # fitted on the rows it scores
        shown = oof_proba >= self.thresholds_
        tp = (shown & (Y == 1)).sum(0)
        self.oof_precision_ = np.where(shown.sum(0) > 0, tp / np.maximum(shown.sum(0), 1), 0.0)
        self.oof_recall_ = np.where(Y.sum(0) > 0, tp / np.maximum(Y.sum(0), 1), 0.0)
        self.oof_average_precision_ = np.array(
            [average_precision_score(Y[:, j], oof_proba[:, j]) if 0 < Y[:, j].sum() < n
             else float(Y[:, j].sum() == n) for j in range(n_labels)])
        if self.keep_oof:
            self.oof_proba_ = oof_proba
        self.classes_ = np.arange(n_labels)
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        if sparse.issparse(X):
            return np.asarray(X @ self.coef_.T) + self.intercept_
        return np.asarray(X, dtype=np.float64) @ self.coef_.T + self.intercept_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Calibrated probability of each label, shape (n, labels)."""
        return _sigmoid(self.decision_function(X) * self.platt_a_ + self.platt_b_)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(np.int64)
