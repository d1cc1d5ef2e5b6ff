"""The worker's handler of `export` events: an export written in slices of batches.

A batch is one short transaction reading the next records after the keyset position
(date column, key), their texts written to the file outside any transaction, then one
short transaction recording the new position, size and progress; no connection stays
open across a batch, however long the history. A slice works for
`XMLENGINE_EXPORT_SLICE_SECONDS` then queues the next slice as a new event, so that an
export never outlives the worker's lease and others get their turn. A worker that dies
mid-batch leaves the event to the next one when the lease runs out: the file is cut
back to the committed size and the export goes on from the committed position.

The same kind of event, due when a completed export expires, removes its file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Row, func, tuple_

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain.exports import exports as store
from xmlengine.domain.exports.files import append, checksum, encode
from xmlengine.domain.exports.subjects import SUBJECTS, Subject, context
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.storage.export_tables import exports
from xmlengine.work.due_events import enqueue_due
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, GiveUp, Outcome, Retry, backoff

log = logging.getLogger("xmlengine.exports")

RETRY_LIMIT: Final = 8
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Batch:
    export: Row[Any]  # as committed before this batch
    subject: Subject
    rows: list[tuple[Any, ...]]  # read with `subject.reads`
    full: bool  # as many as asked: more may follow
    path: Path
    zone: dt.tzinfo  # the account's


def _conditions(subject: Subject, export: Row[Any]) -> list[Any]:
    table = subject.table
    at = table.c[subject.date_column]
    found = [at < export.period_end]
    if export.period_start is not None:
        found.append(at >= export.period_start)
    if export.client_subaccount_id is not None:
        found.append(table.c[subject.subaccount_column] == export.client_subaccount_id)
    return found


def _start(acct: AccountScope, subject: Subject, export: Row[Any]) -> None:
    """Count what the export will hold (for its progress) and mark it running."""
    count = acct.select(subject.table, func.count()).where(*_conditions(subject, export))
    total = int(acct.execute(count).scalar_one())
    acct.execute(
        acct.update(exports)
        .where(exports.c.export_id == export.export_id)
        .values(status="running", started_at=acct.clock.now(), rows_total=total)
    )


def next_batch(acct: AccountScope, export_id: int, limit: int) -> Batch | None:
    """The next records of a live export (None: nothing to do); a due expiry is done here."""
    export = store.find(acct, export_id, lock=True)
    if export is None:
        return None
    if export.status == "completed":
        if export.expires_at is not None and export.expires_at <= acct.clock.now():
            store.expire(acct, export)
        return None
    if export.status not in store.LIVE:
        return None
    subject = SUBJECTS[export.subject]
    if export.status == "queued":
        _start(acct, subject, export)
        export = store.find(acct, export_id)
        assert export is not None
    table = subject.table
    keyset = (table.c[subject.date_column], table.c[subject.key])
    query = acct.select(table, *(table.c[name] for name in subject.reads)).where(
        *_conditions(subject, export)
    )
    if export.cursor_at is not None:
        query = query.where(tuple_(*keyset) > tuple_(export.cursor_at, export.cursor_key))
    rows = [tuple(row) for row in acct.execute(query.order_by(*keyset).limit(limit))]
    path = acct.settings.data_dir / export.file_path
    return Batch(export, subject, rows, len(rows) == limit, path, acct.zone)


def write(batch: Batch) -> int:
    """The batch's texts after the committed bytes; the file's new size."""
    export, subject = batch.export, batch.subject
    ctx = context(batch.zone, export.exchange_rate, export.language)
    data = encode(
        export.format, subject.header, subject.texts(batch.rows, ctx), first=export.size == 0
    )
    return append(batch.path, export.size, data)


def record(batch: Batch, size: int, acct: AccountScope) -> bool:
    """The batch is written: its position, the size and progress; False if the export
    was deleted (or taken over) meanwhile."""
    export = batch.export
    last = batch.rows[-1]
    rows = export.rows + len(batch.rows)
    total = max(export.rows_total or 0, 1)
    done = acct.execute(
        acct.update(exports)
        .where(
            exports.c.export_id == export.export_id,
            exports.c.status == "running",
            exports.c.size == export.size,
        )
        .values(
            size=size,
            rows=rows,
            cursor_at=last[-2],
            cursor_key=last[-1],
            progress=min(99, rows * 100 // total),
        )
    )
    return bool(done.rowcount)


class ExportRunner:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    def _scoped(self, account_id: int, work: Callable[[AccountScope], T]) -> Callable[..., T]:
        def run(conn: Connection) -> T:
            acct = AccountScope.load(conn, account_id, clock=self.clock, settings=self.settings)
            return work(acct)

        return run

    async def __call__(self, event: Event) -> Outcome:
        assert event.account_id is not None
        account_id, export_id = event.account_id, int(event.payload["export_id"])
        try:
            return await self._slice(account_id, export_id)
        except Exception as error:
            log.exception("export %s failed", export_id)
            problem = f"{type(error).__name__}: {error}"
            attempt = event.attempts + 1
            if attempt >= RETRY_LIMIT:
                return GiveUp(problem, record=self._scoped(account_id, partial(_fail, export_id)))
            return Retry(self.clock.now() + backoff(attempt, 30.0, 3600.0), problem)

    async def _slice(self, account_id: int, export_id: int) -> Outcome:
        deadline = time.monotonic() + self.settings.export_slice_seconds
        limit = self.settings.export_batch_rows
        while True:
            batch = await self.db.run(
                self._scoped(account_id, lambda acct: next_batch(acct, export_id, limit))
            )
            if batch is None:
                return Done()
            size = await asyncio.to_thread(write, batch)
            if batch.rows:
                kept = await self.db.run(self._scoped(account_id, partial(record, batch, size)))
                if not kept:
                    return await self._abandon(account_id, export_id, batch.path)
            if not batch.full:
                digest = await asyncio.to_thread(checksum, batch.path, size)
                committed = size if batch.rows else batch.export.size  # a CSV header alone
                completed = await self.db.run(
                    self._scoped(account_id, partial(_complete, export_id, committed, size, digest))
                )
                return (
                    Done() if completed else await self._abandon(account_id, export_id, batch.path)
                )
            if time.monotonic() >= deadline:
                return Done(record=self._scoped(account_id, partial(_next_slice, export_id)))

    async def _abandon(self, account_id: int, export_id: int, path: Path) -> Outcome:
        """The export was deleted while a batch was written: the file written since goes."""
        export = await self.db.run(
            self._scoped(account_id, lambda acct: store.find(acct, export_id))
        )
        if export is None or export.status not in store.LIVE:
            await asyncio.to_thread(path.unlink, missing_ok=True)
        return Done()


def _complete(export_id: int, committed: int, size: int, digest: str, acct: AccountScope) -> bool:
    export = store.find(acct, export_id)
    return export is not None and store.complete(
        acct, export, committed=committed, size=size, sha256=digest
    )


def _fail(export_id: int, acct: AccountScope) -> None:
    export = store.find(acct, export_id)
    if export is not None and export.status in store.LIVE:
        store.fail(acct, export, "the export could not be written")


def _next_slice(export_id: int, acct: AccountScope) -> None:
    enqueue_due(acct, store.KIND, {"export_id": export_id}, at=acct.clock.now())
