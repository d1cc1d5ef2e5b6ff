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

from xmlengine.storage.columns import flag, number, text
from xmlengine.storage.did_tables import notify_columns
from xmlengine.storage.tables import metadata

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
    number("proxy_id"),
    text("host_type", 16, "dynamic"),
    text("host", 64),
    number("port"),
    text("password", 64),
    text("callerid_name", 32),
    text("callerid_mode", 16, "global"),
    text("callerid_type", 8, "rpid"),
    text("callerid_format", 16, "unaltered"),
    number("client_callerid_profile_id"),
    text("transport", 8, "udp"),
    text("codecs", 64, "ulaw,alaw,g729"),
    text("dtmf_mode", 16, "auto"),
    text("dnis_mode", 16, "auto"),
    text("dnis_format", 16, "national"),
    flag("force_ring_signal"),
    flag("enable_nat"),
    flag("enable_reinvite"),
    flag("ondemand_recording"),
    flag("enable_notification"),
    number("simultaneous_calls_limit"),
    flag("enable_auth"),
    text("auth_username", 32),
    flag("enable_qualify"),
    number("qualify"),
    text("default_ip", 64),
    number("client_channel_id"),
    text("client_filter_ids", 255),
    number("register_timeout"),
    number("progress_timeout"),
    Column("provisioned_endpoint_id", Integer, nullable=False, server_default="0"),
    text("comments", 1000),
    Column("metadata", Text, nullable=True),
    Column("updated_at", Float, nullable=True),
    Index("ix_peers_account", "account_id"),
)
