"""The review store: articles, the models' suggestions and the analysts' append-only answers.

SQLAlchemy over SQLite by default (``default_url()``), PostgreSQL by URL; the schema is migrated with
Alembic to the newest version whenever a Store opens::

    from annotator.store import Store
    store = Store()                      # or Store("postgresql+psycopg://...")
    store.ingest(record)
    row = store.queue(user="alice")[0]
    target = store.article(row.article_id).targets[0]
    store.answer(target.id, "alice", "accept")
"""

from annotator.store.db import default_url
from annotator.store.store import ConflictError, Store
from annotator.store.views import ArticleView, IngestResult, MergeResult, QueueRow, Target

__all__ = ["ArticleView", "ConflictError", "IngestResult", "MergeResult", "QueueRow", "Store", "Target",
           "default_url"]
