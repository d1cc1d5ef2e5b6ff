"""Call history and its daily rollups.

Revision ID: 0004
Revises: 0001
"""

from alembic import op

from xmlengine.storage import call_tables

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (call_tables.calls, call_tables.call_daily)


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(TABLES):
        table.drop(bind)
