"""Figures derived from the answers: the label a target currently holds, and inter-analyst agreement.

Plain functions over plain rows, so they can be tested and swapped without a database. What an answer
says and which answer of an analyst counts come from the gold rule (``annotator.gold``).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from annotator.gold import UNANIMOUS, GoldRule, keeps, latest_by_user, resolve

if TYPE_CHECKING:
    import pandas as pd

AGREEMENT_COLUMNS = ["layer", "label", "user_a", "user_b", "n", "kappa"]


class Said(NamedTuple):
    """One answer, as much of it as these figures need (a correct's new span, when it has one)."""

    user: str
    verdict: str
    label: str | None
    adjudicated: bool
    start: int | None = None
    end: int | None = None


def resolved_label(label: str, answers: Iterable[Said], rule: GoldRule = UNANIMOUS) -> str | None:
    """The label a target holds now, None when it holds none; ``answers`` in time order.

    With no answer, the model's suggestion stands; else the gold rule decides (``annotator.gold``): the
    gold label, None when the gold is a rejection or the analysts have not settled it (unresolved).
    """
    gold = resolve(label, None, None, answers, rule)
    if gold.status == "unreviewed":
        return label
    return gold.label if gold.is_gold else None


def agreement(targets: Mapping[int, tuple[str, str]], answers: Mapping[int, Iterable[Said]]) -> pd.DataFrame:
    """Cohen's kappa per (layer, label) for each pair of users over the targets both answered, their
    latest answers read as keeping the target (accept, add) or not. ``targets``: id -> (layer, label)."""
    from sklearn.exceptions import UndefinedMetricWarning
    from sklearn.metrics import cohen_kappa_score

    # (layer, label) -> user -> target id -> accepted
    said: dict[tuple[str, str], dict[str, dict[int, int]]] = {}
    for target_id, target_answers in answers.items():
        for user, answer in latest_by_user(target_answers).items():
            by_user = said.setdefault(targets[target_id], {})
            by_user.setdefault(user, {})[target_id] = int(keeps(answer))

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
    import pandas as pd

    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
