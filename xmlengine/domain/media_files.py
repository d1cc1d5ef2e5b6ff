"""What recordings and voicemails share: where their audio lives, how they are deleted.

Audio lives under `<data_dir>/media/<account_id>/<kind>/<hash>.wav`; rows keep the path
relative to the data directory. Deleting marks the rows `deleted`, records the bytes
removed in the storage rollups, then removes the files: the last step of the unit of
work, after every write, so that a refused change never loses audio.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, Table

from xmlengine.domain import storage_usage
from xmlengine.storage.account_scope import AccountScope

log = logging.getLogger("xmlengine.media")

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
    """Delete `rows` (those not deleted yet) with their files; the ids deleted."""
    live = [row for row in rows if row.status != DELETED]
    files = _discard(
        acct.conn,
        table,
        id_column,
        live,
        storage_type=storage_type,
        now=acct.clock.now(),
        comments=comments,
    )
    remove(acct.settings.data_dir, files)
    return [getattr(row, id_column) for row in live]


def _discard(
    conn: Connection,
    table: Table,
    id_column: str,
    rows: Sequence[Row[Any]],
    *,
    storage_type: str,
    now: float,
    comments: str,
) -> list[str]:
    """Mark `rows` deleted and record what leaves storage; the files to remove afterwards."""
    if not rows:
        return []
    ids = [getattr(row, id_column) for row in rows]
    conn.execute(
        table.update()
        .where(table.c[id_column].in_(ids))
        .values(status=DELETED, deleted_at=now, comments=comments, file_path="")
    )
    account_id = rows[0].account_id
    day = storage_usage.local_day(conn, account_id, now)
    removed: dict[int | None, tuple[int, int]] = {}
    for row in rows:
        if row.file_path:
            size, files = removed.get(row.client_subaccount_id, (0, 0))
            removed[row.client_subaccount_id] = (size + row.size, files + 1)
    for subaccount_id, (size, files) in removed.items():
        storage_usage.record(
            conn,
            account_id=account_id,
            subaccount_id=subaccount_id,
            storage_type=storage_type,
            day=day,
            removed=size,
            files_removed=files,
        )
    return [row.file_path for row in rows if row.file_path]


def remove(data_dir: Path, relatives: Iterable[str]) -> None:
    """Remove the files of deleted rows; one already gone is fine."""
    for relative in relatives:
        try:
            (data_dir / relative).unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove %s", relative, exc_info=True)
