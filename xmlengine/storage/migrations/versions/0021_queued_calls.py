"""Queued calls: what dispatch_call and voicemail_broadcast asked of the network.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queued_calls",
        sa.Column("queued_call_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("call_hash", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), server_default="queued", nullable=False),
        sa.Column("metadata", sa.Text(), nullable=True),
        sa.Column("media_path", sa.String(255), server_default="", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("ended_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_queued_calls_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("queued_call_id", name=op.f("pk_queued_calls")),
        sa.UniqueConstraint("call_hash", name=op.f("uq_queued_calls_call_hash")),
    )
    op.create_index("ix_queued_calls_account_created", "queued_calls", ["account_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_queued_calls_account_created", table_name="queued_calls")
    op.drop_table("queued_calls")
