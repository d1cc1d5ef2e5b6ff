"""Storage used by an account, kept as daily rollups and read back by get_storage_stats.

Every change to stored files calls `record` in the transaction of the change: the bytes
and files added or removed that day (a day of the account's time zone), per subaccount
(0 is the main account) and storage type. Statistics sum these rows; nothing scans the
recordings or voicemails themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select

from xmlengine.domain.local_days import day_of
from xmlengine.storage import tables
from xmlengine.storage.account_scope import zone
from xmlengine.storage.media_tables import storage_daily
from xmlengine.storage.upsert import upsert

# Guide, "Storage types" (`total` is their sum, not a kind of file).
STORAGE_TYPES = (
    "recordings_size",
    "voicemails_size",
    "medias_size",
    "faxes_size",
    "mms_size",
    "export_size",
    "pbx3cxmedia_size",
    "pbx3cxbackup_size",
)
MAIN_ACCOUNT = 0


def local_day(conn: Connection, account_id: int, epoch: float) -> dt.date:
    """The day of `epoch` in the account's time zone."""
    name = conn.execute(
        select(tables.accounts.c.time_zone).where(tables.accounts.c.account_id == account_id)
    ).scalar_one()
    return day_of(epoch, zone(name))


def record(
    conn: Connection,
    *,
    account_id: int,
    subaccount_id: int | None,
    storage_type: str,
    day: dt.date,
    added: int = 0,
    removed: int = 0,
    files_added: int = 0,
    files_removed: int = 0,
) -> None:
    """Add a change to the day's rollup (created on the day's first change)."""
    if storage_type not in STORAGE_TYPES:
        raise ValueError(f"unknown storage type {storage_type}")
    insert = upsert(conn, storage_daily)
    values = {
        "bytes_added": added,
        "bytes_removed": removed,
        "files_added": files_added,
        "files_removed": files_removed,
    }
    c = storage_daily.c
    statement = insert.values(
        account_id=account_id,
        client_subaccount_id=subaccount_id or MAIN_ACCOUNT,
        storage_type=storage_type,
        day=day,
        **values,
    ).on_conflict_do_update(
        index_elements=[c.account_id, c.client_subaccount_id, c.storage_type, c.day],
        set_={name: c[name] + insert.excluded[name] for name in values},
    )
    conn.execute(statement)


@dataclass(slots=True)
class Usage:
    """One storage type over a period: what is stored at its end, what came and went in it."""

    size: int = 0
    files: int = 0
    added: int = 0
    removed: int = 0

    def add(self, other: Usage) -> None:
        self.size += other.size
        self.files += other.files
        self.added += other.added
        self.removed += other.removed


Totals = dict[str, Usage]  # storage type -> usage


def period(
    conn: Connection, account_id: int, date_from: dt.date, date_to: dt.date
) -> dict[int, Totals]:
    """Usage per subaccount (0: the main account) and storage type for the period."""
    c = storage_daily.c
    within = c.day >= date_from
    query = (
        select(
            c.client_subaccount_id,
            c.storage_type,
            func.sum(c.bytes_added - c.bytes_removed),
            func.sum(c.files_added - c.files_removed),
            func.sum(case((within, c.bytes_added), else_=0)),
            func.sum(case((within, c.bytes_removed), else_=0)),
        )
        .where(c.account_id == account_id, c.day <= date_to)
        .group_by(c.client_subaccount_id, c.storage_type)
    )
    found: dict[int, Totals] = {}
    for subaccount_id, storage_type, size, files, added, removed in conn.execute(query):
        found.setdefault(subaccount_id, {})[storage_type] = Usage(
            int(size or 0), int(files or 0), int(added or 0), int(removed or 0)
        )
    return found


def combined(parts: Iterable[Totals]) -> Totals:
    """Every storage type summed over several subaccounts, plus their `total`."""
    result = {name: Usage() for name in STORAGE_TYPES}
    for part in parts:
        for name, usage in part.items():
            result[name].add(usage)
    total = Usage()
    for name in STORAGE_TYPES:
        total.add(result[name])
    result["total"] = total
    return result


def subaccount_totals(found: dict[int, Totals], subaccount_ids: Sequence[int]) -> dict[int, Totals]:
    return {sid: combined([found.get(sid, {})]) for sid in subaccount_ids}
