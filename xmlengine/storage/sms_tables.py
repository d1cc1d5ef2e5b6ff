"""SMS and MMS: the message log, the SMS profiles, and the daily rollups of get_sms_stats
(migration 0017)."""

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
    Text,
)

from xmlengine.storage.tables import metadata

sms_messages = Table(
    "sms_messages",
    metadata,
    Column("sms_log_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=True),  # the DID's, when it was logged
    Column("sms_hash", String(36), nullable=False, unique=True),  # UUID form
    Column("client_did_id", Integer, nullable=True),
    Column("direction", String(8), nullable=False),  # inbound, outbound
    Column("message_type", String(3), nullable=False),  # sms, mms
    Column("source_number", String(20), nullable=False),
    Column("destination_number", String(20), nullable=False),
    Column("message", Text, nullable=False, server_default=""),
    Column("segments", Integer, nullable=False, server_default="1"),
    # The attachment of an MMS: its file (relative to the data directory), size and type.
    Column("attachment_path", String(255), nullable=False, server_default=""),
    Column("attachment_name", String(255), nullable=False, server_default=""),
    Column("attachment_size", Integer, nullable=False, server_default="0"),
    Column("attachment_mime_type", String(128), nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("transmission_status", String(16), nullable=False, server_default="pending"),
    Column("retry_limit", Integer, nullable=False, server_default="0"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("billed_amount", Float, nullable=False, server_default="0"),  # CAD
    Column("created_at", Float, nullable=False),
    Column("transmitted_at", Float, nullable=True),
    Column("deleted_at", Float, nullable=True),
    Index("ix_sms_messages_account_id_created_at", "account_id", "created_at", "sms_log_id"),
)

sms_profiles = Table(
    "sms_profiles",
    metadata,
    Column("client_sms_profile_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("friendly_name", String(32), nullable=False, server_default=""),
    Column("language", String(2), nullable=False, server_default=""),
    Column("allowed_senders", Text, nullable=False, server_default=""),
    Column("notify_name", String(255), nullable=False, server_default=""),
    Column("notify_email", String(255), nullable=False, server_default=""),
    Column("forward_number", String(20), nullable=False, server_default=""),
    Column("callback_url", String(2048), nullable=False, server_default=""),
    Column("backup_url", String(2048), nullable=False, server_default=""),
    Column("autoreply_message", String(160), nullable=False, server_default=""),
    Column("client_did_id", Integer, nullable=True),
    Column("options", String(255), nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("comments", Text, nullable=False, server_default=""),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=True),
)

# Messages and segments per account, day (of its time zone), subaccount (0: the main
# account) and message type, written in the transaction of each message.
sms_daily = Table(
    "sms_daily",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("client_subaccount_id", Integer, primary_key=True),
    Column("message_type", String(16), primary_key=True),  # sms_inbound, ..., mms_outbound
    Column("messages", Integer, nullable=False, server_default="0"),
    Column("segments", Integer, nullable=False, server_default="0"),
    Column("billed_amount", Float, nullable=False, server_default="0"),
)
