import numpy as np
import pytest
from sklearn.base import clone

from annotator.learning.heads import LabelHead, best_threshold
from annotator.learning.metrics import frequency_baseline, scores


def data(n=400, d=8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    Y = np.stack([(X[:, 0] + 0.3 * rng.normal(size=n) > 0.8), (X[:, 1] - X[:, 2] > 0)], axis=1).astype(int)
    return X, Y, np.arange(n) // 4  # four examples per "article"


def test_head_follows_the_estimator_contract_and_learns():
    X, Y, groups = data()
    head = LabelHead(C=2.0)
    assert head.get_params()["C"] == 2.0 and not hasattr(head, "coef_")  # __init__ only stores
    assert head.fit(X[:300], Y[:300], groups=groups[:300]) is head
    assert clone(head).get_params() == head.get_params()
    proba = head.predict_proba(X[300:])
    assert proba.shape == (100, 2) and ((proba >= 0) & (proba <= 1)).all()
    result = scores(Y[300:], head.predict(X[300:]), ["a", "b"])
    baseline = scores(Y[300:], frequency_baseline(Y[:300], 100), ["a", "b"])
    assert result["macro_f1"] > 0.8 > baseline["macro_f1"]


def test_probabilities_are_calibrated():
    X, Y, groups = data(n=2000, seed=1)
    head = LabelHead().fit(X[:1500], Y[:1500], groups=groups[:1500])
    p, y = head.predict_proba(X[1500:])[:, 0], Y[1500:, 0]
    for lo, hi in ((0.0, 0.2), (0.8, 1.0)):
        in_bin = (p >= lo) & (p < hi)
        assert abs(y[in_bin].mean() - p[in_bin].mean()) < 0.1


def test_threshold_maximises_f1():
    y = np.array([1, 1, 0, 1, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    t = best_threshold(y, p)
    assert 0.2 < t < 0.6
    assert best_threshold(np.zeros(3), p[:3]) == 0.5


def test_a_label_never_seen_is_never_predicted():
    X, Y, groups = data()
    Y[:, 1] = 0
    head = LabelHead().fit(X, Y, groups=groups)
    assert head.predict(X)[:, 1].sum() == 0


@pytest.mark.parametrize("k", [None, 1])
def test_frequency_baseline_gives_the_most_frequent_labels(k):
    Y = np.array([[1, 0, 0], [1, 1, 0], [1, 0, 0]])
    assert frequency_baseline(Y, 2, k).tolist() == [[1, 0, 0], [1, 0, 0]]


def test_a_precision_floor_raises_the_cut_to_where_precision_reaches_it():
    y = np.array([1, 1, 0, 1, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    assert best_threshold(y, p) < 0.6  # best F1: take the first four (3 of 4 right)
    t = best_threshold(y, p, precision_floor=0.9)
    assert 0.7 < t < 0.8  # only the top two are kept: precision 1.0
    assert best_threshold(np.array([0, 1, 0]), np.array([0.9, 0.5, 0.1]), precision_floor=0.9) == 1.0


def test_each_label_carries_its_out_of_fold_figures():
    X, Y, groups = data()
    head = LabelHead(precision_floor=0.8).fit(X, Y, groups=groups)
    assert (head.oof_precision_ >= 0.8).all() and (head.oof_recall_ > 0.3).all()
    assert (head.oof_average_precision_ > 0.8).all()
    with pytest.raises(ValueError, match="one group"):
        LabelHead().fit(X, Y, groups=np.zeros(len(X)))


def test_average_precision_is_sklearns():
    from sklearn.metrics import average_precision_score

    from annotator.learning.metrics import average_precision

    rng = np.random.default_rng(3)
    y, s = rng.random(60) < 0.3, rng.random(60)
    assert average_precision(y, s) == pytest.approx(average_precision_score(y, s))
    assert average_precision(np.zeros(4), s[:4]) == 0.0


def test_a_cut_never_splits_tied_scores():
    """Tied scores are shown or hidden together: the floor is met by what the cut really keeps."""
    y = np.array([1, 0, 0, 0, 1, 0, 0, 0])
    p = np.array([0.9, 0.9, 0.9, 0.9, 0.5, 0.4, 0.3, 0.2])
    assert best_threshold(y, p, precision_floor=0.9) == 1.0  # no cut keeps the 1 at 0.9 without its ties
    t = best_threshold(y, p)
    kept = p >= t
    assert kept[:4].all() or not kept[:4].any()
