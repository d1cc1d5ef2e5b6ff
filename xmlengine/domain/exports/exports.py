"""Exports of an account: queued, found, deleted, completed and expired, each change in
the caller's transaction with the events it causes (the worker's next slice, the
completion webhook, the removal of the file).

Statuses: `queued` (waiting for a worker), `running`, `completed` (the file can be
downloaded until `expires_at`), `failed`, `expired` (the file removed), `deleted`.
A completed file counts in the `export_size` storage of the export's subaccount (the
main account's when it has none) until it expires or is deleted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Row

from xmlengine.domain import storage_usage
from xmlengine.domain.exports.files import FORMATS, relative_path
from xmlengine.domain.local_days import day_end, day_start
from xmlengine.domain.local_times import local_times
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.export_tables import exports
from xmlengine.work.due_events import enqueue_due
from xmlengine.work.file_removal import enqueue_removal
from xmlengine.work.webhooks import enqueue_webhook

KIND: Final = "export"  # the worker's events: a slice of the work, or the expiry
DOWNLOADS: Final = "exports"  # the kind of download: /api/v1.1/exports/{hash}.{extension}
STORAGE_TYPE: Final = "export_size"
STATUSES: Final = ("queued", "running", "completed", "failed", "expired", "deleted")
LIVE: Final = ("queued", "running")
DAY: Final = 86400.0


@dataclass(frozen=True, slots=True)
class Asked:
    """What queue_export asks for, and how the request shows values."""

    subject: str
    fmt: str
    date_from: dt.date | None
    date_to: dt.date | None
    subaccount_id: int | None
    callback_url: str
    language: str
    currency: str
    exchange_rate: float
    base_url: str


def queue(acct: AccountScope, asked: Asked) -> int:
    """Record the export and queue its first slice; its id."""
    now = acct.clock.now()
    export_hash = uuid.uuid4().hex
    end = now if asked.date_to is None else min(now, day_end(asked.date_to, acct.zone))
    query = acct.insert(exports).values(
        export_hash=export_hash,
        subject=asked.subject,
        format=asked.fmt,
        client_subaccount_id=asked.subaccount_id,
        date_from=asked.date_from,
        date_to=asked.date_to,
        period_start=None if asked.date_from is None else day_start(asked.date_from, acct.zone),
        period_end=end,
        language=asked.language,
        currency=asked.currency,
        exchange_rate=asked.exchange_rate,
        base_url=asked.base_url,
        callback_url=asked.callback_url,
        status="queued",
        file_path=relative_path(acct.account_id, export_hash, asked.fmt),
        created_at=now,
    )
    export_id = int(acct.execute(query.returning(exports.c.export_id)).scalar_one())
    enqueue_due(acct, KIND, {"export_id": export_id}, at=now)
    return export_id


def find(acct: AccountScope, export_id: int, *, lock: bool = False) -> Row[Any] | None:
    """The export; with `lock`, held until the transaction ends (PostgreSQL), so that a
    change made from what it shows cannot cross the worker completing it."""
    query = acct.select(exports).where(exports.c.export_id == export_id)
    return acct.execute(query.with_for_update() if lock else query).first()


def download_url(base_url: str, export_hash: str, fmt: str) -> str:
    return f"{base_url}/api/v1.1/{DOWNLOADS}/{export_hash}.{FORMATS[fmt][0]}"


def file_of(acct: AccountScope, export_hash: str) -> Path | None:
    """The file of a completed export (a declared download's `find`)."""
    query = acct.select(exports).where(
        exports.c.export_hash == export_hash.lower(), exports.c.status == "completed"
    )
    row = acct.execute(query).first()
    return acct.settings.data_dir / row.file_path if row and row.file_path else None


def _discard(acct: AccountScope, row: Row[Any], status: str) -> None:
    """The export's file leaves: removed after the commit, uncounted if it was stored."""
    now = acct.clock.now()
    values: dict[str, Any] = {"status": status, "file_path": ""}
    if status == "deleted":
        values["deleted_at"] = now
    acct.execute(acct.update(exports).where(exports.c.export_id == row.export_id).values(values))
    if row.status == "completed":
        storage_usage.record(
            acct,
            subaccount_id=row.client_subaccount_id,
            storage_type=STORAGE_TYPE,
            at=now,
            removed=row.size,
            files_removed=1,
        )
    if row.file_path:  # a running export's partial file too
        enqueue_removal(acct, paths=[row.file_path])


def delete(acct: AccountScope, row: Row[Any]) -> None:
    if row.status != "deleted":
        _discard(acct, row, "deleted")


def expire(acct: AccountScope, row: Row[Any]) -> None:
    _discard(acct, row, "expired")


def complete(acct: AccountScope, row: Row[Any], *, committed: int, size: int, sha256: str) -> bool:
    """The file is whole (`size` bytes, `committed` of them recorded already): downloadable
    until it expires; False if the export changed meanwhile."""
    now = acct.clock.now()
    expires_at = now + acct.settings.export_expiry_days * DAY
    done = acct.execute(
        acct.update(exports)
        .where(
            exports.c.export_id == row.export_id,
            exports.c.status == "running",
            exports.c.size == committed,
        )
        .values(
            status="completed",
            size=size,
            progress=100,
            sha256=sha256,
            completed_at=now,
            expires_at=expires_at,
        )
    )
    if not done.rowcount:
        return False
    storage_usage.record(
        acct,
        subaccount_id=row.client_subaccount_id,
        storage_type=STORAGE_TYPE,
        at=now,
        added=size,
        files_added=1,
    )
    enqueue_due(acct, KIND, {"export_id": row.export_id}, at=expires_at)
    _notify(acct, row.export_id, "export_completed")
    return True


def fail(acct: AccountScope, row: Row[Any], error: str) -> None:
    """Given up: the partial file is removed, the failure notified."""
    acct.execute(
        acct.update(exports)
        .where(exports.c.export_id == row.export_id)
        .values(status="failed", error=error[:255], completed_at=acct.clock.now(), file_path="")
    )
    if row.file_path:
        enqueue_removal(acct, paths=[row.file_path])
    _notify(acct, row.export_id, "export_failed")


def _notify(acct: AccountScope, export_id: int, trigger: str) -> None:
    """The completion webhook, when the export names a `callback_url`."""
    row = find(acct, export_id)
    if row is None or not row.callback_url:
        return
    now = acct.clock.now()
    completed = row.status == "completed"
    times = local_times(acct.zone)
    payload = {
        "trigger": trigger,
        "export_id": row.export_id,
        "export_hash": row.export_hash,
        "subject": row.subject,
        "format": row.format,
        "status": row.status,
        "rows": row.rows,
        "size": row.size if completed else "",
        "sha256": row.sha256,
        "download_url": download_url(row.base_url, row.export_hash, row.format)
        if completed
        else "",
        "datetime_completed": times.text(row.completed_at),
        "datetime_expires": times.text(row.expires_at),
        "error": row.error,
    }
    enqueue_webhook(
        acct,
        trigger=trigger,
        subject=f"export-{row.export_hash}",
        payload=payload,
        callback_url=row.callback_url,
        occurred_at=now,
        now=now,
    )
