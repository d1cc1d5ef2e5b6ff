"""The embedded default's counters kept across a restart: `rate-counters.json` in the data
directory.

Without this a restart within a clock hour started every budget from zero, so that hour
admitted up to twice the budget. The counters stay in memory, where a request counts
with no I/O at all; what a restart needs is written beside the database once a second
when something changed (and at shutdown), atomically (a new file renamed over the old
one), outside the event loop. Counting in the database instead would put a write, and
on SQLite a commit to disk, on every request of the hot path. The price: a process that
dies without stopping (a crash, `kill -9`) forgets at most its last second's requests.
With Redis the counters are Redis's and this file is not used.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path

import orjson

from xmlengine.clock import Clock
from xmlengine.protocol.rate_limits import MemoryCounter

log = logging.getLogger("xmlengine.rate_limits")

NAME = "rate-counters.json"
SAVE_SECONDS = 1.0


class CounterFile:
    def __init__(self, data_dir: Path, clock: Clock) -> None:
        self.path = data_dir / NAME
        self.clock = clock
        self.counter = MemoryCounter()
        self._saved = 0  # `counter.changes` when last saved
        self._task: asyncio.Task[None] | None = None

    def load(self) -> MemoryCounter:
        """The counter, with what the last process saved (nothing if it saved nothing)."""
        try:
            self.counter.restore(orjson.loads(self.path.read_bytes()))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError) as error:  # unreadable: start from zero
            log.warning("rate counters not restored from %s: %s", self.path, error)
        return self.counter

    async def start(self) -> None:
        self._task = asyncio.create_task(self._keep())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.save()

    async def save(self) -> None:
        changes = self.counter.changes
        if changes == self._saved:
            return
        data = orjson.dumps(self.counter.snapshot(int(self.clock.now())))
        try:
            await asyncio.to_thread(_replace, self.path, data)
        except OSError as error:  # a full or read-only disk: counting goes on
            log.warning("rate counters not saved to %s: %s", self.path, error)
            return
        self._saved = changes

    async def _keep(self) -> None:
        while True:
            await asyncio.sleep(SAVE_SECONDS)
            await self.save()


def _replace(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    os.replace(partial, path)
