"""The background work of one process: a worker with every outbox handler.

`serve` runs one inside the API process (the embedded default); `xmlengine worker`
runs one on its own. Both also create the call history's partitions ahead of time (at
start, then every few hours: storage/partitions.py). Stopping lets in-flight events
finish for a while, then cancels them: their leases run out and another worker takes
them over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.metrics import Metrics
from xmlengine.storage.database import Database
from xmlengine.storage.partitions import ensure_partitions
from xmlengine.work import file_removal, notifications, webhooks
from xmlengine.work.file_removal import FileRemover
from xmlengine.work.notifications import MailSender
from xmlengine.work.webhooks import WebhookSender
from xmlengine.work.worker import Handler, Worker

log = logging.getLogger("xmlengine.worker")

STOP_GRACE_SECONDS = 15.0
PARTITION_CHECK_SECONDS = 6 * 3600.0


class BackgroundWork:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        clock: Clock,
        handlers: Mapping[str, Handler] | None = None,  # the domain's, from above this layer
        metrics: Metrics | None = None,
    ) -> None:
        self.db, self.clock = db, clock
        self.webhooks = WebhookSender(settings, clock)
        self.worker = Worker(
            db,
            {
                webhooks.KIND: self.webhooks,
                notifications.KIND: MailSender(settings, clock),
                file_removal.KIND: FileRemover(settings, clock),
                **(handlers or {}),
            },
            clock,
            concurrency=settings.worker_concurrency,
            lease_seconds=settings.worker_lease_seconds,
            poll_seconds=settings.worker_poll_seconds,
            metrics=metrics,
        )
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._partitions: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self.worker.run(self._stop), name="outbox-worker")
        self._partitions = asyncio.create_task(self.keep_partitions(), name="partitions")
        log.info("outbox worker %s started", self.worker.name)

    def request_stop(self) -> None:
        """Finish what is in flight, claim nothing more (a signal handler may call it)."""
        self._stop.set()

    async def run(self) -> None:
        """Run in the foreground until cancelled (the `worker` command)."""
        partitions = asyncio.create_task(self.keep_partitions(), name="partitions")
        try:
            await self.worker.run(self._stop)
        finally:
            partitions.cancel()
            await self.webhooks.close()

    async def keep_partitions(self) -> None:
        while not self._stop.is_set():
            try:
                created = await self.db.run(lambda conn: ensure_partitions(conn, self.clock.now()))
                if created:
                    log.info("call history partitions created: %s", ", ".join(created))
            except Exception:  # the database is away: try again at the next check
                log.exception("could not create the call history's partitions")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), PARTITION_CHECK_SECONDS)

    async def stop(self) -> None:
        if self._partitions is not None:
            self._partitions.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._partitions
            self._partitions = None
        if self._task is not None:
            self._stop.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), STOP_GRACE_SECONDS)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
        await self.webhooks.close()
