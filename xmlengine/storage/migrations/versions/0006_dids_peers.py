"""DIDs and peers with their call notify settings.

Revision ID: 0006
Revises: 0001
"""

from alembic import op

from xmlengine.storage import did_tables

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (did_tables.dids, did_tables.peers)


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(TABLES):
        table.drop(bind)
