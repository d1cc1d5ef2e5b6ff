"""Alembic environment: migrations run on a connection the caller hands over."""

from alembic import context

connection = context.config.attributes["connection"]
if not connection.in_transaction():
    # The caller's unit of work is one transaction that SQLAlchemy joins on first use
    # (storage/sqlite_thread.py): join it now, or Alembic would commit each migration.
    connection.begin()
# No target metadata: its naming convention would name what a revision leaves unnamed, so
# the revisions would follow the tables of today instead of holding their own schema.
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
