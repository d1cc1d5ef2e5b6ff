"""The account's phone numbers (DIDs) and SIP accounts (peers), with the call notify
settings of `update_did` and `update_peer` (migration 0006).

Only what the call notifications and the sandbox network need is kept so far; the DID
and peer families add their other settings when they are built. `notify_triggers` is the
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


def _notify_columns() -> list[Column[object]]:
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
    *_notify_columns(),
    Column("client_mailbox_id", Integer, nullable=True),  # its voicemail (migration 0008)
    Index("ix_dids_account_number", "account_id", "phone_number", unique=True),
    Index("ix_dids_sandbox", "sandbox", "status"),
)

peers = Table(
    "peers",
    metadata,
    Column("client_peer_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("username", String(64), nullable=False, unique=True),
    Column("friendly_name", String(64), nullable=False, server_default=""),
    Column("callerid_number", String(20), nullable=False, server_default=""),
    Column("client_subaccount_id", Integer, nullable=True),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("sandbox", Boolean, nullable=False, server_default=false()),
    Column("created_at", Float, nullable=False),
    *_notify_columns(),
    # Migration 0009: the SIP secret a provisioning file carries, and the device endpoint
    # update_peer's `provisioned_endpoint_id` names (its settings 0 to 3 are not endpoints).
    Column("password", String(32), nullable=False, server_default=""),
    Column(
        "provisioned_endpoint_id",
        Integer,
        ForeignKey("device_endpoints.client_device_endpoint_id", ondelete="SET NULL"),
        nullable=True,
    ),
    Index("ix_peers_account", "account_id"),
)
