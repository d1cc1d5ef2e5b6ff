"""`xmlengine db upgrade`: apply the database migrations."""

from __future__ import annotations

import click

from xmlengine.cli.connect import open_database, shown_url
from xmlengine.config import Settings
from xmlengine.storage.migrate import upgrade


@click.group()
def db() -> None:
    """The database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration not applied yet (`serve` does it itself on SQLite)."""
    settings = Settings.from_env()
    with open_database(settings) as database:
        upgrade(database)
    click.echo(f"database up to date: {shown_url(settings.db_url)}")
