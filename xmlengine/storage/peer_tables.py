"""The account's peers (SIP accounts and trunks): `update_peer`'s settings (migrations 0006
and 0008).

`username` is the peer's SIP username (`peer_username`), unique across the service as
the switch needs it. Lists (`codecs`, `client_filter_ids`, `notify_callback_triggers`)
are kept as the guide's comma-separated text; `sandbox` marks the peer the sandbox
network's traffic generator calls out from. The subaccount a peer belongs to is a row
of `subaccount_associations` (kind "peer"), not a column.
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
    false,
)

from xmlengine.storage.did_tables import notify_columns
from xmlengine.storage.tables import metadata


def _flag(name: str) -> Column[bool]:
    return Column(name, Boolean, nullable=False, server_default=false())


def _text(name: str, length: int, default: str = "") -> Column[str]:
    return Column(name, String(length), nullable=False, server_default=default)


def _number(name: str) -> Column[int]:
    return Column(name, Integer, nullable=True)


peers = Table(
    "peers",
    metadata,
    Column("client_peer_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("username", String(64), nullable=False, unique=True),
    Column("friendly_name", String(64), nullable=False, server_default=""),
    Column("callerid_number", String(20), nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("sandbox", Boolean, nullable=False, server_default=false()),
    Column("created_at", Float, nullable=False),
    *notify_columns(),
    # 0008: the rest of update_peer.
    _number("proxy_id"),
    _text("host_type", 16, "dynamic"),
    _text("host", 64),
    _number("port"),
    _text("password", 64),
    _text("callerid_name", 32),
    _text("callerid_mode", 16, "global"),
    _text("callerid_type", 8, "rpid"),
    _text("callerid_format", 16, "unaltered"),
    _number("client_callerid_profile_id"),
    _text("transport", 8, "udp"),
    _text("codecs", 64, "ulaw,alaw,g729"),
    _text("dtmf_mode", 16, "auto"),
    _text("dnis_mode", 16, "auto"),
    _text("dnis_format", 16, "national"),
    _flag("force_ring_signal"),
    _flag("enable_nat"),
    _flag("enable_reinvite"),
    _flag("ondemand_recording"),
    _flag("enable_notification"),
    _number("simultaneous_calls_limit"),
    _flag("enable_auth"),
    _text("auth_username", 32),
    _flag("enable_qualify"),
    _number("qualify"),
    _text("default_ip", 64),
    _number("client_channel_id"),
    _text("client_filter_ids", 255),
    _number("register_timeout"),
    _number("progress_timeout"),
    Column("provisioned_endpoint_id", Integer, nullable=False, server_default="0"),
    _text("comments", 1000),
    Column("metadata", Text, nullable=True),
    Column("updated_at", Float, nullable=True),
    Index("ix_peers_account", "account_id"),
)
