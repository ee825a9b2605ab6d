"""Gold labels: what the analysts' answers on one target settle, under a stated rule.

This is the one place where answers become the current label: training from the store (``train --db``),
training from an exported jsonl (``train --corpus jsonl:``), export selection and its manifest, the
Label Studio and Prodigy files and the agreement figures all read them through these functions, so
that the same answers give the same gold wherever they travel.

The rule is part of every export's manifest and of every model trained from the store, so that a
dataset says how its labels were decided. In order:

1. an adjudicated answer, if any (the latest one decides; an adjudicator's later answer replaces their
   adjudication, as any analyst's later answer replaces their earlier one): status ``adjudicated``;
2. else the analysts' agreement, each analyst counting with their latest answer: status ``agreed`` when
   the answers agree as the rule's ``agreement`` asks (``unanimous``: all of them; ``majority``: more
   than half) and at least ``min_answers`` analysts answered;
3. else ``unresolved`` (they disagree, or too few answered), and ``unreviewed`` when nobody answered.

Only ``adjudicated`` and ``agreed`` targets are gold. A gold target either holds a label on a span (an
accept or add keeps the model's label and span, a correct brings its own) or holds none (reject): a
negative example, which training needs as much as the positives.

A target is one label on one span (an :class:`~annotator.record.Annotation`). A label an analyst made
(agent ``analyst:<user>``, or no score: no model made it) is that analyst's ``add`` until anyone
answers it. An ``add`` answer that names another label or span than its annotation's is about the
target it adds, not this one: :func:`targets` gives it its own, as the store does (``Store.add_label``).

Records layer: this module imports nothing above ``annotator.record``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from annotator.record import Annotation, Answer

AGREEMENTS = ("unanimous", "majority")
GOLD_STATUSES = ("adjudicated", "agreed")
ANALYST = "analyst:"  # agent prefix of a label an analyst made
KEEPING = frozenset({"accept", "add"})  # the verdicts that keep the target as it is


class Said(Protocol):
    """One answer, as much of it as gold needs (a record's :class:`Answer`, a stored row, a test's stub).
    Adjudication is read from ``adjudicated``, else from ``extra["adjudicated"]``."""

    user: str
    verdict: str
    label: str | None
    start: int | None
    end: int | None


A = TypeVar("A", bound=Said)
Verdict = tuple[str | None, int | None, int | None]  # label, start, end; all None: no label holds


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
        """``unanimous``, ``majority``, optionally ``:N`` for the least number of analysts
        (``majority:2``)."""
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


# ---------------------------------------------------------------------------------------- one answer


def latest_by_user(answers: Iterable[A]) -> dict[str, A]:
    """Each analyst's latest answer (``answers`` in time order), by user."""
    return {a.user: a for a in answers}


def latest_answers(answers: Iterable[A]) -> list[A]:
    """Each analyst's latest answer, in time order: what counts towards agreement, and what Label Studio
    and Prodigy files carry."""
    answers = list(answers)
    latest = latest_by_user(answers)
    return [a for a in answers if latest[a.user] is a]


def says(answer: Said, label: str, start: int | None, end: int | None) -> Verdict:
    """What one answer says the target (its ``label`` on [start, end)) is: (label, start, end), all None
    for a rejection. A ``correct`` brings its new label and/or span, the rest from the target; accept
    and add keep the target as it is."""
    if answer.verdict == "reject":
        return None, None, None
    if answer.verdict == "correct":
        new_span = answer.start is not None and answer.end is not None
        return answer.label or label, answer.start if new_span else start, answer.end if new_span else end
    return label, start, end  # accept, add


def keeps(answer: Said) -> bool:
    """Whether the answer keeps the target as suggested (accept, add): a correction does not."""
    return answer.verdict in KEEPING


def is_adjudicated(answer: Any) -> bool:
    flag = getattr(answer, "adjudicated", None)
    if flag is None:
        flag = (getattr(answer, "extra", None) or {}).get("adjudicated", False)
    return bool(flag)


