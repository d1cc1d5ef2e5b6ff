"""Tables of what calls leave behind: recordings, voicemails, the issues reported on calls,
and the daily storage rollups that answer get_storage_stats (migration 0005).

Dates are kept as epoch seconds and shown in the account's time zone; a rollup's `day`
is already a day of the account's time zone.
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
    Text,
)

from xmlengine.storage.tables import metadata

call_recordings = Table(
    "call_recordings",
    metadata,
    Column("call_recording_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=True),
    Column("recording_hash", String(36), nullable=False, unique=True),  # UUID form
    Column("call_hash", String(32), nullable=False),  # the call it belongs to
    Column("created_at", Float, nullable=False),
    Column("duration", Integer, nullable=False),  # seconds
    Column("size", BigInteger, nullable=False),  # bytes of the audio file
    Column("status", String(16), nullable=False),  # unverified, verified, deleted
    Column("file_path", String(255), nullable=False, server_default=""),  # under the data dir
    Column("audio_format", String(8), nullable=False, server_default="wav"),
    Column("deleted_at", Float, nullable=True),
    Column("comments", Text, nullable=False, server_default=""),  # given on deletion
    Index("ix_call_recordings_account_created", "account_id", "created_at"),
    Index("ix_call_recordings_account_call", "account_id", "call_hash"),
)

call_voicemails = Table(
    "call_voicemails",
    metadata,
    Column("call_voicemail_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=True),
    Column("client_mailbox_id", Integer, nullable=True),
    # Kept in the 32-hex form; the UUID form of the same value is matched by dropping dashes.
    Column("voicemail_hash", String(32), nullable=False, unique=True),
    Column("call_hash", String(32), nullable=True),
    Column("callerid_name", String(64), nullable=False, server_default=""),
    Column("callerid_number", String(20), nullable=False, server_default=""),
    Column("destination", String(20), nullable=False, server_default=""),
    Column("created_at", Float, nullable=False),
    Column("duration", Integer, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("folder", String(16), nullable=False, server_default="INBOX"),  # INBOX, Old, Urgent
    Column("status", String(16), nullable=False),  # new, read, deleted
    Column("file_path", String(255), nullable=False, server_default=""),
    Column("audio_format", String(8), nullable=False, server_default="wav"),
    Column("deleted_at", Float, nullable=True),
    Column("comments", Text, nullable=False, server_default=""),
    Index("ix_call_voicemails_account_created", "account_id", "created_at"),
    Index("ix_call_voicemails_account_subaccount", "account_id", "client_subaccount_id"),
)

call_issues = Table(
    "call_issues",
    metadata,
    Column("call_issue_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=True),  # the call's
    Column("call_hash", String(32), nullable=False),
    Column("issue_type_id", Integer, nullable=False),
    Column("kayako_ticket_id", String(13), nullable=False, server_default=""),
    Column("comments", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("created_at", Float, nullable=False),
    Index("ix_call_issues_account_call", "account_id", "call_hash"),
)

# Bytes and files added and removed per account, subaccount (0: the main account), storage
# type and day; written in the transaction of each change, never rebuilt by scanning.
storage_daily = Table(
    "storage_daily",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), primary_key=True),
    Column("client_subaccount_id", Integer, primary_key=True),
    Column("storage_type", String(24), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("bytes_added", BigInteger, nullable=False, server_default="0"),
    Column("bytes_removed", BigInteger, nullable=False, server_default="0"),
    Column("files_added", Integer, nullable=False, server_default="0"),
    Column("files_removed", Integer, nullable=False, server_default="0"),
)
