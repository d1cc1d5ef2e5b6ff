"""`GET /metrics`: the Prometheus scrape, for the audience `XMLENGINE_METRICS` names.

`local` (the default) answers loopback clients only — a Prometheus beside the server, or
one reaching it through a tunnel — and everyone else gets the 404 of an unknown path, so
the API's public host names do not show the server's internals; `any` answers every
client (put it behind the network's own rules); `off` answers nobody.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
from typing import Any

from sqlalchemy import Connection

from xmlengine.metrics import CONTENT_TYPE, Backlog, Metrics
from xmlengine.storage.database import Database
from xmlengine.work import network_jobs
from xmlengine.work.outbox import backlog

PATH = "/metrics"
DATABASE_FIGURES_SECONDS = 5.0


def allowed(audience: str, address: str) -> bool:
    if audience == "any":
        return True
    if audience != "local":
        return False
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:  # no address (a Unix socket): not a remote client
        return address == ""


async def scrape(metrics: Metrics, db: Database, now: float) -> tuple[bytes, bytes]:
    """The body and its content type."""

    def read(conn: Connection) -> Backlog:
        pending, waited = backlog(conn, now=now)
        return Backlog(pending, waited, network_jobs.unfinished(conn))

    found = await db.run(read)
    metrics.observe_database(*db.load())
    return metrics.render(found), CONTENT_TYPE.encode()


async def respond(send: Any, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class DatabaseFigures:
    """Keeps this process's database gauges current when several processes share the
    series: the one answering a scrape cannot read the others' pools."""

    def __init__(self, metrics: Metrics, db: Database) -> None:
        self.metrics, self.db = metrics, db
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._keep(), name="database-figures")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.metrics.close()

    async def _keep(self) -> None:
        while True:
            self.metrics.observe_database(*self.db.load())
            await asyncio.sleep(DATABASE_FIGURES_SECONDS)
