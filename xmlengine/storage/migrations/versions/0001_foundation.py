"""Foundation: accounts, users, subaccounts, abuse notifications.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("account_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("company", sa.String(120), server_default="", nullable=False),
        sa.Column("first_name", sa.String(60), server_default="", nullable=False),
        sa.Column("last_name", sa.String(60), server_default="", nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("language", sa.String(2), server_default="en", nullable=False),
        sa.Column("currency", sa.String(3), server_default="CAD", nullable=False),
        sa.Column("time_zone", sa.String(64), server_default="America/Montreal", nullable=False),
        sa.Column("callerid_name", sa.String(15), server_default="", nullable=False),
        sa.Column("callerid_number", sa.String(20), server_default="", nullable=False),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_accounts")),
    )
    op.create_table(
        "users",
        sa.Column("client_user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("first_name", sa.String(60), server_default="", nullable=False),
        sa.Column("last_name", sa.String(60), server_default="", nullable=False),
        sa.Column("email", sa.String(255), server_default="", nullable=False),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_users_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("client_user_id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index("ix_users_account_token", "users", ["account_id", "token_hash"])
    op.create_table(
        "subaccounts",
        sa.Column("client_subaccount_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("friendly_name", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_subaccounts_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("client_subaccount_id", name=op.f("pk_subaccounts")),
    )
    op.create_index(op.f("ix_subaccounts_account_id"), "subaccounts", ["account_id"])
    op.create_table(
        "abuse_notifications",
        sa.Column("abuse_notification_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("pool", sa.String(32), nullable=False),
        sa.Column("hour_start", sa.BigInteger(), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_abuse_notifications_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("abuse_notification_id", name=op.f("pk_abuse_notifications")),
        sa.UniqueConstraint(
            "account_id",
            "pool",
            "hour_start",
            name=op.f("uq_abuse_notifications_account_id_pool_hour_start"),
        ),
    )
    op.create_index(
        op.f("ix_abuse_notifications_account_id"), "abuse_notifications", ["account_id"]
    )


def downgrade() -> None:
    op.drop_table("abuse_notifications")
    op.drop_table("subaccounts")
    op.drop_index("ix_users_account_token", table_name="users")
    op.drop_table("users")
    op.drop_table("accounts")
