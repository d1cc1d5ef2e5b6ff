"""Voice mailboxes and the account's media files (migration 0009).

A mailbox's subaccount is not a column here: it is recorded once, in
`subaccount_associations` (kind `mailbox`). Its greeting is one of the account's media
files. A media file keeps its audio as a WAV file under the data directory (8 kHz mono
16-bit PCM) and the mailbox it was made for, whose deletion takes it along.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from xmlengine.storage.tables import metadata

mailboxes = Table(
    "mailboxes",
    metadata,
    Column("client_mailbox_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("friendly_name", String(32), nullable=False, server_default=""),
    Column("passcode", String(12), nullable=False, server_default=""),
    Column("email", String(255), nullable=False, server_default=""),
    Column("enable_mail_notification", Integer, nullable=False, server_default="0"),
    Column("contact_name", String(60), nullable=False, server_default=""),
    Column("enable_peer_notification", Integer, nullable=False, server_default="0"),
    Column("notification_peers", String(255), nullable=False, server_default=""),  # 1,2,3
    Column("notification_duration", Integer, nullable=False, server_default="0"),  # minutes
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("comments", Text, nullable=False, server_default=""),
    Column("greeting_media_file_id", Integer, nullable=True),
    Column("metadata", Text, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_mailboxes_account", "account_id"),
)

media_files = Table(
    "media_files",
    metadata,
    Column("client_media_file_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=True),  # the mailbox's when made
    Column("client_mailbox_id", Integer, nullable=True),  # the mailbox it was made for
    Column("media_hash", String(32), nullable=False, unique=True),  # names its download
    Column("friendly_name", String(32), nullable=False),
    Column("source", String(16), nullable=False),  # text_to_speech, post_file
    Column("voice_name", String(32), nullable=False, server_default=""),
    Column("duration", Float, nullable=False),  # seconds
    Column("size", BigInteger, nullable=False),  # bytes of the WAV file
    Column("file_path", String(255), nullable=False, server_default=""),  # under the data dir
    Column("audio_format", String(8), nullable=False, server_default="wav"),
    Column("status", String(16), nullable=False, server_default="active"),  # active, deleted
    Column("deleted_at", Float, nullable=True),
    Column("comments", Text, nullable=False, server_default=""),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_media_files_account", "account_id", "status"),
)
