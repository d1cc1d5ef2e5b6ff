"""Caller ID profiles and their conditions (migration 0014).

A profile's subaccount is an association (`subaccount_associations`), not a column. A
condition is a row of its own: `update_callerid_profile` edits one by its
`client_callerid_profile_data_id`.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Integer, String, Table, Text

from xmlengine.storage.tables import metadata


def _account() -> Column[int]:
    return Column(
        "account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True
    )


def _stamps() -> list[Column[float]]:
    return [
        Column("created_at", Float, nullable=False),
        Column("updated_at", Float, nullable=False),
    ]


callerid_profiles = Table(
    "callerid_profiles",
    metadata,
    Column("client_callerid_profile_id", Integer, primary_key=True, autoincrement=True),
    _account(),
    Column("friendly_name", String(32), nullable=False),
    Column("callerid_name", String(15), nullable=False, server_default=""),
    Column("client_did_ids", Text, nullable=False, server_default=""),  # `1,2`
    Column("default_client_did_id", Integer, nullable=True),
    Column("callerid_number", String(20), nullable=False, server_default=""),
    Column("privacy", String(8), nullable=False, server_default=""),
    Column("status", String(16), nullable=False, server_default="enabled"),
    Column("comments", Text, nullable=False, server_default=""),
    *_stamps(),
)

callerid_conditions = Table(
    "callerid_conditions",
    metadata,
    Column("client_callerid_profile_data_id", Integer, primary_key=True, autoincrement=True),
    _account(),
    Column("client_callerid_profile_id", Integer, nullable=False, index=True),
    Column("callerid_name", String(15), nullable=False, server_default=""),
    Column("client_did_id", Integer, nullable=True),
    Column("callerid_number", String(20), nullable=False, server_default=""),
    Column("privacy", String(8), nullable=False, server_default="keep"),
    Column("country_id", Integer, nullable=True),
    Column("state_id", Integer, nullable=True),
    Column("ratecenter_id", Integer, nullable=True),
    Column("radius_distance", Integer, nullable=True),  # km
    Column("source_number", String(10), nullable=False, server_default=""),
    Column("source_regexp", String(255), nullable=False, server_default=""),
    Column("destination_number", String(10), nullable=False, server_default=""),
    Column("destination_regexp", String(255), nullable=False, server_default=""),
    Column("match_methods", String(160), nullable=False, server_default=""),  # `a,b`
    Column("order_index", Integer, nullable=False, server_default="0"),
    Column("comments", Text, nullable=False, server_default=""),
    *_stamps(),
)
