"""Port requests and their uploaded documents.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "port_requests",
        sa.Column("port_request_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("friendly_name", sa.String(60), server_default="", nullable=False),
        sa.Column("phone_number_type", sa.String(16), server_default="", nullable=False),
        sa.Column("phone_numbers", sa.Text(), server_default="", nullable=False),
        sa.Column("phone_numbers_to_keep", sa.Text(), server_default="", nullable=False),
        sa.Column("phone_numbers_to_cancel", sa.Text(), server_default="", nullable=False),
        sa.Column("features", sa.String(32), server_default="", nullable=False),
        sa.Column("capacity", sa.String(64), server_default="", nullable=False),
        sa.Column("requested_firm_date", sa.Date(), nullable=True),
        sa.Column("firm_date", sa.Date(), nullable=True),
        sa.Column("organization", sa.String(60), server_default="", nullable=False),
        sa.Column("organization_type", sa.String(16), server_default="", nullable=False),
        sa.Column("current_provider", sa.String(60), server_default="", nullable=False),
        sa.Column("current_reseller", sa.String(60), server_default="", nullable=False),
        sa.Column("current_reseller_account", sa.String(60), server_default="", nullable=False),
        sa.Column("box_number", sa.String(20), server_default="", nullable=False),
        sa.Column("civic_number", sa.BigInteger(), nullable=True),
        sa.Column("street", sa.String(255), server_default="", nullable=False),
        sa.Column("unit_number", sa.BigInteger(), nullable=True),
        sa.Column("city", sa.String(255), server_default="", nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("state_id", sa.Integer(), nullable=True),
        sa.Column("state_other", sa.String(64), server_default="", nullable=False),
        sa.Column("postal_code", sa.String(12), server_default="", nullable=False),
        sa.Column("client_instructions", sa.Text(), server_default="", nullable=False),
        sa.Column("is_notify_creation", sa.Integer(), server_default="0", nullable=False),
        sa.Column("notification_client_user_id", sa.String(8), server_default="", nullable=False),
        sa.Column("extra_recipients", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(24), server_default="", nullable=False),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("metadata", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.Float(), nullable=True),
        sa.Column("status_at", sa.Float(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_port_requests_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("port_request_id", name=op.f("pk_port_requests")),
    )
    op.create_index("ix_port_requests_account", "port_requests", ["account_id", "status"])
    op.create_table(
        "port_documents",
        sa.Column("port_document_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("port_request_id", sa.Integer(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(8), server_default="", nullable=False),
        sa.Column("document_hash", sa.String(32), nullable=False),
        sa.Column("filename", sa.String(255), server_default="", nullable=False),
        sa.Column("content_type", sa.String(128), server_default="", nullable=False),
        sa.Column("file_path", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_port_documents_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("port_document_id", name=op.f("pk_port_documents")),
    )
    op.create_index(
        "ix_port_documents_request",
        "port_documents",
        ["account_id", "port_request_id", "kind"],
        unique=True,
    )
    op.create_index("ix_port_documents_hash", "port_documents", ["document_hash"], unique=True)


def downgrade() -> None:
    op.drop_table("port_documents")
    op.drop_table("port_requests")
