"""`xmlengine db upgrade`: apply the database migrations; `xmlengine db partitions`: create
the call history's monthly partitions ahead (PostgreSQL)."""

from __future__ import annotations

import time

import click

from xmlengine.cli.connect import open_database, shown_url
from xmlengine.config import Settings
from xmlengine.storage.migrate import upgrade
from xmlengine.storage.partitions import AHEAD, ensure_partitions, partition_names


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


@db.command("partitions")
@click.option(
    "--ahead",
    type=click.IntRange(0, 120),
    default=AHEAD,
    show_default=True,
    help="Months after this one to create.",
)
def db_partitions(ahead: int) -> None:
    """Create the call history's monthly partitions (PostgreSQL; the servers and workers
    also do it themselves) and list them."""
    settings = Settings.from_env()
    with open_database(settings) as database:
        created = database.run_sync(lambda conn: ensure_partitions(conn, time.time(), ahead))
        names = database.run_sync(partition_names)
    if not names:
        click.echo("the call history is one table (not partitioned): nothing to do")
        return
    click.echo(f"created: {', '.join(created) or 'none'}")
    click.echo(f"partitions: {', '.join(names)}")
