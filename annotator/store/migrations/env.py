"""Alembic's environment for the review store: runs on the connection that ``db.migrate`` hands over.

To write a new migration after changing ``models.py``, with ``$ANNOTATOR_DB`` naming a store at the
previous head::

    .venv/bin/python -c "from alembic import command; from annotator.store.db import alembic_config; \
command.revision(alembic_config(), 'what changed', autogenerate=True, rev_id='0002')"

then read and fix what it wrote. ``command.upgrade(config, "head", sql=True)`` with the config's
``sqlalchemy.url`` set prints the SQL for a database instead of running it (offline mode).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from annotator.store.models import Base

# render_as_batch: SQLite can ALTER little; batch mode rebuilds a table where it must.
OPTIONS = {"target_metadata": Base.metadata, "render_as_batch": True}


def run(connection: sa.Connection) -> None:
    context.configure(connection=connection, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if context.is_offline_mode():
    context.configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()
elif given is not None:
    run(given)
else:  # the alembic API without a connection (command.revision above): the default store
    from annotator.store.db import default_url, make_engine

    with make_engine(default_url()).begin() as connection:
        run(connection)
