"""The call history partitioned by month on PostgreSQL; nothing on SQLite.

The table is rebuilt as a table partitioned by range of `started_at` with its rows:
one partition per UTC month that has calls, this month and the next three, and a
default partition. A partitioned table's unique constraints must hold the partition key:
the primary key becomes (call_id, started_at), and call_hash is unique by an index of
each partition (`calls_2026_12_call_hash`); `call_id` keeps its sequence, moved to the
new table.

Revision ID: 0012
Revises: 0011
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

AHEAD = 3


def _month(start: dt.datetime, step: int) -> dt.datetime:
    index = start.year * 12 + start.month - 1 + step
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence('calls', 'call_id')")).scalar()
    for statement in (
        "ALTER TABLE calls RENAME TO calls_unpartitioned",
        f"ALTER SEQUENCE {sequence} OWNED BY NONE",
        "ALTER TABLE calls_unpartitioned DROP CONSTRAINT pk_calls, "
        "DROP CONSTRAINT uq_calls_call_hash, DROP CONSTRAINT fk_calls_account_id_accounts",
        "DROP INDEX ix_calls_account_sequence, ix_calls_account_started",
        "CREATE TABLE calls (LIKE calls_unpartitioned INCLUDING DEFAULTS) "
        "PARTITION BY RANGE (started_at)",
        f"ALTER SEQUENCE {sequence} OWNED BY calls.call_id",
        "ALTER TABLE calls ADD CONSTRAINT pk_calls PRIMARY KEY (call_id, started_at)",
        "ALTER TABLE calls ADD CONSTRAINT fk_calls_account_id_accounts "
        "FOREIGN KEY (account_id) REFERENCES accounts (account_id)",
        "CREATE INDEX ix_calls_account_sequence ON calls (account_id, call_id)",
        "CREATE INDEX ix_calls_account_started ON calls (account_id, started_at, call_id)",
        "CREATE TABLE calls_default PARTITION OF calls DEFAULT",
        "CREATE UNIQUE INDEX calls_default_call_hash ON calls_default (call_hash)",
    ):
        conn.execute(sa.text(statement))
    held = conn.execute(
        sa.text(
            "SELECT DISTINCT date_trunc('month', to_timestamp(started_at) AT TIME ZONE 'UTC') "
            "FROM calls_unpartitioned"
        )
    ).scalars()
    this_month = dt.datetime.now(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    starts = {m.replace(tzinfo=dt.UTC) for m in held}
    starts |= {_month(this_month, step) for step in range(AHEAD + 1)}
    for start in sorted(starts):
        low, high = start.timestamp(), _month(start, 1).timestamp()
        name = f"calls_{start:%Y_%m}"
        conn.execute(
            sa.text(f"CREATE TABLE {name} PARTITION OF calls FOR VALUES FROM ({low}) TO ({high})")
        )
        conn.execute(sa.text(f"CREATE UNIQUE INDEX {name}_call_hash ON {name} (call_hash)"))
    conn.execute(sa.text("INSERT INTO calls SELECT * FROM calls_unpartitioned"))
    conn.execute(sa.text("DROP TABLE calls_unpartitioned"))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    sequence = conn.execute(sa.text("SELECT pg_get_serial_sequence('calls', 'call_id')")).scalar()
    for statement in (
        "ALTER TABLE calls RENAME TO calls_partitioned",
        f"ALTER SEQUENCE {sequence} OWNED BY NONE",
        "ALTER TABLE calls_partitioned DROP CONSTRAINT pk_calls, "
        "DROP CONSTRAINT fk_calls_account_id_accounts",
        "DROP INDEX ix_calls_account_sequence, ix_calls_account_started",
        "CREATE TABLE calls (LIKE calls_partitioned INCLUDING DEFAULTS)",
        f"ALTER SEQUENCE {sequence} OWNED BY calls.call_id",
        "INSERT INTO calls SELECT * FROM calls_partitioned",
        "DROP TABLE calls_partitioned",
        "ALTER TABLE calls ADD CONSTRAINT pk_calls PRIMARY KEY (call_id)",
        "ALTER TABLE calls ADD CONSTRAINT uq_calls_call_hash UNIQUE (call_hash)",
        "ALTER TABLE calls ADD CONSTRAINT fk_calls_account_id_accounts "
        "FOREIGN KEY (account_id) REFERENCES accounts (account_id)",
        "CREATE INDEX ix_calls_account_sequence ON calls (account_id, call_id)",
        "CREATE INDEX ix_calls_account_started ON calls (account_id, started_at, call_id)",
    ):
        conn.execute(sa.text(statement))
