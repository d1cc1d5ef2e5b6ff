"""Voice mailboxes, media files (their greetings) and the mailbox a DID's voicemail reaches.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mailboxes",
        sa.Column("client_mailbox_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("friendly_name", sa.String(32), server_default="", nullable=False),
        sa.Column("passcode", sa.String(12), server_default="", nullable=False),
        sa.Column("email", sa.String(255), server_default="", nullable=False),
        sa.Column("enable_mail_notification", sa.Integer(), server_default="0", nullable=False),
        sa.Column("contact_name", sa.String(60), server_default="", nullable=False),
        sa.Column("enable_peer_notification", sa.Integer(), server_default="0", nullable=False),
        sa.Column("notification_peers", sa.String(255), server_default="", nullable=False),
        sa.Column("notification_duration", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("greeting_media_file_id", sa.Integer(), nullable=True),
        sa.Column("metadata", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_mailboxes_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("client_mailbox_id", name=op.f("pk_mailboxes")),
    )
    op.create_index("ix_mailboxes_account", "mailboxes", ["account_id"])
    op.create_table(
        "media_files",
        sa.Column("client_media_file_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("client_mailbox_id", sa.Integer(), nullable=True),
        sa.Column("media_hash", sa.String(32), nullable=False),
        sa.Column("friendly_name", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("voice_name", sa.String(32), server_default="", nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("file_path", sa.String(255), server_default="", nullable=False),
        sa.Column("audio_format", sa.String(8), server_default="wav", nullable=False),
        sa.Column("status", sa.String(16), server_default="active", nullable=False),
        sa.Column("deleted_at", sa.Float(), nullable=True),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_media_files_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("client_media_file_id", name=op.f("pk_media_files")),
        sa.UniqueConstraint("media_hash", name=op.f("uq_media_files_media_hash")),
    )
    op.create_index("ix_media_files_account", "media_files", ["account_id", "status"])
    op.add_column("dids", sa.Column("client_mailbox_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dids") as batch:
        batch.drop_column("client_mailbox_id")
    op.drop_table("media_files")
    op.drop_table("mailboxes")
