"""Calls the API places (`dispatch_call`, `voicemail_broadcast`), from the request to
their end (migration 0021).

The request writes the row and its network job in one transaction; the network's reports
move `status` on (`queued`, `placed` once the network began it, `ended`) and log the
calls in the history, with the row's `metadata` and subaccount. `media_path` is the
audio fetched from a broadcast's `media_url`, removed once the broadcast ends.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from xmlengine.storage.tables import metadata

QUEUED = "queued"
PLACED = "placed"
ENDED = "ended"

queued_calls = Table(
    "queued_calls",
    metadata,
    Column("queued_call_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("call_hash", String(32), nullable=False, unique=True),  # queued_call_hash
    Column("kind", String(16), nullable=False),  # dispatch, broadcast: its network job's
    Column("client_subaccount_id", Integer, nullable=True),
    Column("status", String(16), nullable=False, server_default=QUEUED),
    Column("metadata", Text, nullable=True),  # meta_data, shown by get_calls
    Column("media_path", String(255), nullable=False, server_default=""),
    Column("created_at", Float, nullable=False),
    Column("ended_at", Float, nullable=True),
    Index("ix_queued_calls_account_created", "account_id", "created_at"),
)
