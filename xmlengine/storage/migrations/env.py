"""Alembic environment: migrations run on a connection the caller hands over."""

from alembic import context

from xmlengine.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
