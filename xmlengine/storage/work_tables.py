"""Tables of the background work: the outbox, webhook deliveries and their attempts.

The outbox holds what must happen after a commit; a row is written in the same
transaction as the change that causes it. Workers claim rows, lease them for a while
and finish them; a row whose lease ran out is claimed again (at least once).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from xmlengine.storage.tables import metadata

# Outbox statuses: pending (waiting or leased), done, failed (gave up).
PENDING = "pending"
DONE = "done"
FAILED = "failed"

outbox = Table(
    "outbox",
    metadata,
    Column("event_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("account_id", BigInteger, nullable=True),
    Column("kind", String(32), nullable=False),  # "webhook", "email", ...
    Column("payload", Text, nullable=False),  # JSON
    Column("status", String(16), nullable=False, server_default=PENDING),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("available_at", Float, nullable=False),  # not claimed before (retries back off)
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", Float, nullable=True),  # claimed until; reclaimed after
    Column("created_at", Float, nullable=False),
    Column("finished_at", Float, nullable=True),
    Column("last_error", String(255), nullable=False, server_default=""),
    Index("ix_outbox_status_available_at", "status", "available_at"),
)

webhook_secrets = Table(
    "webhook_secrets",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), primary_key=True),
    Column("secret", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
)

# The last sequence number given per subject (a call hash, an SMS id, ...).
webhook_sequences = Table(
    "webhook_sequences",
    metadata,
    Column("account_id", BigInteger, primary_key=True),
    Column("subject", String(64), primary_key=True),
    Column("last_sequence", Integer, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("delivery_id", String(32), primary_key=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("trigger", String(32), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("callback_url", String(2048), nullable=False),
    Column("backup_url", String(2048), nullable=False, server_default=""),
    Column("body", Text, nullable=False),  # the JSON posted, exactly
    Column("occurred_at", Float, nullable=False),
    Column("status", String(16), nullable=False, server_default=PENDING),
    Column("attempts", Integer, nullable=False, server_default="0"),  # rounds tried
    Column("event_id", BigInteger, nullable=True),  # the outbox row sending it now
    Column("created_at", Float, nullable=False),
    Column("delivered_at", Float, nullable=True),
    Index("ix_webhook_deliveries_account_id_created_at", "account_id", "created_at"),
)

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    Column("attempt_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column(
        "delivery_id",
        String(32),
        ForeignKey("webhook_deliveries.delivery_id"),
        nullable=False,
    ),
    Column("account_id", BigInteger, nullable=False),
    Column("url", String(2048), nullable=False),
    Column("http_status", Integer, nullable=True),  # None: no answer (refused, timeout, ...)
    Column("error", String(255), nullable=False, server_default=""),
    Column("started_at", Float, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("response_excerpt", Text, nullable=False, server_default=""),
    Index("ix_webhook_attempts_delivery_id", "delivery_id"),
)
