"""The SQL tables (SQLAlchemy Core). Every account-owned table has an `account_id` column."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("account_id", BigInteger, primary_key=True, autoincrement=False),  # client_account_id
    Column("company", String(120), nullable=False, server_default=""),
    Column("first_name", String(60), nullable=False, server_default=""),
    Column("last_name", String(60), nullable=False, server_default=""),
    Column("email", String(255), nullable=False),
    Column("language", String(2), nullable=False, server_default="en"),
    Column("currency", String(3), nullable=False, server_default="CAD"),
    Column("time_zone", String(64), nullable=False, server_default="America/Montreal"),
    Column("callerid_name", String(15), nullable=False, server_default=""),
    Column("callerid_number", String(20), nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("created_at", Float, nullable=False),  # epoch seconds
)

users = Table(
    "users",
    metadata,
    Column("client_user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("username", String(64), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False),  # sha256 of the auth token, never the token
    Column("first_name", String(60), nullable=False, server_default=""),
    Column("last_name", String(60), nullable=False, server_default=""),
    Column("email", String(255), nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("created_at", Float, nullable=False),
    Index("ix_users_account_token", "account_id", "token_hash"),
)

subaccounts = Table(
    "subaccounts",
    metadata,
    Column("client_subaccount_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True),
    Column("friendly_name", String(32), nullable=False),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("created_at", Float, nullable=False),
    # The settings of update_subaccount (migration 0003).
    Column("client_brand_id", Integer, nullable=True),
    Column("custom_id", String(64), nullable=False, server_default=""),
    Column("call_limit", Integer, nullable=True),
    Column("allow_international_call", Boolean, nullable=False, server_default=false()),
    Column("international_call_limit", Integer, nullable=False, server_default="1"),
    Column("require_international_nip", Boolean, nullable=False, server_default=false()),
    Column("international_nip", String(255), nullable=False, server_default=""),
    Column("multi_tenancy_mode", String(16), nullable=False, server_default="disabled"),
    Column("multi_tenancy_subaccount_id", Integer, nullable=True),
    Column("organization", String(120), nullable=False, server_default=""),
    Column("organization_type", String(16), nullable=False, server_default=""),
    Column("client_profile", String(32), nullable=False, server_default="undefined"),
    Column("voice_language", String(2), nullable=False, server_default=""),
    Column("notification_language", String(2), nullable=False, server_default=""),
    Column("callerid_name", String(15), nullable=False, server_default=""),
    Column("callerid_number", String(20), nullable=False, server_default=""),
    Column("client_moh_profile_id", Integer, nullable=True),
    Column("default_provisioned_endpoint_id", Integer, nullable=True),
    Column("options", String(255), nullable=False, server_default=""),
    Column("comments", Text, nullable=False, server_default=""),
    Column("metadata", Text, nullable=True),
    Column("updated_at", Float, nullable=True),
)

abuse_notifications = Table(
    "abuse_notifications",
    metadata,
    Column("abuse_notification_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True),
    Column("pool", String(32), nullable=False),
    Column("hour_start", BigInteger, nullable=False),  # epoch seconds of the clock hour
    Column("budget", Integer, nullable=False),
    Column("email", String(255), nullable=False),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("account_id", "pool", "hour_start"),
)
