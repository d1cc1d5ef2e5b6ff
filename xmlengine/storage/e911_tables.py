"""E911 endpoints and 411 directory listings (migration 0017).

An endpoint is the emergency address provisioned for one of the account's numbers; a
peer is associated to one through `peers.provisioned_endpoint_id`, which also holds the
guide's settings 0 to 3, so endpoint ids start at 4
(the migration sets the counter). A directory listing is kept after
it is deleted (`status` "deleted"), as get_whitepages can list deleted ones. Neither
names its DID by foreign key: a DID's row gives way when its number comes back
(`domain/dids.add`), and releasing a DID removes its links (`domain/e911.release_did`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, Table

from xmlengine.storage.columns import number, text
from xmlengine.storage.tables import metadata


def address_columns() -> list[Column[Any]]:
    """The civic address of check_e911, update_e911 and update_whitepages."""
    return [
        Column("civic_number", BigInteger, nullable=False),
        text("street", 255),
        text("city", 255),
        Column("state_id", Integer, nullable=False),
        Column("country_id", Integer, nullable=False),
        text("postal_code", 12),
        text("address_type", 16),
        text("address_type_number", 32),
    ]


e911_endpoints = Table(
    "e911_endpoints",
    metadata,
    Column("client_endpoint_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    number("client_did_id"),
    text("phone_number", 20),
    text("full_name", 32),
    text("first_name", 32),
    text("last_name", 32),
    *address_columns(),
    text("e911_language", 2),
    number("rate_provider_id"),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_e911_endpoints_account_number", "account_id", "phone_number", unique=True),
    sqlite_autoincrement=True,
)

whitepages_listings = Table(
    "whitepages_listings",
    metadata,
    Column("client_411_listing_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    number("client_did_id"),
    text("phone_number", 20),
    text("type", 16),
    text("sort_word", 30),
    text("sub_word", 106),
    *address_columns(),
    text("provision_status", 16, "activated"),
    text("status", 16, "enabled"),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Index("ix_whitepages_listings_account_number", "account_id", "phone_number", "status"),
)
