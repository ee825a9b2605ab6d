"""The review store: articles with the models' suggestions, and the analysts' answers on them.

Writes are short transactions: one record ingested, or one answer appended, commits whole or not at all.
Reads hand out the plain dataclasses of ``views.py``. What a label currently is gets derived from the
append-only answers at read time (``current``, ``label_counts``); nothing stored is ever rewritten
except a suggestion's score and attributes when the same agent suggests the same target again.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Self

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from annotator import taxonomy
from annotator.gold import ANALYST
from annotator.outlets.identify import suggestion as outlet_suggestion
from annotator.record import Annotation, Answer, Outlet, Record
from annotator.store import audit, stats
from annotator.store.access import Desk
from annotator.store.accounts import Account, Accounts
from annotator.store.audit import Audit
from annotator.store.db import WRITE, as_url, default_url, make_engine, migrate
from annotator.store.models import AnswerRow, ArticleRow, SuggestionRow, TargetRow, utcnow
from annotator.store.views import STATUSES, ArticleView, IngestResult, MergeResult, QueueRow, Target

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)


def span_key(start: int | None, end: int | None) -> str:
    return "" if start is None else f"{start}:{end}"


class ConflictError(ValueError):
    """An article id the store holds with another text: the answers on it point into the stored text."""


class Store:
    """Open (creating and migrating it to the newest schema) the store at ``url``.

    ``url``: an SQLAlchemy URL or an SQLite file path; default ``default_url()``. Several Store objects,
    in threads or processes, may share one database: writers wait for each other, nothing is lost.
    """

    def __init__(self, url: str | None = None) -> None:
        self.url = as_url(url) if url else default_url()
        self.engine = make_engine(self.url)
        migrate(self.engine)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.engine.execution_options(**{WRITE: True}), expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self._writer() as session, session.begin():
            yield session

    # ------------------------------------------------------------------------------------------ writes

    # ------------------------------------------------------------------------------- accounts and audit

    @property
    def accounts(self) -> Accounts:
        """Who may sign in, with which role (annotator/store/accounts.py)."""
        return Accounts(self)

    @property
    def audit(self) -> Audit:
        """The append-only trail of every change (annotator/store/audit.py)."""
        return Audit(self)

    def acting_as(self, account: Account | None) -> Desk:
        """This store as ``account`` may use it: every call checks the account's role and answers only
        as that account (annotator/store/access.py). None: the local operator (the command line)."""
        return Desk(self, account)

    def ingest(self, record: Record, *, by: str | None = None) -> IngestResult:
        """Store a record's article and its annotations as suggestions, in one transaction.

        Again with the same agent: that agent's suggestions get the new score and attributes. A new
        agent version adds its own suggestions beside the old ones. Answers are never touched. An
        article already stored with another text is refused (ValueError): its answers' spans point
        into the stored text. The record's publishing outlet becomes a label of its own (layer
        `outlet`, the outlet id as label, for the whole article), which analysts confirm or correct.
        """
        for annotation in record.annotations:
            if annotation.end is not None and annotation.end > len(record.text):
                raise ValueError(f"article {record.id!r}: {annotation.layer}/{annotation.label} span "
                                 f"[{annotation.start}, {annotation.end}) runs past the text "
                                 f"({len(record.text)})")
        try:
            return self._ingest(record, by or audit.operator())
        except sa.exc.IntegrityError:
            # Two writers inserted the same new article or target at once (possible on PostgreSQL,
            # where writers do not queue as on SQLite): the loser rolled back; run it once more, now
            # against the winner's rows.
            log.info("ingest of %s collided with another writer; retrying", record.id)
            return self._ingest(record, by or audit.operator())

    def _ingest(self, record: Record, by: str) -> IngestResult:
        now = utcnow()
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        with self._writing() as session:
            article = session.get(ArticleRow, record.id)
            if article is None:
                article = ArticleRow(id=record.id, text=record.text, ingested_at=now)
                session.add(article)
            elif article.text != record.text:
                raise ConflictError(f"article {record.id!r} is already stored with a different text; "
                                    "the answers on it point into that text (give the new text another id)")
            article.url, article.title, article.published = record.url, record.title, record.published
            article.language = record.language
            article.outlet = record.outlet.to_dict() if record.outlet else None
            article.outlet_id = record.outlet.id if record.outlet else None
            article.meta, article.segments, article.extra = (
                dict(record.meta), dict(record.segments), dict(record.extra))
            article.updated_at = now
            session.flush()  # the article row before its targets: they refer to it

            targets = {(t.layer, t.label, t.span_key): t
                       for t in session.scalars(sa.select(TargetRow)
                                                .where(TargetRow.article_id == record.id))}
            suggestions = {(s.target_id, s.agent): s for s in session.scalars(
                sa.select(SuggestionRow).join(TargetRow, TargetRow.id == SuggestionRow.target_id)
                .where(TargetRow.article_id == record.id))}
            for annotation in _with_outlet(record):
                counts[self._store_annotation(session, article, annotation, targets, suggestions, now)] += 1
            audit.add(session, by, "ingest", record.id, **counts)
        return IngestResult(record.id, counts["added"], counts["updated"], counts["unchanged"])

    def _store_annotation(self, session: Session, article: ArticleRow, annotation: Annotation,
                          targets: dict[tuple[str, str, str], TargetRow],
                          suggestions: dict[tuple[int, str], SuggestionRow], now: datetime) -> str:
        """Add or refresh one suggestion; 'added', 'updated' or 'unchanged'. ``targets`` and
        ``suggestions``: the article's rows so far, by key, kept up to date here."""
        key = (annotation.layer, annotation.label, span_key(annotation.start, annotation.end))
        target = targets.get(key)
        if target is None:
            target = targets[key] = _new_target(session, article.id, article.text, annotation, now)
        suggestion = suggestions.get((target.id, annotation.agent))
        if suggestion is None:
            suggestion = SuggestionRow(target_id=target.id, agent=annotation.agent, score=annotation.score,
                                       attributes=dict(annotation.attributes), extra=dict(annotation.extra),
                                       created_at=now, updated_at=now)
            session.add(suggestion)
            suggestions[(target.id, annotation.agent)] = suggestion
            return "added"
        suggestion.updated_at = now  # made again now: the target shows it as its latest suggestion
        if (suggestion.score, suggestion.attributes, suggestion.extra) == (
                annotation.score, annotation.attributes, annotation.extra):
            return "unchanged"
        suggestion.score, suggestion.attributes, suggestion.extra = (
            annotation.score, dict(annotation.attributes), dict(annotation.extra))
        return "updated"

    def answer(self, target_id: int, user: str, verdict: str, *, label: str | None = None,
               start: int | None = None, end: int | None = None, note: str | None = None,
               adjudicated: bool = False, time: datetime | str | None = None) -> int:
        """Append one analyst's answer on a target; its id.

        ``accept`` and ``reject`` take no label or span (or the target's own); ``correct`` gives a new
        label of the target's layer and/or a new span inside the text. ``time`` (default now) is for
        answers brought in from elsewhere. Raises ValueError saying what is wrong.
        """
        with self._writing() as session:
            target = session.get(TargetRow, target_id)
            if target is None:
                raise ValueError(f"no target {target_id!r} in the store")
            text = session.scalar(sa.select(ArticleRow.text).where(ArticleRow.id == target.article_id)) or ""
            label, start, end = _checked_answer(target, len(text), user, verdict, label, start, end)
            row = AnswerRow(target_id=target.id, user=user, verdict=verdict, label=label, start=start,
                            end=end, note=note, adjudicated=bool(adjudicated), time=_instant(time), extra={})
            session.add(row)
            audit.add(session, user, "answer", target.article_id, target=target.id, layer=target.layer,
                      label=target.label, verdict=verdict, adjudicated=bool(adjudicated))
            session.flush()
            return row.id

    def withdraw(self, record: Record, agents: dict[tuple[str, str], str] | None = None) -> int:
        """After ``record`` (the article annotated again) was ingested: the model targets that the same
        taggers suggested before and no longer do get a last suggestion of score 0 from the new agent,
        marked ``withdrawn``, so that the page and the queue show what the models in use say now. The
        targets, their earlier suggestions and every answer stay. Returns how many were withdrawn.

        ``agents``: (tagger name, layer) -> its agent now, for the taggers that ran (one that found
        nothing in this article leaves no annotation to tell); the record's own agents complete it. Keyed
        by layer too: one tagger's layers can carry different heads (framing's techniques and frames).
        """
        annotations = _with_outlet(record)
        now_by_name = {**(agents or {}), **{(_tagger_of(a.agent), a.layer): a.agent for a in annotations}}
        kept = {(a.layer, a.label, span_key(a.start, a.end)) for a in annotations}
        withdrawn = 0
        with self._writing() as session:
            rows = session.scalars(sa.select(TargetRow).where(TargetRow.article_id == record.id)).all()
            latest = _latest_suggestions(session, [t.id for t in rows])
            now = utcnow()
            for target in rows:
                last = latest.get(target.id)
                if last is None or (target.layer, target.label, target.span_key) in kept:
                    continue
                agent = now_by_name.get((_tagger_of(last.agent), target.layer))
                if agent is None or last.agent == agent and last.attributes.get("withdrawn"):
                    continue  # another tagger's (or an analyst's) target, or withdrawn already
                if last.agent == agent:
                    last.score, last.attributes, last.updated_at = (
                        0.0, {**last.attributes, "withdrawn": True}, now)
                else:
                    session.add(SuggestionRow(target_id=target.id, agent=agent, score=0.0,
                                              attributes={"withdrawn": True}, extra={}, created_at=now,
                                              updated_at=now))
                withdrawn += 1
        return withdrawn

    def add_label(self, article_id: str, user: str, layer: str, label: str, start: int | None,
                  end: int | None, note: str | None = None) -> int:
        """An analyst adds a label the models missed: a target whose agent is ``analyst:<user>`` (score
        None) with the user's ``add`` answer. Its target id; when the target exists already (a model
        suggested it), the ``add`` answer goes on that target."""
        _check_user(user)
        taxonomy.check_label(layer, label)
        with self._writing() as session:
            text = session.scalar(sa.select(ArticleRow.text).where(ArticleRow.id == article_id))
            if text is None:
                raise ValueError(f"no article {article_id!r} in the store")
            _check_span(layer, len(text), start, end, required=True)
            key = span_key(start, end)
            target = session.scalar(sa.select(TargetRow).where(
                TargetRow.article_id == article_id, TargetRow.layer == layer, TargetRow.label == label,
                TargetRow.span_key == key))
            now = utcnow()
            if target is None:
                target = TargetRow(article_id=article_id, layer=layer, label=label, start=start, end=end,
                                   span_key=key, text=None if start is None else text[start:end],
                                   created_at=now)
                session.add(target)
                session.flush()
                session.add(SuggestionRow(target_id=target.id, agent=f"{ANALYST}{user}", score=None,
                                          attributes={}, extra={}, created_at=now, updated_at=now))
            session.add(AnswerRow(target_id=target.id, user=user, verdict="add", note=note, time=now,
                                  extra={}))
            audit.add(session, user, "add_label", article_id, target=target.id, layer=layer, label=label,
                      start=start, end=end)
            session.flush()
            return target.id

    def merge(self, record: Record, *, by: str | None = None) -> MergeResult:
        """Bring in a record made elsewhere (an export, another tool's labels), its annotations carrying
        the analysts' answers as in a jsonl export. Merging only ever adds:

        - a new article is stored whole; a stored one keeps its fields, and its text must be the same
          (ConflictError otherwise);
        - a label new to the article is stored with its suggestion (agent, score, attributes; an
          ``analyst:<user>`` agent as a label that analyst added); a label the store has keeps its
          suggestions, so that what the dashboard shows as the latest suggestion does not change;
        - every answer is appended unless the same answer (target, user, verdict, label, span, time) is
          there already, so merging a file twice adds nothing. An answer without a time is there already
          only when it is what that user says now (their latest answer on the target); else it is added,
          stamped now, so that an analyst's change of mind back to an earlier answer is not lost.

        One transaction: a bad label or answer refuses the whole record (ValueError saying what is wrong).
        """
        for a in record.annotations:
            if a.start is None:
                continue
            if a.end > len(record.text):
                raise ValueError(f"{a.layer}/{a.label} span [{a.start}, {a.end}) runs past the text "
                                 f"({len(record.text)})")
            if a.text is not None and record.text[a.start:a.end] != a.text:
                # offsets counted another way (UTF-16, bytes, a re-extracted text): they would mark the
                # wrong words, so the record is refused rather than stored wrong
                raise ValueError(f"{a.layer}/{a.label} span [{a.start}, {a.end}) holds "
                                 f"{record.text[a.start:a.end]!r}, not {a.text!r}")
        try:
            return self._merge(record, by or audit.operator())
        except sa.exc.IntegrityError:
            log.info("merge of %s collided with another writer; retrying", record.id)  # as in ingest
            return self._merge(record, by or audit.operator())

    def _merge(self, record: Record, by: str) -> MergeResult:
        now = utcnow()
        suggestions_added = answers_added = answers_present = 0
        with self._writing() as session:
            article = session.get(ArticleRow, record.id)
            new_article = article is None
            if article is None:
                article = ArticleRow(id=record.id, text=record.text, url=record.url, title=record.title,
                                     published=record.published, language=record.language,
                                     outlet=record.outlet.to_dict() if record.outlet else None,
                                     outlet_id=record.outlet.id if record.outlet else None,
                                     meta=dict(record.meta), segments=dict(record.segments),
                                     extra=dict(record.extra), ingested_at=now, updated_at=now)
                session.add(article)
                session.flush()
            elif article.text != record.text:
                raise ConflictError(f"article {record.id!r} is already stored with a different text; "
                                    "the answers on it point into that text (give the new text another id)")
            targets = {(t.layer, t.label, t.span_key): t
                       for t in session.scalars(sa.select(TargetRow)
                                                .where(TargetRow.article_id == record.id))}
            said: dict[int, list[AnswerRow]] = {}  # a target's answers so far, read when first needed
            for annotation in _with_outlet(record):
                key = (annotation.layer, annotation.label, span_key(annotation.start, annotation.end))
                target = targets.get(key)
                if target is None:
                    target = targets[key] = _new_target(session, record.id, record.text, annotation, now)
                    said[target.id] = []
                    if annotation.agent:
                        session.add(SuggestionRow(target_id=target.id, agent=annotation.agent,
                                                  score=annotation.score,
                                                  attributes=dict(annotation.attributes),
                                                  extra=dict(annotation.extra), created_at=now,
                                                  updated_at=now))
                        suggestions_added += 1
                if target.id not in said:
                    said[target.id] = list(session.scalars(
                        sa.select(AnswerRow).where(AnswerRow.target_id == target.id)))
                for answer in annotation.answers:
                    label, start, end = _checked_answer(target, len(record.text), answer.user, answer.verdict,
                                                        answer.label, answer.start, answer.end)
                    time = _instant(answer.time) if answer.time else None
                    if _present(said[target.id], answer.user, answer.verdict, label, start, end, time):
                        answers_present += 1
                        continue
                    extra = {k: v for k, v in answer.extra.items() if k not in ("id", "adjudicated")}
                    row = AnswerRow(target_id=target.id, user=answer.user, verdict=answer.verdict,
                                    label=label, start=start, end=end, note=answer.note, time=time or now,
                                    extra=extra,
                                    adjudicated=bool(answer.extra.get("adjudicated")))
                    session.add(row)
                    said[target.id].append(row)
                    answers_added += 1
            if new_article or suggestions_added or answers_added:  # one that added nothing changed nothing
                audit.add(session, by, "import", record.id, suggestions=suggestions_added,
                          answers=answers_added)
            session.flush()
        return MergeResult(record.id, new_article, suggestions_added, answers_added, answers_present)

    # ------------------------------------------------------------------------------------------- reads

    def current(self, target_id: int, user: str) -> Answer | None:
        """What ``user`` currently says about a target: their latest answer, with the label and span it
        amounts to filled in (an ``accept`` carries the target's label and span; a ``correct`` its new
        label or span, the rest from the target; a ``reject`` none). None when they never answered."""
        with self._reader() as session:
            target = session.get(TargetRow, target_id)
            if target is None:
                return None
            row = session.scalar(sa.select(AnswerRow)
                                 .where(AnswerRow.target_id == target_id, AnswerRow.user == user)
                                 .order_by(AnswerRow.time.desc(), AnswerRow.id.desc()).limit(1))
        if row is None:
            return None
        answer = _answer(row)
        if row.verdict != "reject":
            answer.label = row.label or target.label
            if row.start is None:
                answer.start, answer.end = target.start, target.end
        return answer

    def article(self, article_id: str) -> ArticleView | None:
        """An article with every target (latest suggestion, answers in time order), in text order."""
        with self._reader() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                return None
            targets = self._targets(session, article_id)
        return ArticleView(id=row.id, url=row.url, title=row.title, language=row.language, text=row.text,
                           outlet=Outlet.from_dict(row.outlet) if row.outlet else None, targets=targets,
                           published=row.published, ingested_at=row.ingested_at)

    def disagreements(self, limit: int = 200) -> list[tuple[ArticleView, Target]]:
        """The labels where analysts disagree and no reviewer has decided yet (gold status
        ``unresolved`` with two analysts or more): what a reviewer adjudicates, oldest article first."""
        from annotator.gold import resolve

        with self._reader() as session:
            contested = (sa.select(AnswerRow.target_id).group_by(AnswerRow.target_id)
                         .having(sa.func.count(sa.distinct(AnswerRow.user)) >= 2))
            article_ids = list(session.scalars(
                sa.select(TargetRow.article_id).where(TargetRow.id.in_(contested)).distinct()))
        out: list[tuple[ArticleView, Target]] = []
        for article_id in sorted(article_ids):
            view = self.article(article_id)
            if view is None:
                continue
            for target in view.targets:
                if (len({a.user for a in target.answers}) >= 2
                        and resolve(target.label, target.start, target.end, target.answers).status
                        == "unresolved"):
                    out.append((view, target))
                    if len(out) >= limit:
                        return out
        return out

    def _targets(self, session: Session, article_id: str,
                 extras: dict[int, dict[str, Any]] | None = None) -> list[Target]:
        """The article's targets; ``extras``, when given, receives each latest suggestion's extra keys."""
        rows = session.scalars(sa.select(TargetRow).where(TargetRow.article_id == article_id)).all()
        ids = [t.id for t in rows]
        latest = _latest_suggestions(session, ids)
        answers: dict[int, list[Answer]] = defaultdict(list)
        for a in session.scalars(sa.select(AnswerRow).where(AnswerRow.target_id.in_(ids))
                                 .order_by(AnswerRow.time, AnswerRow.id)):
            answers[a.target_id].append(_answer(a))
        targets = []
        for t in rows:
            s = latest.get(t.id)
            if extras is not None and s is not None:
                extras[t.id] = dict(s.extra)
            targets.append(Target(id=t.id, article_id=t.article_id, layer=t.layer, label=t.label,
                                  start=t.start, end=t.end, text=t.text, score=s.score if s else None,
                                  agent=s.agent if s else "", attributes=dict(s.attributes) if s else {},
                                  answers=answers[t.id]))
        targets.sort(key=lambda t: (-1 if t.start is None else t.start, t.end or 0, t.layer, t.label, t.id))
        return targets

    def record(self, article_id: str) -> Record:
        """The article as an annotator/v1 record: every target an Annotation (latest suggestion's agent,
        score and attributes) carrying its answers, as CONTRACT.md's jsonl export has them."""
        with self._reader() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                raise KeyError(f"no article {article_id!r} in the store")
            extras: dict[int, dict[str, Any]] = {}
            targets = self._targets(session, article_id, extras)
        annotations = []
        for t in targets:
            answers = []
            for a in t.answers:  # the export form: the store's answer id stays in the store
                extra = {k: v for k, v in a.extra.items() if k not in ("id", "adjudicated")}
                if a.extra.get("adjudicated"):
                    extra["adjudicated"] = True
                answers.append(Answer(user=a.user, verdict=a.verdict, time=a.time, label=a.label,
                                      start=a.start, end=a.end, note=a.note, extra=extra))
            annotations.append(Annotation(layer=t.layer, label=t.label, start=t.start, end=t.end,
                                          text=t.text, score=t.score, agent=t.agent, attributes=t.attributes,
                                          answers=answers, extra=dict(extras.get(t.id, {}))))
        annotations.sort(key=lambda a: (a.start or 0, a.end or 0, a.layer, a.label))
        return Record(id=row.id, text=row.text, language=row.language, url=row.url, title=row.title,
                      published=row.published, outlet=Outlet.from_dict(row.outlet) if row.outlet else None,
                      annotations=annotations, meta=dict(row.meta), segments=dict(row.segments),
                      extra=dict(row.extra))

    def article_ids(self, *, outlet: str | None = None, language: str | None = None,
                    since: date | None = None, until: date | None = None) -> list[str]:
        """Ids of the stored articles, oldest ingest first: ``outlet`` (an outlet id), ``language``, and
        ``since``/``until`` (inclusive) on the day as ``label_counts`` has it (published, else ingested)."""
        with self._reader() as session:
            query = sa.select(ArticleRow.id, ArticleRow.published, ArticleRow.ingested_at).order_by(
                ArticleRow.ingested_at, ArticleRow.id)
            if outlet is not None:
                query = query.where(ArticleRow.outlet_id == outlet)
            if language is not None:
                query = query.where(ArticleRow.language == language)
            rows = session.execute(query).all()
        return [r.id for r in rows if (since is None or _day(r.published, r.ingested_at) >= since)
                and (until is None or _day(r.published, r.ingested_at) <= until)]

    def users(self) -> list[str]:
        """Everyone who answered, sorted."""
        with self._reader() as session:
            return sorted(session.scalars(sa.select(AnswerRow.user).distinct()))

    def records(self) -> Iterator[Record]:
        """Every stored article as a record, oldest ingest first."""
        with self._reader() as session:
            ids = session.scalars(sa.select(ArticleRow.id)
                                  .order_by(ArticleRow.ingested_at, ArticleRow.id)).all()
        for article_id in ids:
            yield self.record(article_id)

    def queue(self, *, user: str | None = None, outlet: str | None = None, language: str | None = None,
              layer: str | None = None, label: str | None = None,
              status: str | None = None) -> list[QueueRow]:
        """Articles to review, least confident first (articles without a scored suggestion last).

        ``outlet`` matches an outlet id or name; ``layer``/``label`` keep articles having such a target;
        ``status`` (todo | in_progress | done) and ``n_answered`` count ``user``'s answers, anyone's when
        no user is given.
        """
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; statuses are {', '.join(STATUSES)}")
        with self._reader() as session:
            articles = sa.select(ArticleRow.id, ArticleRow.title, ArticleRow.outlet_id, ArticleRow.outlet,
                                 ArticleRow.language, ArticleRow.ingested_at)
            if language is not None:
                articles = articles.where(ArticleRow.language == language)
            if layer is not None or label is not None:
                having = sa.select(TargetRow.article_id)
                if layer is not None:
                    having = having.where(TargetRow.layer == layer)
                if label is not None:
                    having = having.where(TargetRow.label == label)
                articles = articles.where(ArticleRow.id.in_(having))
            rows = session.execute(articles).all()

            n_targets = dict(session.execute(sa.select(TargetRow.article_id, sa.func.count(TargetRow.id))
                                             .group_by(TargetRow.article_id)).all())
            answered = (sa.select(TargetRow.article_id, sa.func.count(sa.distinct(AnswerRow.target_id)))
                        .join(AnswerRow, AnswerRow.target_id == TargetRow.id).group_by(TargetRow.article_id))
            if user is not None:
                answered = answered.where(AnswerRow.user == user)
            n_answered = dict(session.execute(answered).all())
            uncertainty = {article_id: float(value)
                           for article_id, value in session.execute(uncertainty_query())}

        queue = []
        for r in rows:
            outlet_name = (r.outlet or {}).get("name")
            if outlet is not None and outlet not in (r.outlet_id, outlet_name):
                continue
            total, done = n_targets.get(r.id, 0), n_answered.get(r.id, 0)
            # An article with no target has nothing left to answer: done.
            row_status = "done" if done >= total else "in_progress" if done else "todo"
            if status is not None and row_status != status:
                continue
            queue.append((r.ingested_at, QueueRow(
                article_id=r.id, title=r.title, outlet_id=r.outlet_id, outlet_name=outlet_name,
                language=r.language, n_targets=total, n_answered=done,
                uncertainty=uncertainty.get(r.id, math.nan), status=row_status)))
        queue.sort(key=lambda q: (math.isnan(q[1].uncertainty), -_or0(q[1].uncertainty), q[0],
                                  q[1].article_id))
        return [row for _, row in queue]

    def progress(self, user: str | None = None) -> tuple[int, int]:
        """(articles done, articles left) for ``user``, or counting anyone's answers."""
        rows = self.queue(user=user)
        done = sum(1 for r in rows if r.status == "done")
        return done, len(rows) - done

    def label_counts(self) -> pd.DataFrame:
        """Current labels per day, outlet, language, layer and label (columns day, outlet, language, layer,
        label, n, outlet_name): model suggestions not rejected, under their corrected label when
        corrected, plus the labels analysts added. ``day`` is the published date, else the ingest date;
        ``outlet`` the outlet id, "(unknown)" when none was identified."""
        import pandas as pd

        with self._reader() as session:
            articles = {r.id: r for r in session.execute(sa.select(
                ArticleRow.id, ArticleRow.published, ArticleRow.ingested_at, ArticleRow.outlet_id,
                ArticleRow.outlet, ArticleRow.language))}
            targets = session.execute(sa.select(TargetRow.id, TargetRow.article_id, TargetRow.layer,
                                                TargetRow.label)).all()
            answers = self._answers_by_target(session)
        counts: dict[tuple[Any, ...], int] = defaultdict(int)
        for t in targets:
            label = stats.resolved_label(t.label, answers.get(t.id, []))
            if label is None:
                continue
            a = articles[t.article_id]
            counts[(_day(a.published, a.ingested_at), a.outlet_id or "(unknown)", a.language, t.layer, label,
                    (a.outlet or {}).get("name"))] += 1
        columns = ["day", "outlet", "language", "layer", "label", "outlet_name", "n"]
        frame = pd.DataFrame([(*key, n) for key, n in counts.items()], columns=columns)
        frame = frame[["day", "outlet", "language", "layer", "label", "n", "outlet_name"]]
        return frame.sort_values(["day", "outlet", "language", "layer", "label"], ignore_index=True)

    def agreement(self) -> pd.DataFrame:
        """Cohen's kappa per (layer, label) between each pair of analysts on the targets both answered:
        their latest answers as accepted (accept, add) or not. Columns layer, label, user_a, user_b, n,
        kappa (NaN where undefined: both gave one same answer throughout)."""
        with self._reader() as session:
            targets = {t.id: (t.layer, t.label) for t in session.execute(
                sa.select(TargetRow.id, TargetRow.layer, TargetRow.label))}
            answers = self._answers_by_target(session)
        return stats.agreement(targets, answers)

    @staticmethod
    def _answers_by_target(session: Session) -> dict[int, list[stats.Said]]:
        answers: dict[int, list[stats.Said]] = defaultdict(list)
        query = (sa.select(AnswerRow.target_id, AnswerRow.user, AnswerRow.verdict, AnswerRow.label,
                           AnswerRow.adjudicated, AnswerRow.start, AnswerRow.end)
                 .order_by(AnswerRow.time, AnswerRow.id))
        for r in session.execute(query):
            # with the span: two corrections to different spans do not agree
            answers[r.target_id].append(stats.Said(r.user, r.verdict, r.label, r.adjudicated, r.start, r.end))
        return answers


