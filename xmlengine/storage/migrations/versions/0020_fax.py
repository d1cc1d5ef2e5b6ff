"""Fax profiles and the faxes they send and receive.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _text(name: str, length: int, default: str = "") -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(length), server_default=default, nullable=False)


def _account(table: str) -> list[sa.Column | sa.ForeignKeyConstraint]:  # type: ignore[type-arg]
    return [
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f(f"fk_{table}_account_id_accounts")
        ),
    ]


def upgrade() -> None:
    op.create_table(
        "fax_profiles",
        sa.Column("client_fax_profile_id", sa.Integer(), autoincrement=True, nullable=False),
        *_account("fax_profiles"),
        _text("friendly_name", 32),
        _text("local_ident", 20),
        _text("fax_header", 20),
        _text("callerid_name", 15),
        _text("callerid_number", 20),
        _text("contact_name", 60),
        _text("email", 255),
        _text("language", 2, "en"),
        sa.Column("allowed_senders", sa.Text(), server_default="", nullable=False),
        sa.Column("retry_limit", sa.Integer(), server_default="2", nullable=False),
        _text("page_format", 8, "letter"),
        _text("resolution", 16, "standard"),
        _text("callback_url", 2048),
        _text("backup_url", 2048),
        _text("options", 512),
        _text("status", 16, "enabled"),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("client_fax_profile_id", name=op.f("pk_fax_profiles")),
    )
    op.create_index("ix_fax_profiles_account", "fax_profiles", ["account_id"])
    op.create_table(
        "call_faxes",
        sa.Column("call_fax_id", sa.Integer(), autoincrement=True, nullable=False),
        *_account("call_faxes"),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("client_fax_profile_id", sa.Integer(), nullable=True),
        sa.Column("client_did_id", sa.Integer(), nullable=True),
        sa.Column("call_hash", sa.String(32), nullable=False),
        sa.Column("unique_id", sa.String(64), nullable=True),
        _text("direction", 8),
        _text("source_number", 20),
        _text("destination_number", 20),
        _text("name_from", 60),
        _text("email_from", 255),
        _text("page_format", 8),
        _text("resolution", 16),
        sa.Column("pages", sa.Integer(), server_default="0", nullable=False),
        sa.Column("size", sa.BigInteger(), server_default="0", nullable=False),
        _text("file_path", 255),
        _text("status", 16, "enabled"),
        _text("transmission_status", 16, "pending"),
        _text("transmission_reason", 64),
        sa.Column("retry_limit", sa.Integer(), server_default="0", nullable=False),
        sa.Column("retry_count", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("scheduled_at", sa.Float(), nullable=True),
        sa.Column("transmitted_at", sa.Float(), nullable=True),
        sa.Column("deleted_at", sa.Float(), nullable=True),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("call_fax_id", name=op.f("pk_call_faxes")),
        sa.UniqueConstraint("call_hash", name=op.f("uq_call_faxes_call_hash")),
        sa.UniqueConstraint(
            "account_id",
            "client_fax_profile_id",
            "unique_id",
            name=op.f("uq_call_faxes_account_id_client_fax_profile_id_unique_id"),
        ),
    )
    op.create_index("ix_call_faxes_account_created", "call_faxes", ["account_id", "created_at"])


def downgrade() -> None:
    op.drop_table("call_faxes")
    op.drop_table("fax_profiles")
