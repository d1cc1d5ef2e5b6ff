"""Call history and its rollups (migrations 0004, 0007 and 0012).

`call_id` is the logging sequence: calls get it in the order they are logged, and the
`call_hash` cursor of get_calls returns the calls logged after a given one by it.
Times are epoch seconds (UTC), shown in the account's time zone. Amounts are CAD.
A rollup's `day` is a day of the account's time zone; `client_subaccount_id` 0 is the
main account.

Two rollups, both kept by `record_calls` in the transaction that logs the calls:
- `call_daily`: the usage of each day, per subaccount and routing type;
- `call_running`: the same usage as running totals — each row is everything a series
  (account, subaccount, routing type) used up to and including its day — so that the
  usage of any period is two reads per series (the last row of the period minus the
  last row before it), however long the period. `call_series` lists each account's
  series.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from xmlengine.storage.tables import metadata

# SQLite makes only an INTEGER PRIMARY KEY the rowid (and so an autoincrement).
SEQUENCE = BigInteger().with_variant(Integer(), "sqlite")

# The guide's `extras` of get_calls, in its order: concurrency and limits when the call began.
EXTRA_FIELDS = (
    "failure_code",
    "sip_response_code",
    "account_usage_inbound",
    "account_usage_outbound",
    "account_call_limit",
    "subaccount_usage_inbound",
    "subaccount_usage_outbound",
    "subaccount_call_limit",
    "subaccount_channel_inbound",
    "subaccount_channel_outbound",
    "channel_usage_inbound",
    "channel_usage_outbound",
    "channel_usage_excess",
)

calls = Table(
    "calls",
    metadata,
    Column("call_id", SEQUENCE, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("call_hash", String(32), nullable=False, unique=True),
    Column("started_at", Float, nullable=False),
    Column("direction", String(8), nullable=False),  # inbound, outbound
    Column("source", String(128), nullable=False),
    Column("destination", String(128), nullable=False),
    Column("client_peer_id", Integer, nullable=True),
    Column("client_did_id", Integer, nullable=True),
    Column("client_channel_id", Integer, nullable=True),
    Column("client_subaccount_id", Integer, nullable=True),
    # Where the other party's number is: production ids of reference/geography.py.
    Column("country_id", Integer, nullable=True),
    Column("state_id", Integer, nullable=True),
    Column("district", String(64), nullable=False, server_default=""),
    Column("normalized", String(32), nullable=False, server_default=""),  # E.164 digits
    Column("duration", Integer, nullable=False),  # seconds
    Column("billed_duration", Integer, nullable=False),
    Column("callerid_name", String(64), nullable=False, server_default=""),
    Column("callerid_number", String(32), nullable=False, server_default=""),
    Column("bindings", String(255), nullable=False, server_default=""),
    Column("disposition", String(16), nullable=False),
    Column("routing_type", String(32), nullable=False),
    Column("billed_amount", Float, nullable=False),  # CAD
    Column("current_rate", Float, nullable=False),  # CAD per minute
    Column("monthly_usage", Float, nullable=False),  # CAD billed this month, this call included
    Column("failure_code", String(32), nullable=False, server_default=""),
    *(Column(name, Integer, nullable=True) for name in EXTRA_FIELDS[1:]),
    Column("source_type", String(16), nullable=False, server_default=""),
    Column("source_details", String(255), nullable=False, server_default=""),
    Column("destination_type", String(16), nullable=False, server_default=""),
    Column("destination_details", String(255), nullable=False, server_default=""),
    Column("metadata", Text, nullable=True),
    Index("ix_calls_account_sequence", "account_id", "call_id"),
    Index("ix_calls_account_started", "account_id", "started_at", "call_id"),
    # PostgreSQL: by month, with the keys this asks for (storage/partitions.py, 0012).
    postgresql_partition_by="RANGE (started_at)",
)

call_daily = Table(
    "call_daily",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("client_subaccount_id", Integer, primary_key=True),
    Column("routing_type", String(32), primary_key=True),
    Column("calls", Integer, nullable=False),
    Column("duration", BigInteger, nullable=False),
    Column("billed_duration", BigInteger, nullable=False),
    Column("billed_amount", Float, nullable=False),
)

call_series = Table(
    "call_series",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), primary_key=True),
    Column("client_subaccount_id", Integer, primary_key=True),
    Column("routing_type", String(32), primary_key=True),
)

call_running = Table(
    "call_running",
    metadata,
    # The key in this order: a series' rows are adjacent, by day, in the primary key.
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), primary_key=True),
    Column("client_subaccount_id", Integer, primary_key=True),
    Column("routing_type", String(32), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("calls", BigInteger, nullable=False),
    Column("duration", BigInteger, nullable=False),
    Column("billed_duration", BigInteger, nullable=False),
    # In ten-thousandths of a CAD (amounts are rounded to 4 decimals): exact differences.
    Column("billed_amount_e4", BigInteger, nullable=False),
)
