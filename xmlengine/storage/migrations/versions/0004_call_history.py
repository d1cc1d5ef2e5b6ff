"""Call history and its daily rollups.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column(
            "call_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("call_hash", sa.String(32), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("source", sa.String(128), nullable=False),
        sa.Column("destination", sa.String(128), nullable=False),
        sa.Column("client_peer_id", sa.Integer(), nullable=True),
        sa.Column("client_did_id", sa.Integer(), nullable=True),
        sa.Column("client_channel_id", sa.Integer(), nullable=True),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("state_id", sa.Integer(), nullable=True),
        sa.Column("district", sa.String(64), server_default="", nullable=False),
        sa.Column("normalized", sa.String(32), server_default="", nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("billed_duration", sa.Integer(), nullable=False),
        sa.Column("callerid_name", sa.String(64), server_default="", nullable=False),
        sa.Column("callerid_number", sa.String(32), server_default="", nullable=False),
        sa.Column("bindings", sa.String(255), server_default="", nullable=False),
        sa.Column("disposition", sa.String(16), nullable=False),
        sa.Column("routing_type", sa.String(32), nullable=False),
        sa.Column("billed_amount", sa.Float(), nullable=False),
        sa.Column("current_rate", sa.Float(), nullable=False),
        sa.Column("monthly_usage", sa.Float(), nullable=False),
        sa.Column("failure_code", sa.String(32), server_default="", nullable=False),
        sa.Column("sip_response_code", sa.Integer(), nullable=True),
        sa.Column("account_usage_inbound", sa.Integer(), nullable=True),
        sa.Column("account_usage_outbound", sa.Integer(), nullable=True),
        sa.Column("account_call_limit", sa.Integer(), nullable=True),
        sa.Column("subaccount_usage_inbound", sa.Integer(), nullable=True),
        sa.Column("subaccount_usage_outbound", sa.Integer(), nullable=True),
        sa.Column("subaccount_call_limit", sa.Integer(), nullable=True),
        sa.Column("subaccount_channel_inbound", sa.Integer(), nullable=True),
        sa.Column("subaccount_channel_outbound", sa.Integer(), nullable=True),
        sa.Column("channel_usage_inbound", sa.Integer(), nullable=True),
        sa.Column("channel_usage_outbound", sa.Integer(), nullable=True),
        sa.Column("channel_usage_excess", sa.Integer(), nullable=True),
        sa.Column("source_type", sa.String(16), server_default="", nullable=False),
        sa.Column("source_details", sa.String(255), server_default="", nullable=False),
        sa.Column("destination_type", sa.String(16), server_default="", nullable=False),
        sa.Column("destination_details", sa.String(255), server_default="", nullable=False),
        sa.Column("metadata", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_calls_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_calls")),
        sa.UniqueConstraint("call_hash", name=op.f("uq_calls_call_hash")),
    )
    op.create_index("ix_calls_account_sequence", "calls", ["account_id", "call_id"])
    op.create_index("ix_calls_account_started", "calls", ["account_id", "started_at", "call_id"])
    op.create_table(
        "call_daily",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("routing_type", sa.String(32), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("duration", sa.BigInteger(), nullable=False),
        sa.Column("billed_duration", sa.BigInteger(), nullable=False),
        sa.Column("billed_amount", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_call_daily_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "day", "client_subaccount_id", "routing_type", name=op.f("pk_call_daily")
        ),
    )


def downgrade() -> None:
    op.drop_table("call_daily")
    op.drop_table("calls")
