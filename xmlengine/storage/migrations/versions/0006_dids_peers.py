"""DIDs and peers with their call notify settings.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dids",
        sa.Column("client_did_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("phone_number", sa.String(20), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("sandbox", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column(
            "enable_notify_callback", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column("notify_callback_url", sa.String(1024), server_default="", nullable=False),
        sa.Column("notify_callback_triggers", sa.String(128), server_default="", nullable=False),
        sa.Column("enable_recording", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_dids_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("client_did_id", name=op.f("pk_dids")),
    )
    op.create_index("ix_dids_account_number", "dids", ["account_id", "phone_number"], unique=True)
    op.create_index("ix_dids_sandbox", "dids", ["sandbox", "status"])
    op.create_table(
        "peers",
        sa.Column("client_peer_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("friendly_name", sa.String(64), server_default="", nullable=False),
        sa.Column("callerid_number", sa.String(20), server_default="", nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("sandbox", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column(
            "enable_notify_callback", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column("notify_callback_url", sa.String(1024), server_default="", nullable=False),
        sa.Column("notify_callback_triggers", sa.String(128), server_default="", nullable=False),
        sa.Column("enable_recording", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_peers_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("client_peer_id", name=op.f("pk_peers")),
        sa.UniqueConstraint("username", name=op.f("uq_peers_username")),
    )
    op.create_index("ix_peers_account", "peers", ["account_id"])


def downgrade() -> None:
    op.drop_table("peers")
    op.drop_table("dids")
