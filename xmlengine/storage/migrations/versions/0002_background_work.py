"""Background work: the outbox, webhook signing secrets, sequences, deliveries, attempts.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from xmlengine.storage import work_tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = (
    work_tables.outbox,
    work_tables.webhook_secrets,
    work_tables.webhook_sequences,
    work_tables.webhook_deliveries,
    work_tables.webhook_attempts,
)


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(TABLES):
        table.drop(bind)
