"""What an export holds: the stored articles and labels that pass the filters, each label with its gold.

Article filters (``outlet``, ``language``, ``since``/``until`` on the published date, else the ingest
date) choose articles; label filters choose labels within them: ``layers``; ``user`` keeps only that
analyst's answers and the labels they answered; ``status`` keeps the labels whose gold, resolved under
the gold rule (``annotator.gold``) from the answers the export holds, is ``gold`` (adjudicated or
agreed), ``unresolved`` or ``unreviewed``. With a label filter, an article left without labels is left
out; without one, every chosen article is exported, labelled or not, so that a jsonl export is a full
copy of the store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from annotator import taxonomy
from annotator.gold import GOLD_STATUSES, Gold, GoldRule, gold_of, latest_answers
from annotator.record import Record

if TYPE_CHECKING:
    from annotator.store import Store

STATUS_FILTERS = ("any", "gold", "unresolved", "unreviewed")
GOLD_STATUS_NAMES = ("adjudicated", "agreed", "unresolved", "unreviewed")


@dataclass(frozen=True)
class Filters:
    layers: tuple[str, ...] = ()
    outlet: str | None = None
    language: str | None = None
    since: date | None = None
    until: date | None = None
    status: str = "any"  # per label: any | gold | unresolved | unreviewed
    user: str | None = None  # only this analyst's answers

    def __post_init__(self) -> None:
        for layer in self.layers:
            if layer not in taxonomy.ALL_LAYERS:
                raise ValueError(f"unknown layer {layer!r}; layers are {', '.join(taxonomy.ALL_LAYERS)}")
        if self.status not in STATUS_FILTERS:
            raise ValueError(f"unknown status {self.status!r}; use one of {', '.join(STATUS_FILTERS)}")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"--since {self.since} comes after --until {self.until}")

    @property
    def per_label(self) -> bool:
        return bool(self.layers) or self.status != "any" or self.user is not None

    def describe(self) -> dict[str, Any]:
        return {"layer": list(self.layers) or None, "outlet": self.outlet, "language": self.language,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None, "status": self.status,
                "user": self.user}


@dataclass
class Selected:
    """One exported article: the record with the kept labels, each with the kept answers (time order),
    and each label's gold (``gold[i]`` is ``record.annotations[i]``'s)."""

    record: Record
    gold: list[Gold] = field(default_factory=list)


def _status_matches(gold: Gold, status: str) -> bool:
    if status == "any":
        return True
    if status == "gold":
        return gold.status in GOLD_STATUSES
    return gold.status == status


def select(store: Store, filters: Filters | None = None, rule: GoldRule | None = None, *,
           latest_only: bool = False) -> Iterator[Selected]:
    """The articles and labels an export with these filters holds, oldest ingest first.

    ``latest_only``: keep only each analyst's latest answer per label (gold is resolved before, from
    all of them)."""
    filters, rule = filters or Filters(), rule or GoldRule()
    for article_id in store.article_ids(outlet=filters.outlet, language=filters.language, since=filters.since,
                                        until=filters.until):
        record = store.record(article_id)
        kept, golds = [], []
        for annotation in record.annotations:
            if filters.layers and annotation.layer not in filters.layers:
                continue
            if filters.user is not None:
                annotation.answers = [a for a in annotation.answers if a.user == filters.user]
                if not annotation.answers:
                    continue
            gold = gold_of(annotation, rule)
            if not _status_matches(gold, filters.status):
                continue
            if latest_only:
                annotation.answers = latest_answers(annotation.answers)
            kept.append(annotation)
            golds.append(gold)
        if filters.per_label and not kept:
            continue
        record.annotations = kept
        yield Selected(record, golds)


class Tally:
    """The manifest's counts, kept while the export is written: ``for item in tally.over(items)``."""

    def __init__(self) -> None:
        self.articles = 0
        self.labels = 0
        self.answers = 0
        self.layers: dict[str, Counter[str]] = defaultdict(Counter)
        self.gold: Counter[str] = Counter({status: 0 for status in GOLD_STATUS_NAMES})
        self.users: Counter[str] = Counter()
        # outlet ids the labels hold, suggested or answered (Label Studio's choices)
        self.outlets: set[str] = set()

    def over(self, items: Iterable[Selected]) -> Iterator[Selected]:
        for item in items:
            self.add(item)
            yield item

    def add(self, item: Selected) -> None:
        self.articles += 1
        for annotation, gold in zip(item.record.annotations, item.gold, strict=True):
            self.labels += 1
            self.answers += len(annotation.answers)
            self.layers[annotation.layer]["labels"] += 1
            self.layers[annotation.layer]["answers"] += len(annotation.answers)
            self.gold[gold.status] += 1
            self.users.update(a.user for a in annotation.answers)
            if annotation.layer == taxonomy.OUTLET:
                self.outlets.add(annotation.label)
                self.outlets.update(a.label for a in annotation.answers if a.label)

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "labels": self.labels, "answers": self.answers,
                "per_layer": {layer: {"labels": c["labels"], "answers": c["answers"]}
                              for layer, c in sorted(self.layers.items())},
                "per_gold_status": {status: self.gold[status] for status in GOLD_STATUS_NAMES},
                "answers_per_user": dict(sorted(self.users.items()))}
