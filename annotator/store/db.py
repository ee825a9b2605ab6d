"""Opening a store's database: its URL, the engine (with SQLite's settings), and migrating it to head.

SQLite is the default (one file in the user's data folder, or ``$ANNOTATOR_DB``); PostgreSQL is given by
URL (``postgresql+psycopg://...``, with the ``postgres`` extra installed). Every SQLite-only setting
lives in ``_sqlite_hooks``; the rest of the store speaks plain SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# How long a writer waits for another writer's transaction to end before giving up, in milliseconds.
BUSY_TIMEOUT_MS = 30_000

# Connection option that marks a session as one that will write (see _sqlite_hooks).
WRITE = "annotator_write"


def default_url() -> str:
    """``$ANNOTATOR_DB``, else an SQLite file in the user's data folder."""
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return as_url(env)
    return f"sqlite:///{Path(user_data_dir('annotator')) / 'annotator.sqlite'}"


def as_url(url_or_path: str) -> str:
    """A database URL; a plain file path is taken as an SQLite file (``--db var/store.sqlite``)."""
    if "://" in url_or_path:
        return url_or_path
    return f"sqlite:///{Path(url_or_path).expanduser().resolve()}"


def make_engine(url: str) -> sa.Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)  # SQLite creates the file, not its folder
    engine = sa.create_engine(url)
    _sqlite_hooks(engine)
    return engine


def _sqlite_hooks(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy emits BEGIN itself (below) rather than the sqlite3 module's legacy guesswork, which
        # leaves SELECTs and DDL outside transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer nor it them
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # a second writer waits, not fails
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        # A writing transaction takes the write lock up front (IMMEDIATE), waiting up to the busy
        # timeout. A DEFERRED one that read first and then writes could not wait: SQLite fails it at
        # once with "database is locked" when another writer committed in between.
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def alembic_config() -> Config:
    """Alembic's configuration, built in code: no alembic.ini is needed at runtime."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


def migrate(engine: sa.Engine) -> None:
    """Create the tables, or bring them to the newest schema (``alembic upgrade head``).

    One writing transaction, so that two processes opening a new SQLite store at once create it once.
    """
    config = alembic_config()
    with engine.execution_options(**{WRITE: True}).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
