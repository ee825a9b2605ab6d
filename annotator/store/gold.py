"""Gold labels: what the analysts' answers on one target settle, under a stated rule.

The rule is part of every export's manifest and of every model trained from the store, so that a
dataset says how its labels were decided. In order:

1. an adjudicated answer, if any (the latest one decides): status ``adjudicated``;
2. else the analysts' agreement, each analyst counting with their latest answer: status ``agreed`` when
   the answers agree as the rule's ``agreement`` asks (``unanimous``: all of them; ``majority``: more
   than half) and at least ``min_answers`` analysts answered;
3. else ``unresolved`` (they disagree, or too few answered), and ``unreviewed`` when nobody answered.

Only ``adjudicated`` and ``agreed`` targets are gold. A gold target either holds a label on a span (an
accept or add keeps the model's label and span, a correct brings its own) or holds none (reject): a
negative example, which training needs as much as the positives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

AGREEMENTS = ("unanimous", "majority")
GOLD_STATUSES = ("adjudicated", "agreed")


class Said(Protocol):
    user: str
    verdict: str
    label: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class GoldRule:
    agreement: str = "unanimous"
    min_answers: int = 1

    def __post_init__(self) -> None:
        if self.agreement not in AGREEMENTS:
            raise ValueError(f"unknown agreement {self.agreement!r}; use one of {', '.join(AGREEMENTS)}")
        if self.min_answers < 1:
            raise ValueError("min_answers is at least 1")

    @classmethod
    def parse(cls, text: str) -> GoldRule:
        """``unanimous``, ``majority``, optionally ``:N`` for the least number of analysts (``majority:2``)."""
        agreement, _, n = text.partition(":")
        try:
            return cls(agreement.strip(), int(n) if n else 1)
        except ValueError as exc:
            raise ValueError(f"gold rule {text!r}: {exc}") from None

    def describe(self) -> dict[str, Any]:
        return {"order": ["adjudicated", "agreement", "unresolved"], "agreement": self.agreement,
                "min_answers": self.min_answers}


UNANIMOUS = GoldRule()  # the default rule


@dataclass(frozen=True)
class Gold:
    status: str  # adjudicated | agreed | unresolved | unreviewed
    label: str | None = None  # None: no label holds here (rejected), or not gold
    start: int | None = None
    end: int | None = None
    n_answers: int = 0  # analysts who answered

    @property
    def is_gold(self) -> bool:
        return self.status in GOLD_STATUSES


def _verdict_of(answer: Said, label: str, start: int | None, end: int | None) -> tuple[str | None, int | None,
                                                                                      int | None]:
    """What one answer says the target is: (label, start, end); (None, None, None) for a rejection."""
    if answer.verdict == "reject":
        return None, None, None
    if answer.verdict == "correct":
        new_span = answer.start is not None and answer.end is not None
        return (answer.label or label, answer.start if new_span else start, answer.end if new_span else end)
    return label, start, end  # accept, add


def _adjudicated(answer: Any) -> bool:
    flag = getattr(answer, "adjudicated", None)
    if flag is None:
        flag = (getattr(answer, "extra", None) or {}).get("adjudicated", False)
    return bool(flag)


def resolve(label: str, start: int | None, end: int | None, answers: Iterable[Said],
            rule: GoldRule = UNANIMOUS) -> Gold:
    """The gold of a target (its model ``label`` and span) from its ``answers`` in time order."""
    answers = list(answers)
    latest = {a.user: a for a in answers}
    if not latest:
        return Gold("unreviewed")
    adjudicated = [a for a in answers if _adjudicated(a)]
    if adjudicated:
        return Gold("adjudicated", *_verdict_of(adjudicated[-1], label, start, end), n_answers=len(latest))
    votes = Counter(_verdict_of(a, label, start, end) for a in latest.values())
    (winner, n), = votes.most_common(1)
    agreed = n == len(latest) if rule.agreement == "unanimous" else 2 * n > len(latest)
    if agreed and len(latest) >= rule.min_answers:
        return Gold("agreed", *winner, n_answers=len(latest))
    return Gold("unresolved", n_answers=len(latest))