# ------------------------------------------------------------------------------------------- helpers

def uncertainty_query() -> sa.Select[tuple[str, float]]:
    """Per article, max over its targets' latest scored suggestions of 1 - |2*score - 1|: a score of 0.5
    is a coin toss (1.0), 0 or 1 a sure thing (0.0)."""
    ranked = sa.select(
        SuggestionRow.target_id, SuggestionRow.score,
        sa.func.row_number().over(partition_by=SuggestionRow.target_id,
                                  order_by=(SuggestionRow.updated_at.desc(), SuggestionRow.id.desc()))
        .label("recency"),
    ).subquery()
    return (sa.select(TargetRow.article_id, sa.func.max(1.0 - sa.func.abs(2.0 * ranked.c.score - 1.0)))
            .join(ranked, ranked.c.target_id == TargetRow.id)
            .where(ranked.c.recency == 1, ranked.c.score.is_not(None))
            .group_by(TargetRow.article_id))


def _present(rows: list[AnswerRow], user: str, verdict: str, label: str | None, start: int | None,
             end: int | None, time: datetime | None) -> bool:
    """Whether a target's answers (``rows``) hold this one already: the same user, verdict, label and span
    at the same time; without a time, the user's latest answer (as ``current`` orders them; rows not
    flushed yet are the newest) must be this one."""
    same = (user, verdict, label, start, end)
    if time is not None:
        return any((r.user, r.verdict, r.label, r.start, r.end) == same and r.time == time for r in rows)
    theirs = [(r.time, r.id is None, r.id or 0, n, r) for n, r in enumerate(rows) if r.user == user]
    if not theirs:
        return False
    latest = max(theirs, key=lambda t: t[:4])[-1]
    return (latest.user, latest.verdict, latest.label, latest.start, latest.end) == same


