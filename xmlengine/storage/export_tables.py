"""Bulk exports (migration 0018): one row per export, its file kept under the data
directory (domain/exports/).

`period_start` and `period_end` are the epoch bounds of the records exported (the local
days asked for, the end no later than when it was queued); no start: the whole history.
The worker writes the file in batches and commits after each one the keyset position of
the last record written (`cursor_at`, `cursor_key`) with the bytes and rows the file
holds, so that a restart truncates the file to `size` and goes on from there.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from xmlengine.storage.tables import metadata

exports = Table(
    "exports",
    metadata,
    Column("export_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("export_hash", String(32), nullable=False, unique=True),  # names the download
    Column("subject", String(16), nullable=False),  # calls, recordings, ...
    Column("format", String(8), nullable=False),  # csv, jsonl
    Column("client_subaccount_id", Integer, nullable=True),  # the filter; none: every record
    Column("date_from", Date, nullable=True),  # as asked, days of the account's time zone
    Column("date_to", Date, nullable=True),
    Column("period_start", Float, nullable=True),
    Column("period_end", Float, nullable=False),
    # How values are written: the request's language and currency, where the API answered.
    Column("language", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("exchange_rate", Float, nullable=False),
    Column("base_url", String(255), nullable=False, server_default=""),
    Column("callback_url", String(2048), nullable=False, server_default=""),
    # queued, running, completed, failed, expired, deleted
    Column("status", String(16), nullable=False),
    Column("progress", Integer, nullable=False, server_default="0"),  # percent
    Column("rows_total", BigInteger, nullable=True),  # counted when the export starts
    Column("rows", BigInteger, nullable=False, server_default="0"),  # written so far
    Column("size", BigInteger, nullable=False, server_default="0"),  # bytes written so far
    Column("cursor_at", Float, nullable=True),
    Column("cursor_key", BigInteger, nullable=True),
    Column("sha256", String(64), nullable=False, server_default=""),
    Column("file_path", String(255), nullable=False, server_default=""),  # under the data dir
    Column("error", String(255), nullable=False, server_default=""),
    Column("created_at", Float, nullable=False),
    Column("started_at", Float, nullable=True),
    Column("completed_at", Float, nullable=True),
    Column("expires_at", Float, nullable=True),
    Column("deleted_at", Float, nullable=True),
    Index("ix_exports_account_created", "account_id", "created_at"),
)
