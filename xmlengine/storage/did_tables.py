"""The account's phone numbers (DIDs) with every setting of `update_did` (migrations 0006,
0009 and 0014); the peers are in `peer_tables`.

Lists (`client_peer_ids`, `client_queue_ids`, `client_filter_ids`,
`notify_callback_triggers`, `options`) are kept as the guide's comma-separated text;
`options` holds the options without a column of their own (`enable_notify_callback`,
`enable_recording` and `ondemand_recording` have one: the sandbox calls read them).
`sandbox` marks a number that the sandbox network's traffic generator calls. The
subaccount a DID belongs to is a row of `subaccount_associations` (kind "did").
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

from xmlengine.storage.columns import number, text
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
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("sandbox", Boolean, nullable=False, server_default=false()),
    Column("created_at", Float, nullable=False),
    *notify_columns(),
    Column("client_mailbox_id", Integer, nullable=True),  # its voicemail (migration 0009)
    # 0014: the rest of update_did.
    text("friendly_name", 32),
    text("forward_number", 20),
    text("forward_timeout", 8),
    text("send_dtmf", 64),
    text("voice_language", 2),
    number("client_ivr_profile_id"),
    number("client_fax_profile_id"),
    number("client_director_profile_id"),
    number("client_sms_profile_id"),
    text("client_peer_ids", 255),
    text("peer_timeout", 8),
    text("peer_contact_mode", 16),
    text("client_queue_ids", 255),
    text("bridge_uri", 240),
    number("client_conference_profile_id"),
    Column("ondemand_recording", Boolean, nullable=False, server_default=false()),
    text("dnis_rewrite", 30),
    text("client_filter_ids", 255),
    number("announce_media_file_id"),
    number("monitor_media_file_id"),
    number("confirm_media_file_id"),
    text("callerid_name_rewrite", 15),
    text("callerid_number_rewrite", 20),
    text("sms_notify_email", 255),
    text("sms_forward_number", 15),
    text("sms_callback_url", 1024),
    text("sms_autoreply_message", 160),
    number("client_channel_id"),
    number("simultaneous_calls_limit"),
    text("type", 16, "local"),
    text("usage_type", 16, "default"),
    text("recording_notify_recipient_name", 255),
    text("recording_notify_recipient_email", 255),
    text("peer_failover_causes", 240),
    text("pickup_group_ids", 64),
    text("sms_dnis_rewrite", 30),
    Column("exclude_e411_list", Integer, nullable=False, server_default="0"),
    Column("exclude_e911_list", Integer, nullable=False, server_default="0"),
    text("options", 512),
    text("comments", 1000),
    Column("metadata", Text, nullable=True),
    Column("updated_at", Float, nullable=True),
    Index("ix_dids_account_number", "account_id", "phone_number", unique=True),
    Index("ix_dids_sandbox", "sandbox", "status"),
)
