"""E911 endpoints and 411 directory listings.

Endpoint ids start at 4: a peer's provisioned_endpoint_id holds an endpoint id or one of
the guide's settings 0 to 3 (the serial's sequence on PostgreSQL, the AUTOINCREMENT
counter on SQLite).

Revision ID: 0017
Revises: 0016
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

FIRST_ENDPOINT_ID = 4


def _text(name: str, length: int, default: str = "") -> sa.Column[str]:
    return sa.Column(name, sa.String(length), server_default=default, nullable=False)


def _address() -> list[sa.Column[Any]]:
    return [
        sa.Column("civic_number", sa.BigInteger(), nullable=False),
        _text("street", 255),
        _text("city", 255),
        sa.Column("state_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        _text("postal_code", 12),
        _text("address_type", 16),
        _text("address_type_number", 32),
    ]


def _account(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"], ["accounts.account_id"], name=op.f(f"fk_{table}_account_id_accounts")
    )


def upgrade() -> None:
    op.create_table(
        "e911_endpoints",
        sa.Column("client_endpoint_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_did_id", sa.Integer(), nullable=True),
        _text("phone_number", 20),
        _text("full_name", 32),
        _text("first_name", 32),
        _text("last_name", 32),
        *_address(),
        _text("e911_language", 2),
        sa.Column("rate_provider_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        _account("e911_endpoints"),
        sa.PrimaryKeyConstraint("client_endpoint_id", name=op.f("pk_e911_endpoints")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_e911_endpoints_account_number",
        "e911_endpoints",
        ["account_id", "phone_number"],
        unique=True,
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "INSERT INTO sqlite_sequence (name, seq)"
            f" VALUES ('e911_endpoints', {FIRST_ENDPOINT_ID - 1})"
        )
    else:
        op.execute(
            f"ALTER SEQUENCE e911_endpoints_client_endpoint_id_seq RESTART WITH {FIRST_ENDPOINT_ID}"
        )
    op.create_table(
        "whitepages_listings",
        sa.Column("client_411_listing_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_did_id", sa.Integer(), nullable=True),
        _text("phone_number", 20),
        _text("type", 16),
        _text("sort_word", 30),
        _text("sub_word", 106),
        *_address(),
        _text("provision_status", 16, "activated"),
        _text("status", 16, "enabled"),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        _account("whitepages_listings"),
        sa.PrimaryKeyConstraint("client_411_listing_id", name=op.f("pk_whitepages_listings")),
    )
    op.create_index(
        "ix_whitepages_listings_account_number",
        "whitepages_listings",
        ["account_id", "phone_number", "status"],
    )


def downgrade() -> None:
    op.drop_table("whitepages_listings")
    op.drop_table("e911_endpoints")