# --------------------------------------------------------------------------------------------- gold


def resolve(label: str, start: int | None, end: int | None, answers: Iterable[Said],
            rule: GoldRule = UNANIMOUS) -> Gold:
    """The gold of a target (its model ``label`` and span) from its ``answers`` in time order."""
    answers = list(answers)
    latest = latest_by_user(answers)
    if not latest:
        return Gold("unreviewed")
    # an adjudicator's later answer replaces their adjudication too, so that each analyst's latest answers
    # (all that Label Studio and Prodigy files keep) give the gold all the answers give
    adjudicated = [a for a in latest_answers(answers) if is_adjudicated(a)]
    if adjudicated:
        return Gold("adjudicated", *says(adjudicated[-1], label, start, end), n_answers=len(latest))
    votes = Counter(says(a, label, start, end) for a in latest.values())
    (winner, n), = votes.most_common(1)
    agreed = n == len(latest) if rule.agreement == "unanimous" else 2 * n > len(latest)
    if agreed and len(latest) >= rule.min_answers:
        return Gold("agreed", *winner, n_answers=len(latest))
    return Gold("unresolved", n_answers=len(latest))


def maker(annotation: Annotation) -> str | None:
    """Who made a label by hand: the analyst of an ``analyst:<user>`` agent, the agent of a label with no
    score (no model scored it); None for a model's suggestion."""
    if annotation.agent.startswith(ANALYST):
        return annotation.agent.removeprefix(ANALYST)
    if annotation.score is None:
        return annotation.agent or "unknown"
    return None


def answers_of(annotation: Annotation) -> list[Answer]:
    """The answers that count on an annotation: its own; a label made by hand that nobody answered yet
    counts as its maker's ``add`` (the store records that ``add``; a file edited by hand may not)."""
    if annotation.answers:
        return list(annotation.answers)
    made_by = maker(annotation)
    return [] if made_by is None else [Answer(made_by, "add", "")]


def gold_of(annotation: Annotation, rule: GoldRule = UNANIMOUS) -> Gold:
    """The gold of one annotation: :func:`resolve` over :func:`answers_of` it."""
    return resolve(annotation.label, annotation.start, annotation.end, answers_of(annotation), rule)


def _adds_elsewhere(answer: Answer, annotation: Annotation) -> bool:
    if answer.verdict != "add":
        return False
    other_label = answer.label is not None and answer.label != annotation.label
    other_span = answer.start is not None and (answer.start, answer.end) != (annotation.start, annotation.end)
    return other_label or other_span


def targets(annotations: Iterable[Annotation]) -> list[Annotation]:
    """The annotations as targets, as the store holds them: an ``add`` answer naming another label or
    span than its annotation's moves to the target it adds (the same layer, its label, its span or the
    annotation's): onto an annotation of the list that is that target, else a new one made by its analyst
    (agent ``analyst:<user>``, no score). The annotations given are not changed."""
    out = [replace(a, answers=list(a.answers)) for a in annotations]
    index = {(a.layer, a.label, a.start, a.end): a for a in out}
    for annotation in list(out):
        moved = [a for a in annotation.answers if _adds_elsewhere(a, annotation)]
        if not moved:
            continue
        annotation.answers = [a for a in annotation.answers if not _adds_elsewhere(a, annotation)]
        for answer in moved:
            label = answer.label or annotation.label
            start, end = (answer.start, answer.end) if answer.start is not None else (annotation.start,
                                                                                       annotation.end)
            key = (annotation.layer, label, start, end)
            target = index.get(key)
            if target is None:
                text = annotation.text if (start, end) == (annotation.start, annotation.end) else None
                target = index[key] = Annotation(annotation.layer, label, start, end, text, None,
                                                 f"{ANALYST}{answer.user}")
                out.append(target)
            target.answers.append(replace(answer, label=None, start=None, end=None))
            target.answers.sort(key=lambda a: a.time)  # in time order, as the store gives them
    return out
