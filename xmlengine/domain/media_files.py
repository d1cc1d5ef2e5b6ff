"""What recordings and voicemails share: where their audio lives, how they are deleted.

Audio lives under `<data_dir>/media/<account_id>/<kind>/<hash>.wav`; rows keep the path
relative to the data directory. Deleting marks the rows `deleted`, records the bytes
removed in the storage rollups and queues the removal of the files, all in the caller's
transaction: the worker removes them once it commits (work/file_removal.py), so a
change that rolls back never loses audio the database still lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Row, Table

from xmlengine.domain import storage_usage
from xmlengine.storage.account_scope import AccountScope
from xmlengine.work.file_removal import enqueue_removal

DELETED = "deleted"


def relative_path(account_id: int, kind: str, name: str) -> Path:
    return Path("media") / str(account_id) / kind / f"{name}.wav"


def absolute(data_dir: Path, relative: str) -> Path | None:
    """The file of a stored relative path, or None when the row has no file."""
    return data_dir / relative if relative else None


def delete(
    acct: AccountScope,
    table: Table,
    id_column: str,
    rows: Sequence[Row[Any]],
    *,
    storage_type: str,
    comments: str,
) -> list[int]:
    """Delete `rows` (those not deleted yet), their files after the commit; the ids deleted."""
    live = [row for row in rows if row.status != DELETED]
    now = acct.clock.now()
    files = _discard(
        acct, table, id_column, live, storage_type=storage_type, now=now, comments=comments
    )
    if files:
        enqueue_removal(acct, paths=files)
    return [getattr(row, id_column) for row in live]


def _discard(
    acct: AccountScope,
    table: Table,
    id_column: str,
    rows: Sequence[Row[Any]],
    *,
    storage_type: str,
    now: float,
    comments: str,
) -> list[str]:
    """Mark `rows` deleted and record what leaves storage; the files to remove after it."""
    if not rows:
        return []
    ids = [getattr(row, id_column) for row in rows]
    acct.execute(
        acct.update(table)
        .where(table.c[id_column].in_(ids))
        .values(status=DELETED, deleted_at=now, comments=comments, file_path="")
    )
    removed: dict[int | None, tuple[int, int]] = {}
    for row in rows:
        if row.file_path:
            size, files = removed.get(row.client_subaccount_id, (0, 0))
            removed[row.client_subaccount_id] = (size + row.size, files + 1)
    for subaccount_id, (size, files) in removed.items():
        storage_usage.record(
            acct,
            subaccount_id=subaccount_id,
            storage_type=storage_type,
            at=now,
            removed=size,
            files_removed=files,
        )
    return [row.file_path for row in rows if row.file_path]