def _tagger_of(agent: str) -> str:
    """``framing@2026-11-25.1+technique@2026-12-01.1`` -> ``framing``."""
    return agent.split("@", 1)[0]


def _with_outlet(record: Record) -> list[Annotation]:
    """The record's annotations, plus its publishing outlet as an `outlet` label when the record does
    not carry one already (an exported record does, with the analysts' answers on it)."""
    if any(a.layer == taxonomy.OUTLET for a in record.annotations):
        return list(record.annotations)
    outlet = outlet_suggestion(record.outlet)
    return [*record.annotations, outlet] if outlet else list(record.annotations)


def _latest_suggestions(session: Session, target_ids: list[int]) -> dict[int, SuggestionRow]:
    """Each target's latest suggestion (the one made or made again last)."""
    latest: dict[int, SuggestionRow] = {}
    for s in session.scalars(sa.select(SuggestionRow).where(SuggestionRow.target_id.in_(target_ids))
                             .order_by(SuggestionRow.updated_at, SuggestionRow.id)):
        latest[s.target_id] = s  # ascending order: the last one seen is the latest
    return latest


def _new_target(session: Session, article_id: str, article_text: str, annotation: Annotation,
                now: datetime) -> TargetRow:
    """A target row for an annotation the article does not have yet, flushed so that it has its id."""
    text = annotation.text
    if text is None and annotation.start is not None:
        text = article_text[annotation.start:annotation.end]
    target = TargetRow(article_id=article_id, layer=annotation.layer, label=annotation.label,
                       start=annotation.start, end=annotation.end,
                       span_key=span_key(annotation.start, annotation.end), text=text, created_at=now)
    session.add(target)
    session.flush()
    return target


