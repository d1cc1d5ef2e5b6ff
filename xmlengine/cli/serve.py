"""`xmlengine serve`: the API on uvicorn, with a demo account on first start."""

from __future__ import annotations

import copy
import os
import shutil
import time
from typing import Any

import click
import uvicorn
from sqlalchemy import Connection, select

from xmlengine.cli.accounts import echo_credentials
from xmlengine.cli.connect import open_database, shown_url
from xmlengine.clock import SystemClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials, create_account
from xmlengine.domain.sandbox.lines import SandboxLines, ensure_sandbox_lines
from xmlengine.metrics import MULTIPROCESS_DIR
from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope

DEMO_USERNAME = "demo"
DEMO_EMAIL = "demo@example.com"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1), help="Processes.")
@click.option(
    "--demo/--no-demo", default=True, show_default=True, help="Create the demo account if missing."
)
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    """Run the API server.

    On SQLite (the default, in XMLENGINE_DATA_DIR) the migrations are applied first; on
    PostgreSQL run `xmlengine db upgrade` before. On first start a demo account is
    created and its credentials printed.
    """
    settings = Settings.from_env()
    with open_database(settings, migrate_sqlite=True) as db:
        click.echo(f"database: {shown_url(settings.db_url)}")
        if demo:
            created, credentials = db.run_sync(_demo_account)
            _announce_demo(created, credentials)
            lines = db.run_sync(
                lambda conn: ensure_sandbox_lines(
                    AccountScope.load(
                        conn, credentials.client_account_id, clock=SystemClock(), settings=settings
                    ),
                    now=time.time(),
                )
            )
            _announce_lines(lines)
    if workers > 1 and not settings.redis_url:
        click.echo(
            "warning: without XMLENGINE_REDIS_URL each worker counts rate limits on its own",
            err=True,
        )
    if workers > 1:
        _share_metrics(settings)
    click.echo(f"serving on http://{host}:{port}/")
    uvicorn.run(
        "xmlengine.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=False,  # the app writes its own access log (XMLENGINE_ACCESS_LOG)
        log_config=log_config(settings.log_format),
        log_level="info",
        # The inspector's live pages hold a stream open for as long as they are shown.
        timeout_graceful_shutdown=5,
    )


def _demo_account(conn: Connection) -> tuple[bool, Credentials]:
    """The demo account: created now (with its token), or as it exists (without it)."""
    row = conn.execute(
        select(tables.users.c.account_id, tables.users.c.client_user_id).where(
            tables.users.c.username == DEMO_USERNAME
        )
    ).first()
    if row is not None:
        return False, Credentials(row.account_id, row.client_user_id, DEMO_USERNAME, "")
    credentials = create_account(conn, username=DEMO_USERNAME, email=DEMO_EMAIL, now=time.time())
    return True, credentials


def _announce_demo(created: bool, credentials: Credentials) -> None:
    if created:
        click.echo("demo account created; its auth token is shown only this once:")
        echo_credentials(credentials)
        return
    click.echo(
        f"demo account: username {credentials.username}, "
        f"client_account_id {credentials.client_account_id}, "
        f"client_user_id {credentials.client_user_id}"
    )
    click.echo(f"for a new auth token: xmlengine token rotate --username {DEMO_USERNAME}")


def _announce_lines(lines: SandboxLines) -> None:
    verb = "given" if lines.created else "has"
    click.echo(
        f"demo account {verb} sandbox DIDs {', '.join(lines.numbers)} "
        f"and peer {lines.peer_username} (docs/sandbox.md)"
    )


def _share_metrics(settings: Settings) -> None:
    """The worker processes write their series into one directory (emptied now: what a
    previous run counted is not this one's), unless the operator chose one already."""
    if os.environ.get(MULTIPROCESS_DIR):
        return
    directory = settings.data_dir / "metrics"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    os.environ[MULTIPROCESS_DIR] = str(directory.resolve())  # inherited by the workers


def log_config(log_format: str = "text") -> dict[str, Any]:
    """uvicorn's logging, plus the app's own loggers at INFO (in every worker process);
    `json`: every line, uvicorn's included, one JSON object (xmlengine/logs.py)."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["app"] = {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    if log_format == "json":
        for name in ("app", "default", "access"):
            config["formatters"][name] = {"()": "xmlengine.logs.JsonLines"}
    config["handlers"]["app"] = {
        "formatter": "app",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
    }
    config["loggers"]["xmlengine"] = {"handlers": ["app"], "level": "INFO", "propagate": False}
    return config
