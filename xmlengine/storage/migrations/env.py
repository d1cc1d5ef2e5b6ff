"""Alembic environment: migrations run on a connection the caller hands over."""

from alembic import context

from xmlengine.storage.tables import metadata

connection = context.config.attributes["connection"]
if not connection.in_transaction():
    # The caller's unit of work is one transaction that SQLAlchemy joins on first use
    # (storage/sqlite_thread.py): join it now, or Alembic would commit each migration.
    connection.begin()
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
