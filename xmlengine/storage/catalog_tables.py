"""Reference catalogs shared by every account: rates, plans, proxies, network status,
autoprovision devices (migration 0003 seeds them; `xmlengine operator` reloads them)."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table, Text

from xmlengine.storage.tables import metadata

rates = Table(
    "rates",
    metadata,
    Column("rate_id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False, unique=True),  # dialing prefix, E.164 digits
    Column("destination", String(120), nullable=False),
    Column("country_id", Integer, nullable=False, index=True),
    Column("state_id", Integer, nullable=True),
    Column("rate", Float, nullable=False),  # CAD per minute
    Column("increment", Integer, nullable=False, server_default="6"),  # billing seconds
    Column("minimum", Integer, nullable=False, server_default="6"),  # first billed seconds
    # 0022: CAD per SMS segment / per MMS, sent to the prefix or received on a DID of it.
    Column("sms_rate", Float, nullable=False, server_default="0"),
    Column("mms_rate", Float, nullable=False, server_default="0"),
    Column("sms_inbound_rate", Float, nullable=False, server_default="0"),
    Column("mms_inbound_rate", Float, nullable=False, server_default="0"),
)

plan_groups = Table(
    "plan_groups",
    metadata,
    Column("plan_group_id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(64), nullable=False),
)

plans = Table(
    "plans",
    metadata,
    Column("plan_id", Integer, primary_key=True, autoincrement=False),
    Column("plan_group_id", Integer, ForeignKey("plan_groups.plan_group_id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("description", String(255), nullable=False, server_default=""),
    Column("monthly_fee", Float, nullable=False),  # CAD
    Column("setup_fee", Float, nullable=False),
    Column("channels", Integer, nullable=False),
    Column("minutes_included", Integer, nullable=False),
    Column("dids_included", Integer, nullable=False),
    Column("sms_included", Integer, nullable=False),
)

proxies = Table(
    "proxies",
    metadata,
    Column("proxy_id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(64), nullable=False),
    Column("hostname", String(255), nullable=False),
    Column("ip_address", String(45), nullable=False),
    Column("port", Integer, nullable=False, server_default="5060"),
    Column("city", String(64), nullable=False, server_default=""),
    Column("country_id", Integer, nullable=False),
    Column("status", String(16), nullable=False, server_default="enabled"),
)

network_status = Table(
    "network_status",
    metadata,
    Column("network_status_id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(255), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("severity", String(16), nullable=False, server_default="minor"),
    Column("created_at", Float, nullable=False, index=True),
    Column("updated_at", Float, nullable=False),
    Column("resolved_at", Float, nullable=True),
)

devices = Table(
    "devices",
    metadata,
    Column("device_id", Integer, primary_key=True, autoincrement=False),
    Column("make", String(32), nullable=False, index=True),
    Column("model", String(64), nullable=False),
    Column("lines", Integer, nullable=False),
    Column("device_type", String(16), nullable=False),  # desk, dect, ata, conference
    Column("supports_labels", Integer, nullable=False, server_default="0"),
)