def _answer(row: AnswerRow) -> Answer:
    return Answer(user=row.user, verdict=row.verdict, time=row.time.isoformat(), label=row.label,
                  start=row.start, end=row.end, note=row.note,
                  extra={**row.extra, "id": row.id, "adjudicated": row.adjudicated})


def _check_user(user: str) -> None:
    if not isinstance(user, str) or not user.strip():
        raise ValueError("an answer needs a user name")
    if user.startswith(ANALYST):
        raise ValueError(f"a user name does not start with {ANALYST!r}")


def _check_span(layer: str, text_length: int, start: int | None, end: int | None, *, required: bool) -> None:
    if (start is None) != (end is None):
        raise ValueError("give both start and end of the span, or neither")
    if layer in taxonomy.ARTICLE_LEVEL_LAYERS:
        if start is not None:
            raise ValueError(f"{layer!r} labels hold for the whole article: no span")
        return
    if start is None:
        if required:
            raise ValueError(f"a {layer!r} label needs a span (start and end)")
        return
    if (not (isinstance(start, int) and isinstance(end, int))
            or isinstance(start, bool) or isinstance(end, bool)):
        # ValueError, not TypeError: callers catch the one error type the API raises for bad input
        raise ValueError(f"span offsets are integers, not {start!r} and {end!r}")  # noqa: TRY004
    if not 0 <= start < end <= text_length:
        raise ValueError(f"span [{start}, {end}) is not inside the text (0 to {text_length})")


