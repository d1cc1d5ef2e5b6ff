"""Faxes: received and sent by fax profiles, listed, deleted and downloaded.

A fax is one row of `call_faxes` named by its `call_hash` and, once rendered or
received, its document: a PDF under the data directory, counted in the account's
`faxes_size` (domain/storage_usage.py). Its `transmission_status` follows the guide:
`pending` until the network takes it, `processing` while it is transmitted, then
`completed` or `failed`; deleting a sent fax not handed to the network yet cancels it
(`cancelled`; `paused` is never reached here). Its `status` is `enabled` until
delete_faxes makes it `deleted`, which removes the document after the commit; `purged`
is a status of the guide this server does not produce.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import media_files, storage_usage
from xmlengine.domain.local_days import day_end, day_start
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.fax_tables import call_faxes
from xmlengine.work.network_jobs import cancel

STORAGE_TYPE = "faxes_size"
STATUSES = ("enabled", "deleted", "purged")
TRANSMISSION_STATUSES = ("pending", "processing", "completed", "failed", "cancelled", "paused")
JOB_KIND = "fax"  # the network jobs that carry sent faxes
PENDING = "pending"
COMPLETED = "completed"
FAILED = "failed"

fx = call_faxes

FAXES = media_files.StoredMedia(
    "faxes", fx, "call_fax_id", "call_hash", STORAGE_TYPE, extension="pdf"
)


def new_hash() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class Stored:
    """A document written under the data directory."""

    file_path: str  # relative to the data directory
    size: int


def store_document(acct: AccountScope, call_hash: str, data: bytes) -> Stored:
    """Write a fax's PDF; the row that names it is the caller's to write, in its transaction."""
    return write_document(acct.settings.data_dir, acct.account_id, call_hash, data)


def write_document(data_dir: Path, account_id: int, call_hash: str, data: bytes) -> Stored:
    """The same outside any transaction (queue_fax renders before its transaction)."""
    relative = FAXES.relative_path(account_id, call_hash)
    path = data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Stored(str(relative), len(data))


def discard_document(data_dir: Path, stored: Stored) -> None:
    """Remove a document no committed row names (its transaction rolled back, or another
    request queued the same fax first)."""
    (data_dir / stored.file_path).unlink(missing_ok=True)


def create_fax(acct: AccountScope, *, at: float, stored: Stored | None, **values: Any) -> int:
    """Write a fax's row (and count its document in the storage rollups); its id."""
    if stored is not None:
        values.update(file_path=stored.file_path, size=stored.size)
        storage_usage.record(
            acct,
            subaccount_id=values.get("client_subaccount_id"),
            storage_type=STORAGE_TYPE,
            at=at,
            added=stored.size,
            files_added=1,
        )
    query = acct.insert(fx).values(created_at=at, **values).returning(fx.c.call_fax_id)
    return int(acct.execute(query).scalar_one())


def by_id(acct: AccountScope, call_fax_id: int) -> Row[Any] | None:
    return acct.execute(acct.select(fx).where(fx.c.call_fax_id == call_fax_id)).first()


def by_hash(acct: AccountScope, call_hash: str) -> Row[Any] | None:
    return acct.execute(acct.select(fx).where(fx.c.call_hash == call_hash)).first()


def by_unique_id(acct: AccountScope, profile_id: int, unique_id: str) -> Row[Any] | None:
    query = acct.select(fx).where(
        fx.c.client_fax_profile_id == profile_id, fx.c.unique_id == unique_id
    )
    return acct.execute(query).first()


def set_transmission(acct: AccountScope, call_fax_id: int, **values: Any) -> None:
    acct.execute(acct.update(fx).where(fx.c.call_fax_id == call_fax_id).values(**values))


@dataclass(frozen=True, slots=True)
class Search:
    call_fax_ids: Sequence[int] = ()
    call_hashes: Sequence[str] = ()
    profile_id: int | None = None
    subaccount_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    on: dt.date | None = None  # delete_faxes' date: that day only
    statuses: Sequence[str] = ()
    transmission_statuses: Sequence[str] = ()


def find(acct: AccountScope, search: Search) -> list[Row[Any]]:
    """The account's faxes matching every criterion, newest first.

    Without `statuses`, deleted and purged faxes only when an id or a hash names them.
    """
    query = acct.select(fx)
    if search.call_fax_ids:
        query = query.where(fx.c.call_fax_id.in_(search.call_fax_ids))
    if search.call_hashes:
        query = query.where(fx.c.call_hash.in_(search.call_hashes))
    if search.profile_id:
        query = query.where(fx.c.client_fax_profile_id == search.profile_id)
    if search.subaccount_id:
        query = query.where(fx.c.client_subaccount_id == search.subaccount_id)
    first = search.on or search.date_from
    last = search.on or search.date_to
    if first:
        query = query.where(fx.c.created_at >= day_start(first, acct.zone))
    if last:
        query = query.where(fx.c.created_at < day_end(last, acct.zone))
    if search.statuses:
        query = query.where(fx.c.status.in_(search.statuses))
    elif not (search.call_fax_ids or search.call_hashes):
        query = query.where(fx.c.status == "enabled")
    if search.transmission_statuses:
        query = query.where(fx.c.transmission_status.in_(search.transmission_statuses))
    query = query.order_by(fx.c.created_at.desc(), fx.c.call_fax_id.desc())
    return list(acct.execute(query))


def delete(acct: AccountScope, rows: Sequence[Row[Any]], comments: str) -> list[int]:
    """Delete faxes (their documents after the commit, a pending one's sending with them);
    the ids deleted now."""
    for row in rows:
        waiting = row.status != media_files.DELETED and row.transmission_status == PENDING
        if waiting and cancel(acct, JOB_KIND, row.call_hash):
            set_transmission(acct, row.call_fax_id, transmission_status="cancelled")
    return FAXES.delete(acct, rows, comments)


def document(acct: AccountScope, call_hash: str) -> Path | None:
    """The PDF of one of the account's faxes (the download's `find`); None when unknown,
    another account's, deleted, or not rendered (a received fax that failed)."""
    row = FAXES.live(acct, call_hash)
    return acct.settings.data_dir / row.file_path if row and row.file_path else None
