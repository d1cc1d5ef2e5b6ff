"""Stored files removed once the change that frees them is committed.

A change that deletes the rows of stored files (recordings, voicemails) writes a
`remove_files` event in its own transaction; the worker removes the files after the
commit. So a change that rolls back never loses a file the database still lists, and a
committed one whose worker dies before the files are gone leaves its event to the next
worker (the lease runs out). Removing a file that is already gone is done, so running
an event twice is harmless.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.storage.account_scope import AccountScope
from xmlengine.work import outbox
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, GiveUp, Outcome, Retry, backoff

log = logging.getLogger("xmlengine.files")

KIND = "remove_files"
RETRY_LIMIT = 10


def enqueue_removal(acct: AccountScope, paths: Sequence[str]) -> int:
    """Remove `paths` (relative to the data directory) once the caller's transaction commits."""
    return outbox.enqueue(
        acct.connection_for_work(),
        KIND,
        {"paths": list(paths)},
        now=acct.clock.now(),
        account_id=acct.account_id,
    )


class FileRemover:
    """The worker's handler of `remove_files` events."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.data_dir = settings.data_dir
        self.clock = clock

    async def __call__(self, event: Event) -> Outcome:
        error = await asyncio.to_thread(self._remove, event.payload["paths"])
        if error is None:
            return Done()
        attempt = event.attempts + 1
        if attempt >= RETRY_LIMIT:
            return GiveUp(error)
        return Retry(self.clock.now() + backoff(attempt, 60.0, 3600.0), error)

    def _remove(self, paths: Sequence[str]) -> str | None:
        """Remove every file it can; the first problem, or None."""
        problem = None
        for relative in paths:
            path = Path(relative)
            if path.is_absolute() or ".." in path.parts:  # only files under the data directory
                problem = problem or f"not a stored file: {relative}"
                continue
            try:
                (self.data_dir / path).unlink(missing_ok=True)
            except OSError as error:
                log.warning("could not remove %s: %s", relative, error)
                problem = problem or f"{relative}: {error}"
        return problem
