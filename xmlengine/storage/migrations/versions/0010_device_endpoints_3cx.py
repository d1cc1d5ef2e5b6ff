"""Autoprovisioned device endpoints with their peers, and 3CX servers.

An endpoint's lines are the account's peers (`device_endpoint_peers`); the SIP secret a
provisioning file carries is the peer's `password` (0008).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _owned(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"], ["accounts.account_id"], name=op.f(f"fk_{table}_account_id_accounts")
    )


def upgrade() -> None:
    op.create_table(
        "device_endpoints",
        sa.Column("client_device_endpoint_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("friendly_name", sa.String(32), nullable=True),
        sa.Column("device_name", sa.String(64), nullable=True),
        sa.Column("client_extension_id", sa.Integer(), nullable=True),
        sa.Column("client_mailbox_id", sa.Integer(), nullable=True),
        sa.Column("device_mac", sa.String(12), nullable=True),
        sa.Column("serial_number", sa.String(64), nullable=True),
        sa.Column("timezone_id", sa.String(64), nullable=True),
        sa.Column("admin_password", sa.String(64), nullable=True),
        sa.Column("phone_password", sa.String(64), nullable=True),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("is_time_format24h", sa.Boolean(), nullable=True),
        sa.Column("is_vlan_enabled", sa.Boolean(), nullable=True),
        sa.Column("vlan", sa.Integer(), nullable=True),
        sa.Column("call_waiting", sa.String(8), nullable=True),
        sa.Column("call_forwarding", sa.String(8), nullable=True),
        sa.Column("button_config", sa.Text(), nullable=True),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("provisioning_secret", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        _owned("device_endpoints"),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.device_id"], name=op.f("fk_device_endpoints_device_id_devices")
        ),
        sa.PrimaryKeyConstraint("client_device_endpoint_id", name=op.f("pk_device_endpoints")),
    )
    op.create_index(
        "ix_device_endpoints_account_mac", "device_endpoints", ["account_id", "device_mac"]
    )
    op.create_table(
        "device_endpoint_peers",
        sa.Column("device_endpoint_peer_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_device_endpoint_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("client_peer_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(32), server_default="", nullable=False),
        _owned("device_endpoint_peers"),
        sa.ForeignKeyConstraint(
            ["client_device_endpoint_id"],
            ["device_endpoints.client_device_endpoint_id"],
            name=op.f("fk_device_endpoint_peers_client_device_endpoint_id_device_endpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_peer_id"],
            ["peers.client_peer_id"],
            name=op.f("fk_device_endpoint_peers_client_peer_id_peers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_endpoint_peer_id", name=op.f("pk_device_endpoint_peers")),
    )
    op.create_index(
        "ix_device_endpoint_peers_endpoint",
        "device_endpoint_peers",
        ["client_device_endpoint_id", "line"],
        unique=True,
    )
    op.create_index("ix_device_endpoint_peers_peer", "device_endpoint_peers", ["client_peer_id"])
    op.create_table(
        "pbx3cx_servers",
        sa.Column("pbx3cx_server_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("friendly_name", sa.String(32), nullable=False),
        sa.Column("server_port", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(1), nullable=True),
        sa.Column("server_fqdn", sa.String(253), nullable=True),
        sa.Column("is_connection_allowed", sa.Boolean(), nullable=False),
        sa.Column("server_name", sa.String(255), nullable=True),
        sa.Column("server_password", sa.String(255), nullable=True),
        sa.Column("enable_fetch_license_expiration", sa.Boolean(), nullable=False),
        sa.Column("license_key", sa.String(19), nullable=True),
        sa.Column("license_expiration", sa.Date(), nullable=True),
        sa.Column("product_edition", sa.String(16), nullable=True),
        sa.Column("product_simultaneous_calls", sa.String(4), nullable=True),
        sa.Column("options", sa.String(255), server_default="", nullable=False),
        sa.Column("encrypt_backup_password", sa.String(255), nullable=True),
        sa.Column("backup_frequency", sa.String(8), nullable=False),
        sa.Column("backup_retention", sa.String(8), nullable=False),
        sa.Column("call_retention", sa.String(8), nullable=False),
        sa.Column("dns_service", sa.String(16), nullable=True),
        sa.Column("auth_type", sa.String(16), nullable=True),
        sa.Column("auth_id", sa.String(255), nullable=True),
        sa.Column("auth_password", sa.String(255), nullable=True),
        sa.Column("certificate_token", sa.String(255), nullable=True),
        sa.Column("monitoring_status", sa.String(8), nullable=True),
        sa.Column("subscribed_monitoring", sa.String(255), server_default="", nullable=False),
        sa.Column("alert_status", sa.String(8), nullable=True),
        sa.Column("subscribed_alerts", sa.String(255), server_default="", nullable=False),
        sa.Column("alert_recipients", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("comments", sa.Text(), nullable=True),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        _owned("pbx3cx_servers"),
        sa.PrimaryKeyConstraint("pbx3cx_server_id", name=op.f("pk_pbx3cx_servers")),
    )
    op.create_index("ix_pbx3cx_servers_account_id", "pbx3cx_servers", ["account_id"])


def downgrade() -> None:
    op.drop_table("pbx3cx_servers")
    op.drop_table("device_endpoint_peers")
    op.drop_table("device_endpoints")
