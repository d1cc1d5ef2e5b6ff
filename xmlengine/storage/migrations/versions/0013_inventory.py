"""The numbers taken out of the sandbox's inventory.

Revision ID: 0013
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
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


def downgrade() -> None:
    op.drop_table("inventory_taken")
