"""The account's phone numbers (DIDs), with the call notify settings of `update_did`
(migration 0006); the peers are in `peer_tables`.

Only what the call notifications and the sandbox network need is kept so far; the DID
family adds its other settings when it is built. `notify_triggers` is the
guide's comma-separated list (`on_create,on_ring,...`); `sandbox` marks a number that the
sandbox network's traffic generator calls.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    false,
)

from xmlengine.storage.tables import metadata


def notify_columns() -> list[Column[object]]:
    return [
        Column("enable_notify_callback", Boolean, nullable=False, server_default=false()),
        Column("notify_callback_url", String(1024), nullable=False, server_default=""),
        Column("notify_callback_triggers", String(128), nullable=False, server_default=""),
        Column("enable_recording", Boolean, nullable=False, server_default=false()),
    ]


dids = Table(
    "dids",
    metadata,
    Column("client_did_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("phone_number", String(20), nullable=False),  # digits only
    Column("client_subaccount_id", Integer, nullable=True),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("sandbox", Boolean, nullable=False, server_default=false()),
    Column("created_at", Float, nullable=False),
    *notify_columns(),
    Column("client_mailbox_id", Integer, nullable=True),  # its voicemail (migration 0009)
    Index("ix_dids_account_number", "account_id", "phone_number", unique=True),
    Index("ix_dids_sandbox", "sandbox", "status"),
)
