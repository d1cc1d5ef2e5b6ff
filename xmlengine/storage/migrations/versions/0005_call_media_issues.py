"""Call recordings, voicemails, call issues and the daily storage rollups.

Revision ID: 0005
Revises: 0001
"""

from alembic import op

from xmlengine.storage import media_tables

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (
    media_tables.call_recordings,
    media_tables.call_voicemails,
    media_tables.call_issues,
    media_tables.storage_daily,
)


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(TABLES):
        table.drop(bind)
