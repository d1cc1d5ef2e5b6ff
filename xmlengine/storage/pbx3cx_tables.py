"""3CX servers hosted or managed for the account (migration 0010).

The lists of update_3cx_server (`options`, `subscribed_monitoring`, `subscribed_alerts`,
`alert_recipients`) are kept as the guide's comma-separated text.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, Float, ForeignKey, Integer, String, Table
from sqlalchemy import Text as LongText

from xmlengine.storage.tables import metadata

pbx3cx_servers = Table(
    "pbx3cx_servers",
    metadata,
    Column("pbx3cx_server_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True),
    Column("friendly_name", String(32), nullable=False),
    Column("server_port", Integer, nullable=False),
    Column("level", String(1), nullable=True),
    Column("server_fqdn", String(253), nullable=True),
    Column("is_connection_allowed", Boolean, nullable=False),
    Column("server_name", String(255), nullable=True),
    Column("server_password", String(255), nullable=True),
    Column("enable_fetch_license_expiration", Boolean, nullable=False),
    Column("license_key", String(19), nullable=True),
    Column("license_expiration", Date, nullable=True),
    Column("product_edition", String(16), nullable=True),
    Column("product_simultaneous_calls", String(4), nullable=True),
    Column("options", String(255), nullable=False, server_default=""),
    Column("encrypt_backup_password", String(255), nullable=True),
    Column("backup_frequency", String(8), nullable=False),
    Column("backup_retention", String(8), nullable=False),
    Column("call_retention", String(8), nullable=False),
    Column("dns_service", String(16), nullable=True),
    Column("auth_type", String(16), nullable=True),
    Column("auth_id", String(255), nullable=True),
    Column("auth_password", String(255), nullable=True),
    Column("certificate_token", String(255), nullable=True),
    Column("monitoring_status", String(8), nullable=True),
    Column("subscribed_monitoring", String(255), nullable=False, server_default=""),
    Column("alert_status", String(8), nullable=True),
    Column("subscribed_alerts", String(255), nullable=False, server_default=""),
    Column("alert_recipients", LongText, nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("comments", LongText, nullable=True),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)
