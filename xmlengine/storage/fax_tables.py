"""Fax profiles and the faxes they send and receive (migration 0020).

A profile's subaccount is a row of `subaccount_associations` (kind "fax_profile"), as
for every family. A fax keeps the subaccount and profile it had when it was sent or
received, so that deleting a profile leaves its history whole. `call_hash` names a fax
everywhere: the `queued_fax_hash` of queue_fax, the download of its document, and the
call that carried it in get_calls. The rendered document (PDF) lives under the data
directory; `file_path` is relative to it and empty once the fax is deleted.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from xmlengine.storage.columns import text
from xmlengine.storage.tables import metadata

fax_profiles = Table(
    "fax_profiles",
    metadata,
    Column("client_fax_profile_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    text("friendly_name", 32),
    text("local_ident", 20),
    text("fax_header", 20),
    text("callerid_name", 15),
    text("callerid_number", 20),
    text("contact_name", 60),
    text("email", 255),
    text("language", 2, "en"),
    Column("allowed_senders", Text, nullable=False, server_default=""),  # `a@x.com,b@y.com`
    Column("retry_limit", Integer, nullable=False, server_default="2"),
    text("page_format", 8, "letter"),
    text("resolution", 16, "standard"),
    text("callback_url", 2048),
    text("backup_url", 2048),
    text("options", 512),  # the guide's options, comma separated
    text("status", 16, "enabled"),
    Column("comments", Text, nullable=False, server_default=""),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_fax_profiles_account", "account_id"),
)

call_faxes = Table(
    "call_faxes",
    metadata,
    Column("call_fax_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=True),
    Column("client_fax_profile_id", Integer, nullable=True),
    Column("client_did_id", Integer, nullable=True),  # the DID an inbound fax reached
    Column("call_hash", String(32), nullable=False, unique=True),
    # queue_fax's `unique_id`: one fax per profile and id, however often it is sent.
    Column("unique_id", String(64), nullable=True),
    text("direction", 8),  # inbound, outbound
    text("source_number", 20),
    text("destination_number", 20),
    text("name_from", 60),
    text("email_from", 255),
    text("page_format", 8),
    text("resolution", 16),
    Column("pages", Integer, nullable=False, server_default="0"),
    Column("size", BigInteger, nullable=False, server_default="0"),  # bytes of the document
    text("file_path", 255),  # the rendered document, under the data directory
    text("status", 16, "enabled"),  # enabled, deleted, purged
    # pending, processing, completed, failed, cancelled, paused
    text("transmission_status", 16, "pending"),
    text("transmission_reason", 64),  # why it failed: busy, no answer, ...
    Column("retry_limit", Integer, nullable=False, server_default="0"),
    Column("retry_count", Integer, nullable=False, server_default="0"),
    Column("created_at", Float, nullable=False),
    Column("scheduled_at", Float, nullable=True),  # queue_fax's datetime_scheduled
    Column("transmitted_at", Float, nullable=True),  # when it completed or failed
    Column("deleted_at", Float, nullable=True),
    Column("comments", Text, nullable=False, server_default=""),  # given on deletion
    UniqueConstraint("account_id", "client_fax_profile_id", "unique_id"),
    Index("ix_call_faxes_account_created", "account_id", "created_at"),
)
