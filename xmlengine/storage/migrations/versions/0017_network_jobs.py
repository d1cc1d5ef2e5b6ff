"""Network jobs: what the server asked of the telephone network, kept across restarts.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_jobs",
        sa.Column("job_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), server_default="{}", nullable=False),
        sa.Column("status", sa.String(16), server_default="pending", nullable=False),
        sa.Column("due_at", sa.Float(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("owner", sa.String(64), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=True),
        sa.Column("alive_at", sa.Float(), nullable=True),
        sa.Column("finished_at", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_network_jobs")),
    )
    op.create_index("ix_network_jobs_status_due_at", "network_jobs", ["status", "due_at"])
    op.create_index("ix_network_jobs_kind_ref", "network_jobs", ["kind", "ref"])


def downgrade() -> None:
    op.drop_index("ix_network_jobs_kind_ref", table_name="network_jobs")
    op.drop_index("ix_network_jobs_status_due_at", table_name="network_jobs")
    op.drop_table("network_jobs")
