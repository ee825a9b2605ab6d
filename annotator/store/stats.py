"""Figures derived from the answers: the label a target currently holds, and inter-analyst agreement.

Plain functions over plain rows, so they can be tested and swapped without a database.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import pandas as pd

ACCEPTING = frozenset({"accept", "add"})
AGREEMENT_COLUMNS = ["layer", "label", "user_a", "user_b", "n", "kappa"]


class Said(NamedTuple):
    """One answer, as much of it as these figures need."""

    user: str
    verdict: str
    label: str | None
    adjudicated: bool


def resolved_label(label: str, answers: Iterable[Said]) -> str | None:
    """The label a target holds now, None when rejected; ``answers`` in time order.

    The latest adjudicated answer decides; else the latest answer of anyone; with no answer, the model's
    suggestion stands. (Gold labels from the analysts' agreement are a later issue's.)
    """
    answers = list(answers)
    deciding = [a for a in answers if a.adjudicated] or answers
    if not deciding:
        return label
    last = deciding[-1]
    if last.verdict == "reject":
        return None
    return last.label if last.verdict == "correct" and last.label else label


def latest_by_user(answers: Iterable[Said]) -> dict[str, Said]:
    """Each user's latest answer (``answers`` in time order)."""
    return {a.user: a for a in answers}


def agreement(targets: Mapping[int, tuple[str, str]], answers: Mapping[int, Iterable[Said]]) -> pd.DataFrame:
    """Cohen's kappa per (layer, label) for each pair of users over the targets both answered, their
    latest answers read as accepted or not. ``targets``: id -> (layer, label)."""
    from sklearn.exceptions import UndefinedMetricWarning
    from sklearn.metrics import cohen_kappa_score

    # (layer, label) -> user -> target id -> accepted
    said: dict[tuple[str, str], dict[str, dict[int, int]]] = {}
    for target_id, target_answers in answers.items():
        for user, answer in latest_by_user(target_answers).items():
            by_user = said.setdefault(targets[target_id], {})
            by_user.setdefault(user, {})[target_id] = int(answer.verdict in ACCEPTING)

    rows = []
    for (layer, label), by_user in sorted(said.items()):
        for user_a, user_b in itertools.combinations(sorted(by_user), 2):
            shared = sorted(by_user[user_a].keys() & by_user[user_b].keys())
            if not shared:
                continue
            a = [by_user[user_a][t] for t in shared]
            b = [by_user[user_b][t] for t in shared]
            with warnings.catch_warnings():
                # both answered one same way throughout: kappa is undefined, NaN says so
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                kappa = float(cohen_kappa_score(a, b, labels=[0, 1]))
            rows.append((layer, label, user_a, user_b, len(shared), kappa))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
