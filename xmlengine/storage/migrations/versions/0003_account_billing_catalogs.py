"""Subaccount settings, brands, associations, addresses, channels, billing, catalogs.

Revision ID: 0003
Revises: 0001
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from xmlengine.reference import catalogs
from xmlengine.storage import account_tables, billing_tables, catalog_tables

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

SUBACCOUNT_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("client_brand_id", sa.Integer(), nullable=True),
    sa.Column("custom_id", sa.String(64), server_default="", nullable=False),
    sa.Column("call_limit", sa.Integer(), nullable=True),
    sa.Column("allow_international_call", sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column("international_call_limit", sa.Integer(), server_default="1", nullable=False),
    sa.Column("require_international_nip", sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column("international_nip", sa.String(255), server_default="", nullable=False),
    sa.Column("multi_tenancy_mode", sa.String(16), server_default="disabled", nullable=False),
    sa.Column("multi_tenancy_subaccount_id", sa.Integer(), nullable=True),
    sa.Column("organization", sa.String(120), server_default="", nullable=False),
    sa.Column("organization_type", sa.String(16), server_default="", nullable=False),
    sa.Column("client_profile", sa.String(32), server_default="undefined", nullable=False),
    sa.Column("voice_language", sa.String(2), server_default="", nullable=False),
    sa.Column("notification_language", sa.String(2), server_default="", nullable=False),
    sa.Column("callerid_name", sa.String(15), server_default="", nullable=False),
    sa.Column("callerid_number", sa.String(20), server_default="", nullable=False),
    sa.Column("client_moh_profile_id", sa.Integer(), nullable=True),
    sa.Column("default_provisioned_endpoint_id", sa.Integer(), nullable=True),
    sa.Column("options", sa.String(255), server_default="", nullable=False),
    sa.Column("comments", sa.Text(), server_default="", nullable=False),
    sa.Column("metadata", sa.Text(), nullable=True),
    sa.Column("updated_at", sa.Float(), nullable=True),
)

NEW_TABLES = (
    account_tables.brands,
    account_tables.subaccount_associations,
    account_tables.subaccount_addresses,
    account_tables.channels,
    catalog_tables.rates,
    catalog_tables.plan_groups,
    catalog_tables.plans,
    catalog_tables.proxies,
    catalog_tables.network_status,
    catalog_tables.devices,
    billing_tables.billing_accounts,
    billing_tables.usage_charges,
    billing_tables.billing_transactions,
    billing_tables.reseller_transactions,
    billing_tables.reseller_invoices,
)


def upgrade() -> None:
    for column in SUBACCOUNT_COLUMNS:
        op.add_column("subaccounts", column)
    bind = op.get_bind()
    for table in NEW_TABLES:
        table.create(bind)
    for name in catalogs.ORDER:
        op.bulk_insert(getattr(catalog_tables, name), catalogs.shipped(name))


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        table.drop(op.get_bind())
    with op.batch_alter_table("subaccounts") as batch:
        for column in reversed(SUBACCOUNT_COLUMNS):
            batch.drop_column(column.name)
