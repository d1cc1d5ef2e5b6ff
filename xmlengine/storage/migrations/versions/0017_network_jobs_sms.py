"""Network jobs (what the server asked of the telephone network, kept across restarts);
SMS and MMS: the message log, SMS profiles and the daily rollups of get_sms_stats.

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
    op.create_table(
        "sms_messages",
        sa.Column("sms_log_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("sms_hash", sa.String(36), nullable=False),
        sa.Column("client_did_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("message_type", sa.String(3), nullable=False),
        sa.Column("source_number", sa.String(20), nullable=False),
        sa.Column("destination_number", sa.String(20), nullable=False),
        sa.Column("message", sa.Text(), server_default="", nullable=False),
        sa.Column("segments", sa.Integer(), server_default="1", nullable=False),
        sa.Column("attachment_path", sa.String(255), server_default="", nullable=False),
        sa.Column("attachment_name", sa.String(255), server_default="", nullable=False),
        sa.Column("attachment_size", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attachment_mime_type", sa.String(128), server_default="", nullable=False),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("transmission_status", sa.String(16), server_default="pending", nullable=False),
        sa.Column("retry_limit", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("billed_amount", sa.Float(), server_default="0", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("transmitted_at", sa.Float(), nullable=True),
        sa.Column("deleted_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_sms_messages_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("sms_log_id", name=op.f("pk_sms_messages")),
        sa.UniqueConstraint("sms_hash", name=op.f("uq_sms_messages_sms_hash")),
    )
    op.create_index(
        "ix_sms_messages_account_id_created_at",
        "sms_messages",
        ["account_id", "created_at", "sms_log_id"],
    )
    op.create_table(
        "sms_profiles",
        sa.Column("client_sms_profile_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("friendly_name", sa.String(32), server_default="", nullable=False),
        sa.Column("language", sa.String(2), server_default="", nullable=False),
        sa.Column("allowed_senders", sa.Text(), server_default="", nullable=False),
        sa.Column("notify_name", sa.String(255), server_default="", nullable=False),
        sa.Column("notify_email", sa.String(255), server_default="", nullable=False),
        sa.Column("forward_number", sa.String(20), server_default="", nullable=False),
        sa.Column("callback_url", sa.String(2048), server_default="", nullable=False),
        sa.Column("backup_url", sa.String(2048), server_default="", nullable=False),
        sa.Column("autoreply_message", sa.String(160), server_default="", nullable=False),
        sa.Column("client_did_id", sa.Integer(), nullable=True),
        sa.Column("options", sa.String(255), server_default="", nullable=False),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_sms_profiles_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("client_sms_profile_id", name=op.f("pk_sms_profiles")),
    )
    op.create_table(
        "sms_daily",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("message_type", sa.String(16), nullable=False),
        sa.Column("messages", sa.Integer(), server_default="0", nullable=False),
        sa.Column("segments", sa.Integer(), server_default="0", nullable=False),
        sa.Column("billed_amount", sa.Float(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_sms_daily_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint(
            "account_id",
            "day",
            "client_subaccount_id",
            "message_type",
            name=op.f("pk_sms_daily"),
        ),
    )


def downgrade() -> None:
    op.drop_table("sms_daily")
    op.drop_table("sms_profiles")
    op.drop_index("ix_sms_messages_account_id_created_at", table_name="sms_messages")
    op.drop_table("sms_messages")
    op.drop_index("ix_network_jobs_kind_ref", table_name="network_jobs")
    op.drop_index("ix_network_jobs_status_due_at", table_name="network_jobs")
    op.drop_table("network_jobs")
