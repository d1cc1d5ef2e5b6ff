"""The numbers taken out of the sandbox's inventory, and the orders of new numbers.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inventory_taken",
        sa.Column("phone_number", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("taken_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("phone_number", name=op.f("pk_inventory_taken")),
    )
    op.create_table(
        "did_orders",
        sa.Column("did_order_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("prefix", sa.String(15), server_default="", nullable=False),
        sa.Column("ratecenter_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("prefix_preference", sa.String(16), nullable=False),
        sa.Column("sequential", sa.String(16), nullable=False),
        sa.Column("features", sa.String(32), server_default="", nullable=False),
        sa.Column("capacity", sa.String(8), nullable=False),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("numbers", sa.Text(), server_default="", nullable=False),
        sa.Column("failure", sa.String(255), server_default="", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("completed_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_did_orders_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("did_order_id", name=op.f("pk_did_orders")),
    )
    op.create_index(op.f("ix_did_orders_account_id"), "did_orders", ["account_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_did_orders_account_id"), table_name="did_orders")
    op.drop_table("did_orders")
    op.drop_table("inventory_taken")
