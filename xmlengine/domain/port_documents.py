"""The documents of a port request: a letter of authorization, a bill, one other file.

One file of each kind at most, kept under `<data_dir>/ports/<account_id>/` with a name
of its own, so that replacing a document never overwrites a file a removal still waits
on. Every file added or replaced is recorded in the `medias_size` storage rollups (the
guide's storage type for files the account uploads) in the same transaction, and the old
file is removed through the outbox once the change commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from sqlalchemy import Row

from xmlengine.domain import storage_usage
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.porting_tables import port_documents as table
from xmlengine.work.file_removal import enqueue_removal

KINDS = ("loa", "bill", "other")
STORAGE_TYPE = "medias_size"
SIZE_LIMIT = 10 * 1024 * 1024  # bytes of one document


class Uploaded(Protocol):
    """A file of a multipart body."""

    filename: str | None
    content_type: str | None
    file: BinaryIO


Contents = dict[str, tuple[Uploaded, bytes]]  # kind -> the upload and its bytes


def read(uploads: Mapping[str, list[Any] | None]) -> tuple[Contents, list[str]]:
    """The documents uploaded (one file per kind), and the codes of those refused."""
    contents: Contents = {}
    refused = []
    for kind, files in uploads.items():
        if not files:
            continue
        data = files[0].file.read(SIZE_LIMIT + 1) if len(files) == 1 else b""
        if not data or len(data) > SIZE_LIMIT:
            refused.append(f"{kind}_invalid")
        else:
            contents[kind] = (files[0], data)
    return contents, refused


def store(
    acct: AccountScope, port_request_id: int, contents: Contents, *, subaccount_id: int | None
) -> None:
    """Keep the documents read, each replacing the one of its kind."""
    current = {row.kind: row for row in documents(acct, [port_request_id])}
    for kind, (upload, data) in contents.items():
        if kind in current:
            _discard(acct, current[kind])
        _add(acct, port_request_id, kind, upload, data, subaccount_id)


def _add(
    acct: AccountScope,
    port_request_id: int,
    kind: str,
    upload: Uploaded,
    data: bytes,
    subaccount_id: int | None,
) -> None:
    document_hash = uuid.uuid4().hex
    relative = Path("ports") / str(acct.account_id) / f"{document_hash}.bin"
    path = acct.settings.data_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    now = acct.clock.now()
    storage_usage.record(
        acct,
        subaccount_id=subaccount_id,
        storage_type=STORAGE_TYPE,
        at=now,
        added=len(data),
        files_added=1,
    )
    acct.execute(
        acct.insert(table).values(
            port_request_id=port_request_id,
            client_subaccount_id=subaccount_id,
            kind=kind,
            document_hash=document_hash,
            filename=Path(upload.filename or kind).name[:255],
            content_type=(upload.content_type or "application/octet-stream")[:128],
            file_path=str(relative),
            size=len(data),
            created_at=now,
        )
    )


def _discard(acct: AccountScope, row: Row[Any]) -> None:
    acct.execute(acct.delete(table).where(table.c.port_document_id == row.port_document_id))
    storage_usage.record(
        acct,
        subaccount_id=row.client_subaccount_id,  # where its bytes were counted
        storage_type=STORAGE_TYPE,
        at=acct.clock.now(),
        removed=row.size,
        files_removed=1,
    )
    enqueue_removal(acct, paths=[row.file_path])


def documents(acct: AccountScope, port_request_ids: list[int]) -> list[Row[Any]]:
    query = acct.select(table).where(table.c.port_request_id.in_(port_request_ids))
    return list(acct.execute(query.order_by(table.c.port_document_id)))


def document_file(acct: AccountScope, document_hash: str) -> Path | None:
    """One of the account's documents; None if unknown, foreign or replaced."""
    query = acct.select(table).where(table.c.document_hash == document_hash.lower())
    row = acct.execute(query).first()
    return None if row is None else acct.settings.data_dir / row.file_path
