"""What every kind of stored file shares (recordings, voicemails, media files, fax
documents): where its files live, how one is found by its hash, how it is deleted.

Each kind is one `StoredMedia`. Files live under
`<data_dir>/media/<account_id>/<kind>/<name>.<extension>` (audio is `.wav`, a fax
`.pdf`); rows keep the path relative to the data directory. Deleting marks the rows
`deleted`, records the bytes removed in the storage rollups and queues the removal of
the files, all in the caller's transaction: the worker removes them once it commits
(work/file_removal.py), so a change that rolls back never loses a file the database
still lists.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Row, Table

from xmlengine.domain import storage_usage
from xmlengine.storage.account_scope import AccountScope
from xmlengine.work.file_removal import enqueue_removal

DELETED = "deleted"


@dataclass(frozen=True, slots=True)
class StoredMedia:
    """One kind of stored file: its folder, its table and columns, its storage type."""

    kind: str  # the folder under the account's media ("recordings")
    table: Table
    id_column: str
    hash_column: str
    storage_type: str  # guide, "Storage types"
    # A hash as given (UUID or plain form, any case) -> as stored.
    stored_hash: Callable[[str], str] = str.lower
    extension: str = "wav"

    def relative_path(self, account_id: int, name: str) -> Path:
        return Path("media") / str(account_id) / self.kind / f"{name}.{self.extension}"

    def live(self, acct: AccountScope, media_hash: str) -> Row[Any] | None:
        """The account's row of `media_hash`; None if unknown, another account's or deleted."""
        column = self.table.c[self.hash_column]
        query = acct.select(self.table).where(
            column == self.stored_hash(media_hash), self.table.c.status != DELETED
        )
        return acct.execute(query).first()

    def audio(self, acct: AccountScope, media_hash: str) -> Path | None:
        """The file of `media_hash` (a declared download's `find`)."""
        row = self.live(acct, media_hash)
        return acct.settings.data_dir / row.file_path if row and row.file_path else None

    def delete(self, acct: AccountScope, rows: Sequence[Row[Any]], comments: str) -> list[int]:
        """Delete `rows` (those not deleted yet), their files after the commit; the ids."""
        live = [row for row in rows if row.status != DELETED]
        now = acct.clock.now()
        files = _discard(
            acct,
            self.table,
            self.id_column,
            live,
            storage_type=self.storage_type,
            now=now,
            comments=comments,
        )
        if files:
            enqueue_removal(acct, paths=files)
        return [getattr(row, self.id_column) for row in live]


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
