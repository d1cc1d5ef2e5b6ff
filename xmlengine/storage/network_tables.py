"""The network jobs: what the server asked of the telephone network, durably.

A request that needs the network (send an SMS, a fax, place a call) writes its own row
and a job here in its transaction; the one process that owns the network takes the jobs
when they are due and hands them over. A job the network is working on is `started`
and keeps, in `state`, what its kind needs to end it cleanly if the owner stops before
the network reports its end (docs/network-jobs.md).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Index, Integer, String, Table, Text

from xmlengine.storage.tables import metadata

# Job statuses: waiting for its time, handed to the network, ended (whatever the outcome).
PENDING = "pending"
STARTED = "started"
DONE = "done"
CANCELLED = "cancelled"

network_jobs = Table(
    "network_jobs",
    metadata,
    Column("job_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
    Column("account_id", BigInteger, nullable=False),
    Column("kind", String(32), nullable=False),  # "sms", "fax", "call", ...: its handler
    Column("ref", String(64), nullable=False),  # the server's id of what it carries
    Column("payload", Text, nullable=False),  # JSON: what the handler hands the network
    Column("state", Text, nullable=False, server_default="{}"),  # JSON: progress so far
    Column("status", String(16), nullable=False, server_default=PENDING),
    Column("due_at", Float, nullable=False),  # not taken before (datetime_scheduled)
    Column("attempts", Integer, nullable=False, server_default="0"),  # times handed over
    Column("owner", String(64), nullable=True),  # the network owner that took it last
    Column("created_at", Float, nullable=False),
    Column("started_at", Float, nullable=True),
    Column("alive_at", Float, nullable=True),  # its owner last known running
    Column("finished_at", Float, nullable=True),
    Index("ix_network_jobs_status_due_at", "status", "due_at"),
    Index("ix_network_jobs_kind_ref", "kind", "ref"),
)