def _checked_answer(target: TargetRow, text_length: int, user: str, verdict: str, label: str | None,
                    start: int | None, end: int | None) -> tuple[str | None, int | None, int | None]:
    """The label and span to store for this answer, after checking them; ValueError says what is wrong."""
    _check_user(user)
    if verdict not in taxonomy.VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; verdicts are {', '.join(taxonomy.VERDICTS)}")
    _check_span(target.layer, text_length, start, end, required=False)
    if verdict == "correct":
        if label is not None:
            taxonomy.check_label(target.layer, label)
        new_span = start is not None and (start, end) != (target.start, target.end)
        if (label is None or label == target.label) and not new_span:
            raise ValueError("a 'correct' answer gives a new label or a new span; to agree, answer 'accept'")
        return label, start, end
    # accept, reject, add: the target as it is. Its own label or span, if passed along, is no change.
    if label is not None and label != target.label:
        raise ValueError(f"a new label ({label!r}) is a 'correct' answer, not {verdict!r}")
    if start is not None and (start, end) != (target.start, target.end):
        raise ValueError(f"a new span is a 'correct' answer, not {verdict!r}")
    return None, None, None


def _instant(time: datetime | str | None) -> datetime:
    if time is None:
        return utcnow()
    if isinstance(time, str):
        try:
            time = datetime.fromisoformat(time)
        except ValueError:
            raise ValueError(f"answer time {time!r} is not ISO-8601") from None
    if time.tzinfo is None:
        raise ValueError(f"answer time {time.isoformat()} has no time zone")
    return time.astimezone(UTC)


def _day(published: str | None, ingested_at: datetime) -> date:
    if published:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            pass
    return ingested_at.date()


def _or0(value: float) -> float:
    return 0.0 if math.isnan(value) else value
