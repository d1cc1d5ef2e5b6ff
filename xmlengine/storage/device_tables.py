"""Autoprovisioned device endpoints and the peers they carry (migration 0010).

A device endpoint is one SIP phone of the catalog's models (`devices`); its lines are
the account's peers, in order, each with an optional label (a peer's own
`provisioned_endpoint_id` is the guide's E911 provisioning setting, not a device
endpoint). `provisioning_secret` is the random
part of the provisioning file's URL: shown by get_device_endpoints, so kept as it is
and compared in constant time.
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
    Text,
)

from xmlengine.storage.tables import metadata

device_endpoints = Table(
    "device_endpoints",
    metadata,
    Column("client_device_endpoint_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("device_id", Integer, ForeignKey("devices.device_id"), nullable=False),
    Column("friendly_name", String(32), nullable=True),
    Column("device_name", String(64), nullable=True),
    Column("client_extension_id", Integer, nullable=True),
    Column("client_mailbox_id", Integer, nullable=True),
    Column("device_mac", String(12), nullable=True),  # 12 lowercase hex digits
    Column("serial_number", String(64), nullable=True),
    Column("timezone_id", String(64), nullable=True),
    Column("admin_password", String(64), nullable=True),
    Column("phone_password", String(64), nullable=True),
    Column("language", String(2), nullable=True),
    Column("is_time_format24h", Boolean, nullable=True),
    Column("is_vlan_enabled", Boolean, nullable=True),
    Column("vlan", Integer, nullable=True),
    Column("call_waiting", String(8), nullable=True),
    Column("call_forwarding", String(8), nullable=True),
    Column("button_config", Text, nullable=True),  # JSON text
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("comments", Text, nullable=True),
    Column("provisioning_secret", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_device_endpoints_account_mac", "account_id", "device_mac"),
)

device_endpoint_peers = Table(
    "device_endpoint_peers",
    metadata,
    Column("device_endpoint_peer_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column(
        "client_device_endpoint_id",
        Integer,
        ForeignKey("device_endpoints.client_device_endpoint_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("line", Integer, nullable=False),  # 1 for the first peer listed
    Column(
        "client_peer_id",
        Integer,
        ForeignKey("peers.client_peer_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("label", String(32), nullable=False, server_default=""),
    Index("ix_device_endpoint_peers_endpoint", "client_device_endpoint_id", "line", unique=True),
    Index("ix_device_endpoint_peers_peer", "client_peer_id"),
)
