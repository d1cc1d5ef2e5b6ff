"""Subaccount settings, brands, associations, addresses, channels, billing, catalogs.

Revision ID: 0003
Revises: 0002
"""

import csv
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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

# The catalogs as shipped with this revision, in loading order (a plan names its group).
# Their rows are frozen beside the migrations (seeds/0003/): later editions of the shipped
# catalogs reach a database through `xmlengine operator load-catalog`, never through here.
CATALOGS = (
    sa.table(
        "rates",
        sa.column("code", sa.String()),
        sa.column("destination", sa.String()),
        sa.column("country_id", sa.Integer()),
        sa.column("state_id", sa.Integer()),
        sa.column("rate", sa.Float()),
        sa.column("increment", sa.Integer()),
        sa.column("minimum", sa.Integer()),
    ),
    sa.table(
        "plan_groups", sa.column("plan_group_id", sa.Integer()), sa.column("name", sa.String())
    ),
    sa.table(
        "plans",
        sa.column("plan_id", sa.Integer()),
        sa.column("plan_group_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("description", sa.String()),
        sa.column("monthly_fee", sa.Float()),
        sa.column("setup_fee", sa.Float()),
        sa.column("channels", sa.Integer()),
        sa.column("minutes_included", sa.Integer()),
        sa.column("dids_included", sa.Integer()),
        sa.column("sms_included", sa.Integer()),
    ),
    sa.table(
        "proxies",
        sa.column("proxy_id", sa.Integer()),
        sa.column("name", sa.String()),
        sa.column("hostname", sa.String()),
        sa.column("ip_address", sa.String()),
        sa.column("port", sa.Integer()),
        sa.column("city", sa.String()),
        sa.column("country_id", sa.Integer()),
        sa.column("status", sa.String()),
    ),
    sa.table(
        "devices",
        sa.column("device_id", sa.Integer()),
        sa.column("make", sa.String()),
        sa.column("model", sa.String()),
        sa.column("lines", sa.Integer()),
        sa.column("device_type", sa.String()),
        sa.column("supports_labels", sa.Integer()),
    ),
)


def _value(column: sa.ColumnClause[Any], text: str) -> object:
    if isinstance(column.type, sa.Integer):
        return int(text) if text else None
    if isinstance(column.type, sa.Float):
        return float(text)
    return text


def _seed_rows(table: sa.TableClause) -> list[dict[str, object]]:
    path = Path(__file__).parent.parent / "seeds" / revision / f"{table.name}.csv"
    with path.open(encoding="utf-8", newline="") as lines:
        return [
            {c.name: _value(c, raw[c.name] or "") for c in table.columns}
            for raw in csv.DictReader(lines)
        ]


def upgrade() -> None:
    for column in SUBACCOUNT_COLUMNS:
        op.add_column("subaccounts", column)
    op.create_table(
        "brands",
        sa.Column("client_brand_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("is_default", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_brands_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("client_brand_id", name=op.f("pk_brands")),
    )
    op.create_index(op.f("ix_brands_account_id"), "brands", ["account_id"])
    op.create_table(
        "subaccount_associations",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_subaccount_associations_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["client_subaccount_id"],
            ["subaccounts.client_subaccount_id"],
            name=op.f("fk_subaccount_associations_client_subaccount_id_subaccounts"),
        ),
        sa.PrimaryKeyConstraint(
            "client_subaccount_id", "kind", "entity_id", name=op.f("pk_subaccount_associations")
        ),
    )
    op.create_index(
        "ix_subaccount_associations_account_kind_entity",
        "subaccount_associations",
        ["account_id", "kind", "entity_id"],
    )
    op.create_table(
        "subaccount_addresses",
        sa.Column("client_address_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(16), server_default="billing", nullable=False),
        sa.Column("box_number", sa.String(32), server_default="", nullable=False),
        sa.Column("civic_number", sa.String(16), nullable=False),
        sa.Column("street", sa.String(120), nullable=False),
        sa.Column("unit_number", sa.String(16), nullable=False),
        sa.Column("city", sa.String(64), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=True),
        sa.Column("state_other", sa.String(64), server_default="", nullable=False),
        sa.Column("postal_code", sa.String(16), nullable=False),
        sa.Column("precision", sa.String(64), server_default="", nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_subaccount_addresses_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["client_subaccount_id"],
            ["subaccounts.client_subaccount_id"],
            name=op.f("fk_subaccount_addresses_client_subaccount_id_subaccounts"),
        ),
        sa.PrimaryKeyConstraint("client_address_id", name=op.f("pk_subaccount_addresses")),
    )
    op.create_index(
        op.f("ix_subaccount_addresses_account_id"), "subaccount_addresses", ["account_id"]
    )
    op.create_index(
        op.f("ix_subaccount_addresses_client_subaccount_id"),
        "subaccount_addresses",
        ["client_subaccount_id"],
    )
    op.create_table(
        "channels",
        sa.Column("client_channel_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("friendly_name", sa.String(32), nullable=False),
        sa.Column("quantity_inbound", sa.Integer(), nullable=False),
        sa.Column("quantity_outbound", sa.Integer(), nullable=False),
        sa.Column("quantity_bidirectional", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_channels_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("client_channel_id", name=op.f("pk_channels")),
    )
    op.create_index(op.f("ix_channels_account_id"), "channels", ["account_id"])
    op.create_table(
        "rates",
        sa.Column("rate_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("destination", sa.String(120), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("state_id", sa.Integer(), nullable=True),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("increment", sa.Integer(), server_default="6", nullable=False),
        sa.Column("minimum", sa.Integer(), server_default="6", nullable=False),
        sa.PrimaryKeyConstraint("rate_id", name=op.f("pk_rates")),
        sa.UniqueConstraint("code", name=op.f("uq_rates_code")),
    )
    op.create_index(op.f("ix_rates_country_id"), "rates", ["country_id"])
    op.create_table(
        "plan_groups",
        sa.Column("plan_group_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("plan_group_id", name=op.f("pk_plan_groups")),
    )
    op.create_table(
        "plans",
        sa.Column("plan_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("plan_group_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("description", sa.String(255), server_default="", nullable=False),
        sa.Column("monthly_fee", sa.Float(), nullable=False),
        sa.Column("setup_fee", sa.Float(), nullable=False),
        sa.Column("channels", sa.Integer(), nullable=False),
        sa.Column("minutes_included", sa.Integer(), nullable=False),
        sa.Column("dids_included", sa.Integer(), nullable=False),
        sa.Column("sms_included", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_group_id"],
            ["plan_groups.plan_group_id"],
            name=op.f("fk_plans_plan_group_id_plan_groups"),
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_plans")),
    )
    op.create_table(
        "proxies",
        sa.Column("proxy_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("hostname", sa.String(255), nullable=False),
        sa.Column("ip_address", sa.String(45), nullable=False),
        sa.Column("port", sa.Integer(), server_default="5060", nullable=False),
        sa.Column("city", sa.String(64), server_default="", nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.PrimaryKeyConstraint("proxy_id", name=op.f("pk_proxies")),
    )
    op.create_table(
        "network_status",
        sa.Column("network_status_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("severity", sa.String(16), server_default="minor", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.Column("resolved_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("network_status_id", name=op.f("pk_network_status")),
    )
    op.create_index(op.f("ix_network_status_created_at"), "network_status", ["created_at"])
    op.create_table(
        "devices",
        sa.Column("device_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("make", sa.String(32), nullable=False),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("device_type", sa.String(16), nullable=False),
        sa.Column("supports_labels", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_devices")),
    )
    op.create_index(op.f("ix_devices_make"), "devices", ["make"])
    op.create_table(
        "billing_accounts",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("credit_limit", sa.Float(), server_default="0", nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_billing_accounts_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_billing_accounts")),
    )
    op.create_table(
        "usage_charges",
        sa.Column("usage_charge_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("service", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(64), server_default="", nullable=False),
        sa.Column("description", sa.String(255), server_default="", nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("billing_transaction_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_usage_charges_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("usage_charge_id", name=op.f("pk_usage_charges")),
    )
    op.create_index(
        "ix_usage_charges_account_open", "usage_charges", ["account_id", "billing_transaction_id"]
    )
    op.create_table(
        "billing_transactions",
        sa.Column("billing_transaction_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("description", sa.String(255), server_default="", nullable=False),
        sa.Column("reference", sa.String(64), server_default="", nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_billing_transactions_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("billing_transaction_id", name=op.f("pk_billing_transactions")),
    )
    op.create_index(
        "ix_billing_transactions_account_created",
        "billing_transactions",
        ["account_id", "created_at"],
    )
    op.create_table(
        "reseller_transactions",
        sa.Column("reseller_transaction_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("description", sa.String(255), server_default="", nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("date_applied", sa.Float(), nullable=False),
        sa.Column("reseller_invoice_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_reseller_transactions_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("reseller_transaction_id", name=op.f("pk_reseller_transactions")),
    )
    op.create_index(
        "ix_reseller_transactions_account_applied",
        "reseller_transactions",
        ["account_id", "date_applied"],
    )
    op.create_table(
        "reseller_invoices",
        sa.Column("reseller_invoice_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("web_key", sa.String(32), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("date_applied", sa.Float(), nullable=False),
        sa.Column("date_due", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_reseller_invoices_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("reseller_invoice_id", name=op.f("pk_reseller_invoices")),
        sa.UniqueConstraint("web_key", name=op.f("uq_reseller_invoices_web_key")),
    )
    op.create_index(
        "ix_reseller_invoices_account_applied", "reseller_invoices", ["account_id", "date_applied"]
    )
    for table in CATALOGS:
        op.bulk_insert(table, _seed_rows(table))


def downgrade() -> None:
    for table in (
        "reseller_invoices",
        "reseller_transactions",
        "billing_transactions",
        "usage_charges",
        "billing_accounts",
        "devices",
        "network_status",
        "proxies",
        "plans",
        "plan_groups",
        "rates",
        "channels",
        "subaccount_addresses",
        "subaccount_associations",
        "brands",
    ):
        op.drop_table(table)
    with op.batch_alter_table("subaccounts") as batch:
        for column in reversed(SUBACCOUNT_COLUMNS):
            batch.drop_column(column.name)
