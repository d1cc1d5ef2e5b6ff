"""The database a command works on, opened from the environment's settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url

from xmlengine.config import Settings
from xmlengine.storage.database import Database
from xmlengine.storage.migrate import upgrade


@contextmanager
def open_database(settings: Settings, *, migrate_sqlite: bool = False) -> Iterator[Database]:
    """The database, closed on exit; with `migrate_sqlite`, an embedded one is brought up to
    date first, so that nothing needs to be run before the first command."""
    db = Database(settings.db_url, pool_size=settings.database_pool)
    try:
        if migrate_sqlite and db.is_sqlite:
            upgrade(db)
        yield db
    finally:
        db.close_sync()


def shown_url(url: str) -> str:
    """A database URL fit to print: the password hidden."""
    return make_url(url).render_as_string(hide_password=True)
