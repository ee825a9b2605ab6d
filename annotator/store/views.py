"""What the store hands out: plain dataclasses, detached from the database session.

The dashboard codes against these; they hold no connection and no business logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from annotator.record import Annotation, Outlet

STATUSES = ("todo", "in_progress", "done")


@dataclass(frozen=True)
class IngestResult:
    article_id: str
    added: int  # suggestions new to the store (a new target, or a new agent version on a known one)
    updated: int  # suggestions the same agent had made before whose score or attributes changed
    unchanged: int = 0  # suggestions the same agent had made before, identical


@dataclass(frozen=True)
class MergeResult:
    article_id: str
    new_article: bool  # the article was not in the store before
    suggestions_added: int  # labels new to the article, each stored with its suggestion
    answers_added: int
    answers_present: int  # answers the store held already: not added again


@dataclass(kw_only=True)
class Target(Annotation):
    """One thing to label: (article, layer, label, span), shown with its latest suggestion; an
    Annotation with the store's ``id`` of the target and its article.

    ``answers`` are every analyst's answers in time order; each Answer's ``extra`` holds the store's
    ``id`` of the answer and its ``adjudicated`` flag.
    """

    id: int
    article_id: str


@dataclass
class ArticleView:
    id: str
    url: str | None
    title: str | None
    language: str
    text: str
    outlet: Outlet | None
    targets: list[Target] = field(default_factory=list)
    published: str | None = None
    ingested_at: datetime | None = None


@dataclass(frozen=True)
class QueueRow:
    article_id: str
    title: str | None
    outlet_id: str | None
    outlet_name: str | None
    language: str
    n_targets: int
    n_answered: int  # targets answered by the queue's user, or by anyone when no user was given
    uncertainty: float  # max over the latest scored suggestions of 1 - |2*score - 1|; NaN when none
    status: str  # todo | in_progress | done
