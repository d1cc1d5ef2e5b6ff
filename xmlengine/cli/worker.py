"""`xmlengine worker`: deliver the outbox (webhooks, emails) in a process of its own."""

from __future__ import annotations

import asyncio
import dataclasses
import signal

import click

from xmlengine.cli.connect import open_database, shown_url
from xmlengine.clock import SystemClock
from xmlengine.config import Settings
from xmlengine.domain.work_handlers import domain_handlers
from xmlengine.metrics import Metrics
from xmlengine.storage.database import Database
from xmlengine.work.background import BackgroundWork


@click.command()
@click.option(
    "--concurrency",
    type=click.IntRange(1),
    default=None,
    help="Events delivered at once [default: XMLENGINE_WORKER_CONCURRENCY or 16].",
)
def worker(concurrency: int | None) -> None:
    """Deliver webhooks and emails from the outbox until stopped (Ctrl-C or SIGTERM).

    Run as many as wanted, on any machine that reaches the database: on PostgreSQL they
    share the work; on SQLite one claims at a time. Set XMLENGINE_EMBEDDED_WORKER=0 for
    `serve` when every delivery should come from these processes.
    """
    settings = Settings.from_env()
    if concurrency is not None:
        settings = dataclasses.replace(settings, worker_concurrency=concurrency)
    with open_database(settings, migrate_sqlite=True):
        pass
    click.echo(f"worker on {shown_url(settings.db_url)}")
    asyncio.run(_run(settings))
    click.echo("worker stopped")


async def _run(settings: Settings) -> None:
    db = Database(settings.db_url, pool_size=settings.database_pool)
    clock = SystemClock()
    # Its counts join the API's /metrics when both share PROMETHEUS_MULTIPROC_DIR.
    work = BackgroundWork(db, settings, clock, domain_handlers(db, settings, clock), Metrics())
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, work.request_stop)
    try:
        await work.run()
    finally:
        await db.close()
