"""Caller ID profiles and their conditions.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _table(name: str, id_column: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    """A table as this revision makes it: id, account, settings, time stamps."""
    op.create_table(
        name,
        sa.Column(id_column, sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f(f"fk_{name}_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint(id_column, name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_account_id"), name, ["account_id"])


def _text(name: str, length: int, default: str = "") -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(length), server_default=default, nullable=False)


def upgrade() -> None:
    _table(
        "callerid_profiles",
        "client_callerid_profile_id",
        sa.Column("friendly_name", sa.String(32), nullable=False),
        _text("callerid_name", 15),
        sa.Column("client_did_ids", sa.Text(), server_default="", nullable=False),
        sa.Column("default_client_did_id", sa.Integer(), nullable=True),
        _text("callerid_number", 20),
        _text("privacy", 8),
        _text("status", 16, "enabled"),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
    )
    _table(
        "callerid_conditions",
        "client_callerid_profile_data_id",
        sa.Column("client_callerid_profile_id", sa.Integer(), nullable=False),
        _text("callerid_name", 15),
        sa.Column("client_did_id", sa.Integer(), nullable=True),
        _text("callerid_number", 20),
        _text("privacy", 8, "keep"),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("state_id", sa.Integer(), nullable=True),
        sa.Column("ratecenter_id", sa.Integer(), nullable=True),
        sa.Column("radius_distance", sa.Integer(), nullable=True),
        _text("source_number", 10),
        _text("source_regexp", 255),
        _text("destination_number", 10),
        _text("destination_regexp", 255),
        _text("match_methods", 160),
        sa.Column("order_index", sa.Integer(), server_default="0", nullable=False),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
    )
    op.create_index(
        op.f("ix_callerid_conditions_client_callerid_profile_id"),
        "callerid_conditions",
        ["client_callerid_profile_id"],
    )


def downgrade() -> None:
    op.drop_table("callerid_conditions")
    op.drop_table("callerid_profiles")
