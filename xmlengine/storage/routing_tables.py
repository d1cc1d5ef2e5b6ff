"""Tables of call routing: call director profiles, schedules, IVR profiles, queues and
their agents, extensions (migration 0011).

A routing object's subaccount is an association (`subaccount_associations`), not a
column. Lists the guide sends as arrays of records (director actions, schedule shifts)
are kept as JSON text: they are always written and read whole.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
)

from xmlengine.storage.tables import metadata


def _owned(name: str, id_column: str, *columns: Column[Any] | Index) -> Table:
    """A routing object's table: its id, its account, its settings and time stamps."""
    return Table(
        name,
        metadata,
        Column(id_column, Integer, primary_key=True, autoincrement=True),
        Column(
            "account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True
        ),
        *columns,
        Column("status", String(16), nullable=False, server_default="enabled"),
        Column("comments", Text, nullable=False, server_default=""),
        Column("created_at", Float, nullable=False),
        Column("updated_at", Float, nullable=False),
    )


def _delay(name: str) -> Column[int]:
    return Column(name, Integer, nullable=False)


director_profiles = _owned(
    "director_profiles",
    "client_director_profile_id",
    Column("friendly_name", String(32), nullable=False),
    Column("actions", Text, nullable=False),  # JSON: the `action[n]` records
)

schedules = _owned(
    "schedules",
    "client_schedule_id",
    Column("friendly_name", String(60), nullable=False),
    Column("time_zone_id", Integer, nullable=True),  # none: the account's time zone
    Column("range_date", String(16), nullable=False),
    Column("shift_start_date", Date, nullable=False),
    Column("business_hours", Text, nullable=False, server_default=""),  # JSON
    Column("shifts", Text, nullable=False, server_default=""),  # JSON: the `shift[n]` records
)

ivr_profiles = _owned(
    "ivr_profiles",
    "client_ivr_profile_id",
    Column("friendly_name", String(60), nullable=False),
    Column("default_language", String(2), nullable=False, server_default=""),
    Column("pre_ivr_extension", Integer, nullable=True),
    Column("pre_ivr_delay", String(4), nullable=False),
    Column("client_office_hour_id", Integer, nullable=True),
    Column("client_moh_profile_id", Integer, nullable=True),
    Column("options", String(64), nullable=False, server_default=""),
    Column("metadata", Text, nullable=True),
)

queues = _owned(
    "queues",
    "client_queue_id",
    Column("friendly_name", String(60), nullable=False),
    Column("client_moh_profile_id", Integer, nullable=True),
    _delay("max_wait_time"),
    _delay("max_wait_time_no_agent"),
    _delay("progressive_ring_delay"),
    _delay("discard_abandoned_delay"),
    _delay("max_no_agent"),
    _delay("tier_escalate_delay"),
    Column("suspended_until", Float, nullable=True),
    Column("options", String(128), nullable=False, server_default=""),
)

queue_agents = _owned(
    "queue_agents",
    "client_queue_agent_id",
    Column("friendly_name", String(60), nullable=False),
    Column("client_peer_id", Integer, nullable=True),
    Column("client_director_profile_id", Integer, nullable=True),
    Column("client_schedule_id", Integer, nullable=True),
    _delay("ring_delay"),
    _delay("wrap_up_delay"),
    _delay("on_busy_delay"),
    _delay("on_reject_delay"),
    _delay("on_unanswered_delay"),
    _delay("max_unanswered"),
    Column("agent_status", String(16), nullable=False, server_default=""),
)

# The agents of a queue, in the order `update_queue` listed them.
queue_members = Table(
    "queue_members",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True),
    Column("client_queue_id", Integer, ForeignKey("queues.client_queue_id"), primary_key=True),
    Column(
        "client_queue_agent_id",
        Integer,
        ForeignKey("queue_agents.client_queue_agent_id"),
        primary_key=True,
    ),
    Column("position", Integer, nullable=False),
)

extensions = _owned(
    "extensions",
    "client_extension_id",
    Column("extension", Integer, nullable=False),
    Column("friendly_name", String(32), nullable=False, server_default=""),
    Column("client_peer_ids", String(255), nullable=False, server_default=""),
    Column("peer_timeout", String(16), nullable=False, server_default=""),
    Column("enable_peer", Boolean, nullable=False, server_default=false()),
    Column("client_queue_ids", String(255), nullable=False, server_default=""),
    Column("forward_number", String(20), nullable=False, server_default=""),
    Column("forward_timeout", String(16), nullable=False, server_default=""),
    Column("enable_forwarding", Boolean, nullable=False, server_default=false()),
    Column("announce_media_file_id", Integer, nullable=True),
    Column("send_dtmf", String(64), nullable=False, server_default=""),
    Column("voice_language", String(2), nullable=False, server_default=""),
    Column("confirm_media_file_id", Integer, nullable=True),
    Column("client_mailbox_id", Integer, nullable=True),
    Column("enable_voicemail", Boolean, nullable=False, server_default=false()),
    Column("enable_parking", Boolean, nullable=False, server_default=false()),
    Column("options", String(64), nullable=False, server_default=""),
    Column("dnis_rewrite", String(20), nullable=False, server_default=""),
    Column("metadata", Text, nullable=True),
    # An extension number is dialled: one per account.
    Index("ix_extensions_account_extension", "account_id", "extension", unique=True),
)
