"""The review store's tables, as SQLAlchemy models.

Four tables, one per kind of fact, so that nothing an analyst said is ever overwritten:

- ``articles``: the record minus its annotations (outlet, meta, segments and unknown keys as JSON).
- ``targets``: what can be labelled: one row per (article, layer, label, span). The dashboard shows one
  row per target, and answers hang on targets, so they survive any number of re-ingests.
- ``suggestions``: what a model (agent with its version, e.g. ``claims@2026-11-25.1``) suggested for a
  target, one row per (target, agent). Re-ingesting with the same agent refreshes its row; a new
  version adds a row. A label an analyst added has a suggestion whose agent is ``analyst:<user>``.
- ``answers``: the analysts' append-only event log. Nothing updates or deletes a row (the ORM refuses,
  see ``_append_only`` and ``_no_bulk_changes``); the current label is derived from it.

Two more for the team (migration 0002): ``accounts`` (who may sign in, with an argon2 hash of the
password and a role) and ``events``, the audit trail: every change (an answer, an ingest, a model
promoted, an account changed) appended with who and when, never updated or deleted either.

Everything here is dialect-neutral (SQLite by default, PostgreSQL by URL): JSON columns use SQLAlchemy's
JSON type, times are naive UTC ``DateTime`` columns read back as aware UTC datetimes.
The migration ``migrations/versions/0001_initial.py`` creates exactly these tables; a test checks that
Alembic finds no difference between the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, ORMExecuteState, Session, mapped_column

# Constraint names that are the same on every database, so that migrations can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A UTC instant stored as a naive DateTime: SQLite has no time zones, and PostgreSQL's
    ``timestamp`` then holds the same value, so both read back the same aware datetime."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store times are UTC-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: sa.JSON, datetime: UTCDateTime}


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(sa.String, primary_key=True)  # the record id
    url: Mapped[str | None] = mapped_column(sa.String)
    title: Mapped[str | None] = mapped_column(sa.String)
    published: Mapped[str | None] = mapped_column(sa.String)
    language: Mapped[str] = mapped_column(sa.String(16), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    # The publishing outlet as the record has it; its id copied out for filtering without JSON paths.
    outlet: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))
    outlet_id: Mapped[str | None] = mapped_column(sa.String, index=True)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    segments: Mapped[dict[str, Any]] = mapped_column(default=dict)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # record keys this version does not know
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TargetRow(Base):
    __tablename__ = "targets"
    __table_args__ = (sa.UniqueConstraint("article_id", "layer", "label", "span_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[str] = mapped_column(sa.ForeignKey("articles.id"), index=True)
    layer: Mapped[str] = mapped_column(sa.String(32))
    label: Mapped[str] = mapped_column(sa.String(64))
    start: Mapped[int | None]
    end: Mapped[int | None]
    # "start:end", or "" for an article-level label. The unique constraint needs it: NULLs are distinct
    # in unique constraints on both SQLite and PostgreSQL, so (start, end) alone would let two
    # identical frame targets in.
    span_key: Mapped[str] = mapped_column(sa.String(32))
    text: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionRow(Base):
    __tablename__ = "suggestions"
    __table_args__ = (sa.UniqueConstraint("target_id", "agent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("targets.id"), index=True)
    agent: Mapped[str] = mapped_column(sa.String)  # name@version, or analyst:<user>
    score: Mapped[float | None] = mapped_column(sa.Float)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # annotation keys this version does not know
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last ingest that made this suggestion: a target shows its most recently made suggestion.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (sa.Index("ix_answers_target_user", "target_id", "user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("targets.id"))
    user: Mapped[str] = mapped_column(sa.String, index=True)
    verdict: Mapped[str] = mapped_column(sa.String(16))  # taxonomy.VERDICTS
    label: Mapped[str | None] = mapped_column(sa.String(64))  # the new label of a `correct`
    start: Mapped[int | None]  # the adjusted span of a `correct`
    end: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(sa.Text)
    time: Mapped[datetime] = mapped_column(default=utcnow)
    # An adjudicator's answer settles the gold label ahead of the analysts' agreement.
    adjudicated: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)  # answer keys this version does not know


class AccountRow(Base):
    __tablename__ = "accounts"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # argon2id, in its PHC string form ($argon2id$v=19$m=...,t=...,p=...$salt$hash): never the password
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[str] = mapped_column(sa.String(16))  # annotator.store.accounts.ROLES
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # failed sign-ins since the last good one; past a limit the account is locked until an admin unlocks it
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    locked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # no attempt is checked before this instant: a delay that grows with each failure
    retry_after: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in: Mapped[datetime | None]


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    time: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(128), index=True)  # an account, or local:<os user> (CLI)
    action: Mapped[str] = mapped_column(sa.String(32), index=True)  # annotator.store.audit.ACTIONS
    subject: Mapped[str | None] = mapped_column(sa.String)  # an article, a model layer@version, an account
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


APPEND_ONLY = {"answers": AnswerRow, "events": EventRow}


@event.listens_for(AnswerRow, "before_update")
@event.listens_for(AnswerRow, "before_delete")
@event.listens_for(EventRow, "before_update")
@event.listens_for(EventRow, "before_delete")
def _append_only(mapper: Any, connection: Any, target: AnswerRow | EventRow) -> None:
    raise PermissionError(f"{target.__tablename__} are append-only: row {target.id} cannot be changed or "
                          "deleted")


@event.listens_for(Session, "do_orm_execute")
def _no_bulk_changes(state: ORMExecuteState) -> None:
    # ORM bulk UPDATE/DELETE statements bypass the per-row events above.
    table = getattr(getattr(state.statement, "table", None), "name", "")
    if (state.is_update or state.is_delete) and table in APPEND_ONLY:
        raise PermissionError(f"{table} are append-only: no UPDATE or DELETE on them")
