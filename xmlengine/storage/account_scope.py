"""The one door to the account's rows: every statement on an owned table goes through it.

A handler, a domain service or a piece of background work acting for one account receives
an `AccountScope` bound to one transaction and that account. The statements it builds
through `select`, `insert`, `update` and `delete` carry the account filter, and `execute`
refuses a statement that reaches an owned table (one with an `account_id` column) without
it: the tenant cannot be forgotten, only asked for. Catalogs (rates, plans, devices) have
no `account_id` and are read freely. The scope holds data, not presentation: language,
currency and the answer's format live in the protocol's answer context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import (
    Column,
    Connection,
    CursorResult,
    Delete,
    Executable,
    Insert,
    NestedTransaction,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.util import find_tables

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.storage.prepared import Prepared
from xmlengine.storage.tables import accounts, users

# The execution option a scope's statements carry: the owned tables they are limited to.
SCOPED = "xmlengine_scoped_tables"

S = TypeVar("S", bound=Executable)


class UnscopedStatement(RuntimeError):
    """A statement reached an owned table without the account filter: a programming error."""


@dataclass(frozen=True, slots=True)
class Owned:
    """An entity a parameter may name by id (`Ref(kind=...)`): its table and id column."""

    kind: str
    table: Table
    id_column: str


# kind -> Owned. Filled by the entity declarations (and the few owned tables declared in
# storage itself); never written by hand elsewhere.
OWNED: dict[str, Owned] = {}


def own(kind: str, table: Table, id_column: str) -> Owned:
    if kind in OWNED and OWNED[kind].table is not table:
        raise ValueError(f"entity kind {kind} declared twice")
    OWNED[kind] = owned_kind = Owned(kind, table, id_column)
    return owned_kind


def is_owned(table: Any) -> bool:
    columns = getattr(table, "c", None)
    return columns is not None and "account_id" in columns


def scoped(statement: Select[Any], *tables_: Table) -> Prepared:
    """A hot-path statement limited to the account bound when it runs (`AccountScope.rows`)."""
    return Prepared(owned(statement, *tables_), scoped=True)


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
        self, conn: Connection, account: Account, *, clock: Clock, settings: Settings
    ) -> None:
        self._conn = conn
        self.account = account
        self.account_id = account.account_id
        self.clock = clock
        self.settings = settings

    @cached_property
    def zone(self) -> dt.tzinfo:
        """The account's time zone (few requests need it: looked up when first asked for)."""
        return zone(self.account.time_zone)

    @classmethod
    def load(
        cls, conn: Connection, account_id: int, *, clock: Clock, settings: Settings
    ) -> AccountScope:
        """The scope of an account for work done on its behalf outside a request (the
        sandbox network, imports): acting as its first user."""
        a, u = accounts.c, users.c
        row = conn.execute(
            select(a.account_id, u.client_user_id, u.username, a.email)
            .add_columns(a.language, a.currency, a.time_zone)
            .select_from(accounts.join(users))
            .where(a.account_id == account_id)
            .order_by(u.client_user_id)
            .limit(1)
        ).one()
        return cls(conn, Account(*row), clock=clock, settings=settings)

    # Local days: what a date range of the account means.

    def local_time(self, epoch: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(epoch, self.zone)

    def today(self) -> dt.date:
        return self.local_time(self.clock.now()).date()

    # Statements.

    def _limit(self, statement: S, tables_: Sequence[Any]) -> S:
        scoped_tables = frozenset(getattr(t, "element", t) for t in tables_)
        marked = statement.get_execution_options().get(SCOPED, frozenset())
        return statement.execution_options(**{SCOPED: marked | scoped_tables})

    def select(self, table: Any, *columns: Any) -> Select[Any]:
        query = select(*(columns or (table,))).where(table.c.account_id == self.account_id)
        return self._limit(query, [table])

    def also(self, query: Select[Any], *tables_: Any) -> Select[Any]:
        """Limit the other owned tables a query joins to this account as well."""
        query = query.where(*(t.c.account_id == self.account_id for t in tables_))
        return self._limit(query, tables_)

    def outer_join(
        self, query: Select[Any], left: Any, right: Table, on: ColumnElement[bool]
    ) -> Select[Any]:
        """`query` over `left` outer-joined to this account's rows of `right` (the account
        filter goes in the join's condition, so rows of `left` without a match stay)."""
        joined = left.outerjoin(right, and_(on, right.c.account_id == self.account_id))
        return self._limit(query.select_from(joined), [right])

    def insert(self, table: Table) -> Insert:
        return self._limit(table.insert().values(account_id=self.account_id), [table])

    def upsert(self, table: Table) -> postgresql.Insert | sqlite.Insert:
        """`INSERT ... ON CONFLICT` in the connection's dialect, for this account's row."""
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        return self._limit(insert(table).values(account_id=self.account_id), [table])

    def update(self, table: Table) -> Update:
        statement = table.update().where(table.c.account_id == self.account_id)
        return self._limit(statement, [table])

    def delete(self, table: Table) -> Delete:
        statement = table.delete().where(table.c.account_id == self.account_id)
        return self._limit(statement, [table])

    def execute(
        self, statement: Executable, params: Mapping[str, Any] | Sequence[Mapping[str, Any]] = ()
    ) -> CursorResult[Any]:
        """Run a statement; one reaching an owned table it is not limited to is refused."""
        limited = statement.get_execution_options().get(SCOPED, frozenset())
        for table in find_tables(statement, include_joins=True, include_crud=True):  # type: ignore[arg-type]
            if is_owned(table) and table not in limited:
                raise UnscopedStatement(f"{table.name} reached without the account filter")
        return self._conn.execute(statement, params or None)

    def rows(self, prepared: Prepared, **params: Any) -> list[tuple[Any, ...]]:
        """Run a prepared statement built with `scoped()`, bound to this account."""
        if not prepared.scoped:
            raise UnscopedStatement("a prepared statement not built with scoped()")
        return prepared.rows(self._conn, {"account_id": self.account_id, **params})

    def first(self, prepared: Prepared, **params: Any) -> tuple[Any, ...] | None:
        rows = self.rows(prepared, **params)
        return rows[0] if rows else None

    def savepoint(self) -> NestedTransaction:
        """A part of the transaction that may fail alone (an insert that meets a unique key
        another transaction took first) and be rolled back without ending the rest."""
        return self._conn.begin_nested()

    def connection_for_work(self) -> Connection:
        """The transaction itself, for the work layer's machinery that serves every account
        (the outbox, webhook secrets and sequences) written in this transaction; a test keeps
        its callers inside `xmlengine/work`."""
        return self._conn

    @property
    def dialect(self) -> str:
        return self._conn.dialect.name

    def in_use(self, column: Column[Any], value: Any) -> bool:
        """Whether any account's row holds `value` in a column unique across the service
        (a peer's SIP username): the answer alone, never the row."""
        query = select(func.count()).select_from(column.table).where(column == value)
        return bool(self._conn.execute(query).scalar_one())

    def owns(self, kind: str, ids: Sequence[int]) -> bool:
        """Whether every id names an entity of this account (another account's is unknown)."""
        entity = OWNED.get(kind)
        if entity is None:  # a family not built yet: no such entity can exist
            return False
        column = entity.table.c[entity.id_column]
        wanted = set(ids)
        query = self.select(entity.table, func.count()).where(column.in_(wanted))
        return bool(self.execute(query).scalar_one() == len(wanted))
