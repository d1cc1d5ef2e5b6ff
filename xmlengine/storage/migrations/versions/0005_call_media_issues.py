"""Call recordings, voicemails, call issues and the daily storage rollups.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_recordings",
        sa.Column("call_recording_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("recording_hash", sa.String(36), nullable=False),
        sa.Column("call_hash", sa.String(32), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("file_path", sa.String(255), server_default="", nullable=False),
        sa.Column("audio_format", sa.String(8), server_default="wav", nullable=False),
        sa.Column("deleted_at", sa.Float(), nullable=True),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_call_recordings_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("call_recording_id", name=op.f("pk_call_recordings")),
        sa.UniqueConstraint("recording_hash", name=op.f("uq_call_recordings_recording_hash")),
    )
    op.create_index(
        "ix_call_recordings_account_call", "call_recordings", ["account_id", "call_hash"]
    )
    op.create_index(
        "ix_call_recordings_account_created", "call_recordings", ["account_id", "created_at"]
    )
    op.create_table(
        "call_voicemails",
        sa.Column("call_voicemail_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("client_mailbox_id", sa.Integer(), nullable=True),
        sa.Column("voicemail_hash", sa.String(32), nullable=False),
        sa.Column("call_hash", sa.String(32), nullable=True),
        sa.Column("callerid_name", sa.String(64), server_default="", nullable=False),
        sa.Column("callerid_number", sa.String(20), server_default="", nullable=False),
        sa.Column("destination", sa.String(20), server_default="", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("duration", sa.Integer(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("folder", sa.String(16), server_default="INBOX", nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("file_path", sa.String(255), server_default="", nullable=False),
        sa.Column("audio_format", sa.String(8), server_default="wav", nullable=False),
        sa.Column("deleted_at", sa.Float(), nullable=True),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_call_voicemails_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("call_voicemail_id", name=op.f("pk_call_voicemails")),
        sa.UniqueConstraint("voicemail_hash", name=op.f("uq_call_voicemails_voicemail_hash")),
    )
    op.create_index(
        "ix_call_voicemails_account_created", "call_voicemails", ["account_id", "created_at"]
    )
    op.create_index(
        "ix_call_voicemails_account_subaccount",
        "call_voicemails",
        ["account_id", "client_subaccount_id"],
    )
    op.create_table(
        "call_issues",
        sa.Column("call_issue_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("call_hash", sa.String(32), nullable=False),
        sa.Column("issue_type_id", sa.Integer(), nullable=False),
        sa.Column("kayako_ticket_id", sa.String(13), server_default="", nullable=False),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(16), server_default="open", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_call_issues_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("call_issue_id", name=op.f("pk_call_issues")),
    )
    op.create_index("ix_call_issues_account_call", "call_issues", ["account_id", "call_hash"])
    op.create_table(
        "storage_daily",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("storage_type", sa.String(24), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bytes_added", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("bytes_removed", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("files_added", sa.Integer(), server_default="0", nullable=False),
        sa.Column("files_removed", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_storage_daily_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint(
            "account_id",
            "client_subaccount_id",
            "storage_type",
            "day",
            name=op.f("pk_storage_daily"),
        ),
    )


def downgrade() -> None:
    for table in ("storage_daily", "call_issues", "call_voicemails", "call_recordings"):
        op.drop_table(table)
