"""The one place that scopes queries to the caller's account.

A handler receives an `AccountScope` bound to one transaction and one account: the
statements it builds through `select`, `insert`, `update` and `delete` carry the
account filter already, so no handler can forget the tenant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    Connection,
    Delete,
    Insert,
    Select,
    Table,
    Update,
    bindparam,
    func,
    select,
)
from sqlalchemy.sql.elements import BindParameter, ColumnElement

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.storage import account_tables, billing_tables, did_tables, media_tables, tables
from xmlengine.storage.prepared import Prepared

# Entities a parameter may name by id: kind -> (table, id column). Families add theirs.
OWNED: dict[str, tuple[Table, str]] = {
    "subaccount": (tables.subaccounts, "client_subaccount_id"),
    "brand": (account_tables.brands, "client_brand_id"),
    "subaccount_address": (account_tables.subaccount_addresses, "client_address_id"),
    "channel": (account_tables.channels, "client_channel_id"),
    "reseller_transaction": (billing_tables.reseller_transactions, "reseller_transaction_id"),
    "reseller_invoice": (billing_tables.reseller_invoices, "reseller_invoice_id"),
    "call_recording": (media_tables.call_recordings, "call_recording_id"),
    "call_voicemail": (media_tables.call_voicemails, "call_voicemail_id"),
    "call_issue": (media_tables.call_issues, "call_issue_id"),
    "did": (did_tables.dids, "client_did_id"),
    "peer": (did_tables.peers, "client_peer_id"),
}


def scoped(statement: Select[Any], *tables_: Table) -> Prepared:
    """A hot-path statement limited to the account bound when it runs (`AccountScope.rows`)."""
    return Prepared(owned(statement, *tables_))


def owned(statement: Select[Any], *tables_: Table) -> Select[Any]:
    """The same limit on a part of a statement (a subquery of a `Prepared` one)."""
    owner: BindParameter[int] = bindparam("account_id")
    return statement.where(*(t.c.account_id == owner for t in tables_))


@lru_cache(maxsize=64)
def zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


@dataclass(frozen=True, slots=True)
class Account:
    account_id: int
    client_user_id: int
    username: str
    email: str
    language: str
    currency: str
    time_zone: str


class AccountScope:
    def __init__(
        self,
        conn: Connection,
        account: Account,
        *,
        language: str,
        currency: str,
        clock: Clock,
        settings: Settings,
        generation: str = "v1.1",
        base_url: str = "",
        fmt: str = "",
    ) -> None:
        self.conn = conn
        self.account = account
        self.account_id = account.account_id
        self.language = language
        self.currency = currency
        self.clock = clock
        self.settings = settings
        self.generation = generation  # "v1.0" or "v1.1": the URL the request came by
        self.base_url = base_url  # "https://api.example.com": where the API answered
        # "xml" or "json" when the caller tells: the database may write a JSON answer's
        # largest parts itself (get_calls pages).
        self.fmt = fmt

    def money(self, amount_cad: float, decimals: int = 4) -> str:
        """An amount kept in CAD, shown in the request's currency."""
        rate = self.settings.exchange_rates.get(self.currency, 1.0)
        return f"{amount_cad * rate:.{decimals}f}"

    def local_time(self, epoch: float) -> dt.datetime:
        """A moment in the account's time zone, as every date and time is shown."""
        return dt.datetime.fromtimestamp(epoch, zone(self.account.time_zone))

    def datetime_text(self, epoch: float | None) -> str:
        """`YYYY-MM-DD HH:MM:SS` in the account's time zone; empty for no moment."""
        if epoch is None:
            return ""
        # The same text as strftime("%Y-%m-%d %H:%M:%S") for years 1000 to 9999, at a third
        # of its cost: every date and time of every answer comes through here.
        return self.local_time(epoch).isoformat(" ", "seconds")[:19]

    def _owner(self, table: Table) -> ColumnElement[bool]:
        return table.c.account_id == self.account_id

    def select(self, table: Table, *columns: Any) -> Select[Any]:
        return select(*(columns or (table,))).where(self._owner(table))

    def insert(self, table: Table) -> Insert:
        return table.insert().values(account_id=self.account_id)

    def update(self, table: Table) -> Update:
        return table.update().where(self._owner(table))

    def delete(self, table: Table) -> Delete:
        return table.delete().where(self._owner(table))

    def rows(self, prepared: Prepared, **params: Any) -> list[tuple[Any, ...]]:
        """Run a prepared statement built with `scoped()`, bound to this account."""
        return prepared.rows(self.conn, {"account_id": self.account_id, **params})

    def first(self, prepared: Prepared, **params: Any) -> tuple[Any, ...] | None:
        rows = self.rows(prepared, **params)
        return rows[0] if rows else None

    def owns(self, kind: str, ids: Sequence[int]) -> bool:
        """Whether every id names an entity of this account (another account's is unknown)."""
        if kind not in OWNED:  # a family not built yet: no such entity can exist
            return False
        table, id_column = OWNED[kind]
        wanted = set(ids)
        found = self.conn.execute(
            self.select(table, func.count()).where(table.c[id_column].in_(wanted))
        ).scalar_one()
        return bool(found == len(wanted))
