"""The audit trail: every change to the store or the models, appended with who and when.

Events are written in the same transaction as the change they record (an answer and its event commit
together or not at all) and are never updated or deleted (models.py refuses it). Passwords never reach
an event: account events carry the account's name and role only.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from annotator.store.models import EventRow

# What an event says was done; the Audit page and `annotator audit --action` filter on these.
ACTIONS = (
    "answer", "add_label", "ingest", "import",
    "train", "promote", "demote", "rollback", "discard",
    "account_add", "account_role", "account_disable", "account_enable", "account_unlock",
    "account_password", "sign_in", "sign_in_failed", "sign_out",
)


def operator() -> str:
    """Who the command line acts as: the local operator, by the operating system's user name."""
    try:
        return f"local:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name for this uid (a container)
        return "local:operator"


@dataclass(frozen=True)
class Event:
    id: int
    time: datetime
    actor: str
    action: str
    subject: str | None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "time": self.time.isoformat(timespec="seconds"), "actor": self.actor,
                "action": self.action, "subject": self.subject, "detail": self.detail}


def add(session: Session, actor: str, action: str, subject: str | None = None, **detail: Any) -> None:
    """Append one event inside the caller's transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(EventRow(actor=actor, action=action, subject=subject, detail=detail))


class Audit:
    def __init__(self, store: Any) -> None:
        # the Store (annotator/store/store.py), whose sessions this uses; not imported: it imports this
        self._store = store

    def record(self, actor: str, action: str, subject: str | None = None, **detail: Any) -> None:
        """An event of its own (a model promoted: the change is in the registry, not in the store)."""
        with self._store._writing() as session:
            add(session, actor, action, subject, **detail)

    def events(self, *, since: datetime | None = None, actor: str | None = None,
               action: str | None = None, subject: str | None = None,
               limit: int | None = None) -> list[Event]:
        """Newest first."""
        query = sa.select(EventRow).order_by(EventRow.time.desc(), EventRow.id.desc())
        if since is not None:
            query = query.where(EventRow.time >= since)
        if actor:
            query = query.where(EventRow.actor == actor)
        if action:
            query = query.where(EventRow.action == action)
        if subject:
            query = query.where(EventRow.subject == subject)
        if limit:
            query = query.limit(limit)
        with self._store._reader() as session:
            return [Event(r.id, r.time, r.actor, r.action, r.subject, dict(r.detail or {}))
                    for r in session.scalars(query)]
