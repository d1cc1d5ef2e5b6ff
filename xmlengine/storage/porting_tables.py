"""Port requests and their uploaded documents (migration 0013).

Lists the guide takes comma-separated (`phone_numbers`, `features`, `capacity`,
`extra_recipients`) are kept as that text. A port request's subaccount is an association
(`subaccount_associations`, kind `port_request`), not a column. A document is one file
under the data directory, at most one per kind (`loa`, `bill`, `other`).
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

from xmlengine.storage.columns import text
from xmlengine.storage.tables import metadata

port_requests = Table(
    "port_requests",
    metadata,
    Column("port_request_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    text("friendly_name", 60),
    text("phone_number_type", 16),
    Column("phone_numbers", Text, nullable=False, server_default=""),
    Column("phone_numbers_to_keep", Text, nullable=False, server_default=""),
    Column("phone_numbers_to_cancel", Text, nullable=False, server_default=""),
    text("features", 32),
    text("capacity", 64),
    Column("requested_firm_date", Date, nullable=True),
    Column("firm_date", Date, nullable=True),  # chosen when the provider confirms
    text("organization", 60),
    text("organization_type", 16),
    text("current_provider", 60),
    text("current_reseller", 60),
    text("current_reseller_account", 60),
    text("box_number", 20),
    Column("civic_number", BigInteger, nullable=True),
    text("street", 255),
    Column("unit_number", BigInteger, nullable=True),
    text("city", 255),
    Column("country_id", Integer, nullable=True),
    Column("state_id", Integer, nullable=True),
    text("state_other", 64),
    text("postal_code", 12),
    Column("client_instructions", Text, nullable=False, server_default=""),
    Column("is_notify_creation", Integer, nullable=False, server_default="0"),
    text("notification_client_user_id", 8),
    Column("extra_recipients", Text, nullable=False, server_default=""),
    text("status", 24),
    Column("comments", Text, nullable=False, server_default=""),
    Column("metadata", Text, nullable=True),
    Column("sent_at", Float, nullable=True),  # last sent to staff
    Column("status_at", Float, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_port_requests_account", "account_id", "status"),
)

port_documents = Table(
    "port_documents",
    metadata,
    Column("port_document_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("port_request_id", Integer, nullable=False),
    Column("client_subaccount_id", Integer, nullable=True),  # whose storage counts it
    text("kind", 8),  # loa, bill, other
    Column("document_hash", String(32), nullable=False),
    text("filename", 255),
    text("content_type", 128),
    Column("file_path", String(255), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("created_at", Float, nullable=False),
    Index("ix_port_documents_request", "account_id", "port_request_id", "kind", unique=True),
    Index("ix_port_documents_hash", "document_hash", unique=True),
)
