"""The call history's monthly partitions on PostgreSQL (migration 0012).

On PostgreSQL `calls` is partitioned by range of `started_at`, one partition per UTC
month (`calls_2026_12` holds the calls begun in December 2026), and `calls_default`
takes the calls of a month without a partition (old imports, clocks far off). A
partitioned table's unique constraints must hold the partition key, so:
- the primary key is (`call_id`, `started_at`); `call_id` is still drawn from the one
  sequence of the parent table, so it remains the logging order across partitions;
- `call_hash` is unique in each partition, by an index of the partition
  (`calls_2026_12_call_hash`), which also serves the lookups of a hash; across months
  it is unique by how hashes are made — 128 random bits, or for imported calls checked
  against the whole history in the importing transaction (`domain/cdr_import.py`). A
  registry table of hashes would make it a constraint at the cost of a second insert
  per call.
The embedded SQLite keeps one table with `call_hash` unique.

Partitions are created ahead: this month and the next `AHEAD` ones, by the background
work of every process at start and then every few hours, and by `xmlengine db
partitions`. A month whose calls already sit in the default partition is left there
(PostgreSQL refuses a partition whose rows the default holds) and reported.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Connection, text

AHEAD = 3
PARTITION_NAME = re.compile(r"^calls_(\d{4}_\d{2}|default)$")


def month_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, 1, tzinfo=dt.UTC)


def next_month(start: dt.datetime) -> dt.datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def months(first: dt.date, last: dt.date) -> list[dt.datetime]:
    """The UTC month starts from `first`'s month to `last`'s, both included."""
    found, start = [], month_start(first)
    while start <= month_start(last):
        found.append(start)
        start = next_month(start)
    return found


def ensure_partitions(conn: Connection, now: float, ahead: int = AHEAD) -> list[str]:
    """Create the partitions of this month and the next `ahead` that do not exist yet; the
    names of those created. Nothing on SQLite, or where `calls` is not partitioned."""
    if conn.dialect.name != "postgresql" or not _partitioned(conn):
        return []
    # One process at a time: several servers start together on one database.
    conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('calls partitions'))"))
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    wanted = months(today, today)
    while len(wanted) <= ahead:
        wanted.append(next_month(wanted[-1]))
    existing = set(conn.execute(text(_PARTITIONS)).scalars())
    created = []
    for start in wanted:
        name = f"calls_{start:%Y_%m}"
        if name in existing:
            continue
        low, high = start.timestamp(), next_month(start).timestamp()
        held = conn.execute(
            text(
                "SELECT 1 FROM calls_default WHERE started_at >= :low AND started_at < :high"
                " LIMIT 1"
            ),
            {"low": low, "high": high},
        ).first()
        if held is not None:
            continue
        conn.execute(
            text(f"CREATE TABLE {name} PARTITION OF calls FOR VALUES FROM ({low}) TO ({high})")
        )
        conn.execute(text(f"CREATE UNIQUE INDEX {name}_call_hash ON {name} (call_hash)"))
        created.append(name)
    return created


def partition_names(conn: Connection) -> list[str]:
    if conn.dialect.name != "postgresql":
        return []
    return sorted(conn.execute(text(_PARTITIONS)).scalars())


def _partitioned(conn: Connection) -> bool:
    found = conn.execute(
        text("SELECT 1 FROM pg_partitioned_table WHERE partrelid = to_regclass('calls')")
    ).first()
    return found is not None


_PARTITIONS = (
    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
    "WHERE i.inhparent = to_regclass('calls')"
)
