"""Tables of the account's own organisation: brands, subaccount associations and
addresses, channel groups (migration 0003)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table

from xmlengine.storage.tables import metadata

brands = Table(
    "brands",
    metadata,
    Column("client_brand_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True),
    Column("name", String(64), nullable=False),
    Column("is_default", Integer, nullable=False, server_default="0"),
    Column("created_at", Float, nullable=False),
)

# Which entities of other families belong to a subaccount: kind is "peer", "did",
# "extension", "fax_profile", "sms_profile" or "mailbox".
subaccount_associations = Table(
    "subaccount_associations",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column(
        "client_subaccount_id",
        Integer,
        ForeignKey("subaccounts.client_subaccount_id"),
        primary_key=True,
    ),
    Column("kind", String(16), primary_key=True),
    Column("entity_id", BigInteger, primary_key=True),
    Index("ix_subaccount_associations_account_kind_entity", "account_id", "kind", "entity_id"),
)

subaccount_addresses = Table(
    "subaccount_addresses",
    metadata,
    Column("client_address_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True),
    Column(
        "client_subaccount_id",
        Integer,
        ForeignKey("subaccounts.client_subaccount_id"),
        nullable=False,
        index=True,
    ),
    Column("type", String(16), nullable=False, server_default="billing"),
    Column("box_number", String(32), nullable=False, server_default=""),
    Column("civic_number", String(16), nullable=False),
    Column("street", String(120), nullable=False),
    Column("unit_number", String(16), nullable=False),
    Column("city", String(64), nullable=False),
    Column("country_id", Integer, nullable=False),
    Column("state_id", Integer, nullable=True),
    Column("state_other", String(64), nullable=False, server_default=""),
    Column("postal_code", String(16), nullable=False),
    Column("precision", String(64), nullable=False, server_default=""),
    Column("updated_at", Float, nullable=False),
)

channels = Table(
    "channels",
    metadata,
    Column("client_channel_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True),
    Column("friendly_name", String(32), nullable=False),
    Column("quantity_inbound", Integer, nullable=False),
    Column("quantity_outbound", Integer, nullable=False),
    Column("quantity_bidirectional", Integer, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)
