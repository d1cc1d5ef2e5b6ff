"""The sandbox network as `serve` runs it: the scheduler on network time, the sandbox
network, the traffic generator and the calls and faxes it produces (docs/sandbox.md).

`serve` starts it with the app's lifespan when `XMLENGINE_SANDBOX_TRAFFIC_PER_HOUR` is
above 0. Only one process per data directory generates traffic (a file lock), so
`serve --workers 4` makes the configured rate, not four times it. Tests build one on a
`ManualClock` and move it with `scheduler.advance`, without `start`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import random
from collections.abc import Sequence
from typing import IO

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain.sandbox.calls import SandboxCalls
from xmlengine.domain.sandbox.faxes import SandboxFaxes
from xmlengine.domain.sandbox.lines import sandbox_lines
from xmlengine.network.interface import NetworkEvent
from xmlengine.network.sandbox import SandboxNetwork
from xmlengine.network.scheduler import Scheduler
from xmlengine.network.traffic import GeneratedCall, Line, TrafficGenerator
from xmlengine.storage.database import Database

log = logging.getLogger("xmlengine.network")

LOCK_FILE = "sandbox-traffic.lock"


class SandboxTraffic:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        network_clock: Clock,
        outbox_clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.scheduler = Scheduler(network_clock)
        self.calls = SandboxCalls(db, settings, network_clock, outbox_clock)
        self.faxes = SandboxFaxes(db, settings, network_clock, outbox_clock)
        self.network = SandboxNetwork(self.scheduler, self.report)
        self.calls.attach(self.network)
        self.faxes.attach(self.network)
        self.generator = TrafficGenerator(
            self.scheduler,
            self.lines,
            self.place,
            per_hour=settings.sandbox_traffic_per_hour,
            rng=rng,
        )
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._lock: IO[bytes] | None = None

    async def lines(self) -> Sequence[Line]:
        return await self.db.run(sandbox_lines)

    async def place(self, generated: GeneratedCall) -> None:
        """A generated call to a DID that receives faxes is a fax; any other, a call."""
        if not await self.faxes.receive(generated):
            await self.calls.place(generated)

    async def report(self, event: NetworkEvent) -> None:
        """The network's sink: fax events to the faxes, the others to the calls."""
        if event.kind.startswith("fax."):
            await self.faxes.report(event)
        else:
            await self.calls.report(event)

    async def start(self) -> None:
        """Generate traffic in real time (a `ScaledClock`), unless another process
        of this data directory already does."""
        if not self._take_lock():
            log.info("sandbox traffic: another process generates it")
            return
        self._stop = asyncio.Event()
        self.generator.start()
        self._task = asyncio.create_task(self.scheduler.run(self._stop), name="sandbox-network")
        log.info(
            "sandbox traffic started: %s calls per hour per account, network speed %s",
            self.settings.sandbox_traffic_per_hour,
            self.settings.network_speed,
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._stop.set()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), 5.0)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
        if self._lock is not None:
            self._lock.close()  # releases the lock
            self._lock = None

    def _take_lock(self) -> bool:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        handle = (self.settings.data_dir / LOCK_FILE).open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock = handle
        return True
