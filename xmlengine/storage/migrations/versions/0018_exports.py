"""Bulk exports: one row per export of call records or the recordings index.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exports",
        sa.Column("export_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("export_hash", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Float(), nullable=True),
        sa.Column("period_end", sa.Float(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("exchange_rate", sa.Float(), nullable=False),
        sa.Column("base_url", sa.String(255), server_default="", nullable=False),
        sa.Column("callback_url", sa.String(2048), server_default="", nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Integer(), server_default="0", nullable=False),
        sa.Column("rows_total", sa.BigInteger(), nullable=True),
        sa.Column("rows", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("size", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("cursor_at", sa.Float(), nullable=True),
        sa.Column("cursor_key", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(64), server_default="", nullable=False),
        sa.Column("file_path", sa.String(255), server_default="", nullable=False),
        sa.Column("error", sa.String(255), server_default="", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=True),
        sa.Column("completed_at", sa.Float(), nullable=True),
        sa.Column("expires_at", sa.Float(), nullable=True),
        sa.Column("deleted_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_exports_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("export_id", name=op.f("pk_exports")),
        sa.UniqueConstraint("export_hash", name=op.f("uq_exports_export_hash")),
    )
    op.create_index("ix_exports_account_created", "exports", ["account_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_exports_account_created", table_name="exports")
    op.drop_table("exports")
