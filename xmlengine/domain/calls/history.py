"""Reading the call history: one prepared keyset query per shape of search, and the
calls' values turned into text a column at a time.

Two ways through the history, each on its own index:
- the `call_hash` cursor: the calls logged after a given one, in logging order
  (`account_id, call_id`), so polling costs the same however long the history is;
- a period (a date range or the latest hours): calls by start time
  (`account_id, started_at, call_id`), oldest first, so that the last call of a page is
  the one to poll from next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, overload

from sqlalchemy import Integer, Select, bindparam, select

from xmlengine.domain.calls.records import DISPOSITIONS
from xmlengine.domain.local_times import LocalTimes
from xmlengine.reference import geography
from xmlengine.storage.account_scope import AccountScope, owned, scoped, zone
from xmlengine.storage.call_tables import EXTRA_FIELDS, calls
from xmlengine.storage.prepared import Prepared

# The fields of a call on the v1.0 URL, in this order and nothing else (WIRE.md).
V10_FIELDS: Final = (
    "date",
    "time",
    "direction",
    "source",
    "destination",
    "client_peer_id",
    "country_id",
    "country",
    "state_id",
    "state",
    "district",
    "duration",
    "callerid_name",
    "callerid_number",
    "bindings",
    "status",
    "normalized",
    "billed_amount",
    "current_rate",
    "monthly_usage",
)
# What v1.1 adds after them.
V11_FIELDS: Final = (
    "billed_duration",
    "disposition",
    "routing_type",
    "client_did_id",
    "client_channel_id",
    "client_subaccount_id",
)
ROUTING_FIELDS: Final = ("source_type", "source_details", "destination_type", "destination_details")
# Values that come from people or other switches: the only ones XML may need to escape.
FREE_TEXT: Final = frozenset(
    {
        "source",
        "destination",
        "country",
        "state",
        "district",
        "callerid_name",
        "callerid_number",
        "bindings",
        "failure_code",
        "source_details",
        "destination_details",
    }
)
# The status of v1.0 (and v1.1): the disposition in lower-case words, as production
# answers it and v1.0 pollers test it (`$status eq 'answered'`, WIRE.md).
STATUS: Final = {disposition: disposition.replace("_", " ") for disposition in DISPOSITIONS}

_BASE: Final = (
    "call_hash",
    "started_at",
    "direction",
    "source",
    "destination",
    "client_peer_id",
    "country_id",
    "state_id",
    "district",
    "duration",
    "callerid_name",
    "callerid_number",
    "bindings",
    "disposition",
    "normalized",
    "billed_amount",
    "current_rate",
    "monthly_usage",
    "billed_duration",
    "routing_type",
    "client_did_id",
    "client_channel_id",
    "client_subaccount_id",
)
_BASE_COUNT: Final = len(_BASE)
NO_END: Final = 1e12  # a period open at its end: far past any call


@dataclass(slots=True)
class CallSearch:
    """What get_calls asks of the history; every filter is optional."""

    limit: int
    offset: int = 0
    after: int | None = None  # the logging sequence of the cursor's call
    started_from: float | None = None
    started_before: float = NO_END
    direction: str | None = None
    routing_types: Sequence[str] = ()
    dispositions: Sequence[str] = ()
    channel_id: int | None = None
    subaccount_id: int | None = None
    with_metadata_only: bool = False
    extras: bool = False
    routing_details: bool = False
    metadata: bool = False
    # How the answer shows the values: the request's language and currency (its rate from
    # CAD), and whether the answer is JSON (then the database may write the page itself).
    language: str = "en"
    rate: float = 1.0
    json: bool = False


@dataclass(slots=True)
class Page:
    fields: tuple[str, ...]  # the text fields of each row, `call_hash` first
    columns: Sequence[Sequence[str]]  # each field's texts over the page's calls
    metadata: list[str | None]  # the stored metadata of each row, when asked
    count: int
    # The page as a JSON array of objects written by the database (`columns` is then empty):
    # the fields in order, `unique_id` for `call_hash` on the v1.0 URL.
    json: str | None = None


_SEQUENCE_OF = scoped(
    select(calls.c.call_id).where(calls.c.call_hash == bindparam("call_hash")), calls
)


def sequence_of(acct: AccountScope, call_hash: str) -> int | None:
    """The logging sequence of the account's call `call_hash` (another account's: None)."""
    row = acct.first(_SEQUENCE_OF, call_hash=call_hash)
    return int(row[0]) if row else None


def fields_of(search: CallSearch, generation: str) -> tuple[str, ...]:
    shown: tuple[str, ...] = ("call_hash", *V10_FIELDS)
    if generation != "v1.0":
        shown += V11_FIELDS
    if search.extras:
        shown += EXTRA_FIELDS
    if search.routing_details:
        shown += ROUTING_FIELDS
    return shown


Shape = tuple[bool, bool, bool, int, int, bool, bool, bool]


def shape_of(search: CallSearch) -> Shape:
    return (
        search.after is not None,
        search.started_from is not None,
        search.direction is not None,
        len(search.routing_types),
        len(search.dispositions),
        search.channel_id is not None,
        search.subaccount_id is not None,
        search.with_metadata_only,
    )


def query_params(search: CallSearch) -> dict[str, Any]:
    params: dict[str, Any] = {
        "after": search.after,
        "started_from": search.started_from,
        "started_before": search.started_before,
        "direction": search.direction,
        "channel": search.channel_id,
        "subaccount": search.subaccount_id,
        "lim": search.limit,
        "off": search.offset,
    }
    params.update((f"rt{i}", value) for i, value in enumerate(search.routing_types))
    params.update((f"dp{i}", value) for i, value in enumerate(search.dispositions))
    return params


def search_calls_in_python(acct: AccountScope, search: CallSearch, generation: str) -> Page:
    """The page written by the loop of `_texts` from the stored values."""
    columns: tuple[str, ...] = _BASE
    if search.extras:
        columns += EXTRA_FIELDS
    if search.routing_details:
        columns += ROUTING_FIELDS
    if search.metadata:
        columns += ("metadata",)
    found = acct.rows(_statement(columns, shape_of(search)), **query_params(search))
    metadata = [row[-1] for row in found] if search.metadata else []
    tz = zone(acct.account.time_zone)
    texts = _Later(lambda: _texts(tz, found, generation, search))
    return Page(fields_of(search, generation), texts, metadata, len(found))


class _Later(Sequence[Sequence[str]]):
    """A page's columns of texts, made when they are first read: by the renderer, once the
    transaction has given its connection back. On PostgreSQL the texts of 1000 calls
    (about 1.3 ms) kept a pooled connection from the requests waiting for one (measured
    under 32 clients: 6 to 14% more JSON pages a second once made outside)."""

    def __init__(self, make: Callable[[], list[Sequence[str]]]) -> None:
        self._make: Callable[[], list[Sequence[str]]] | None = make
        self._made: list[Sequence[str]] = []

    def _columns(self) -> list[Sequence[str]]:
        if self._make is not None:
            self._made, self._make = self._make(), None
        return self._made

    @overload
    def __getitem__(self, index: int) -> Sequence[str]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Sequence[str]]: ...

    def __getitem__(self, index: int | slice) -> Sequence[str] | Sequence[Sequence[str]]:
        return self._columns()[index]

    def __len__(self) -> int:
        return len(self._columns())

    def __iter__(self) -> Iterator[Sequence[str]]:
        return iter(self._columns())


def filtered(query: Select[Any], shape: Shape) -> Select[Any]:
    """The search's conditions, order and paging on a query of the account's calls."""
    cursor, period, direction, routing_types, dispositions, channel, subaccount, only = shape
    c = calls.c
    if cursor:
        query = query.where(c.call_id > bindparam("after"))
    if period:
        query = query.where(
            c.started_at >= bindparam("started_from"), c.started_at < bindparam("started_before")
        )
    if direction:
        query = query.where(c.direction == bindparam("direction"))
    if routing_types:
        query = query.where(c.routing_type.in_([bindparam(f"rt{i}") for i in range(routing_types)]))
    if dispositions:
        query = query.where(c.disposition.in_([bindparam(f"dp{i}") for i in range(dispositions)]))
    if channel:
        query = query.where(c.client_channel_id == bindparam("channel"))
    if subaccount:
        query = query.where(c.client_subaccount_id == bindparam("subaccount"))
    if only:
        query = query.where(c.metadata.is_not(None))  # none is kept as NULL, never ""
    order = (c.call_id,) if cursor else (c.started_at, c.call_id)
    return owned(
        query.order_by(*order)
        .limit(bindparam("lim", type_=Integer))
        .offset(bindparam("off", type_=Integer)),
        calls,
    )


@lru_cache(maxsize=512)
def _statement(columns: tuple[str, ...], shape: Shape) -> Prepared:
    return Prepared(filtered(select(*(calls.c[name] for name in columns)), shape), scoped=True)


@lru_cache(maxsize=8)
def names_of(language: str) -> tuple[dict[int, str], dict[int, str]]:
    return (
        {c.country_id: c.name(language) for c in geography.countries()},
        {s.state_id: s.name(language) for s in geography.states()},
    )


class _Texts(dict[Any, str]):
    """Values already turned into text on this page: ids and rates repeat."""

    def __init__(self, convert: Callable[[Any], str] = str) -> None:
        super().__init__({None: ""})
        self.convert = convert

    def __missing__(self, value: Any) -> str:
        found = self[value] = self.convert(value)
        return found


def _texts(
    tz: dt.tzinfo, found: list[tuple[Any, ...]], generation: str, search: CallSearch
) -> list[Sequence[str]]:
    """The page's columns, each value turned into its wire text: a column at once, mapped
    through a lookup or a converter called from C (`map`). The renderers write the rows
    from the columns; a loop over the rows in Python cost more."""
    if not found:
        return []
    date_time = LocalTimes(tz).date_time
    rate = search.rate
    money = _Texts(lambda amount: f"{amount * rate:.4f}").__getitem__
    number = _Texts().__getitem__
    countries, states = names_of(search.language)
    country = _Texts(lambda country_id: countries.get(country_id, "")).__getitem__
    state = _Texts(lambda state_id: states.get(state_id, "")).__getitem__
    status = _Texts(lambda disposition: STATUS.get(disposition, disposition)).__getitem__
    c = list(zip(*found, strict=True))
    days, times = zip(*map(date_time, c[1]), strict=True)
    usage = c[17] if rate == 1.0 else map(rate.__mul__, c[17])
    columns: list[Iterable[str]] = [
        c[0],
        days,
        times,
        c[2],
        c[3],
        c[4],
        map(number, c[5]),
        map(number, c[6]),
        map(country, c[6]),
        map(number, c[7]),
        map(state, c[7]),
        c[8],
        tuple(map(str, c[9])),  # durations: rarely the same twice
        c[10],
        c[11],
        c[12],
        map(status, c[13]),
        c[14],
        map(money, c[15]),
        map(money, c[16]),
        map(_FOUR_DECIMALS, usage),  # the month so far: rarely the same twice
    ]
    if generation != "v1.0":
        columns += (map(number, c[18]), c[13], c[19], map(number, c[20]), map(number, c[21]))
        columns.append(map(number, c[22]))
    extra_end = _BASE_COUNT + (len(EXTRA_FIELDS) if search.extras else 0)
    routing_end = extra_end + (len(ROUTING_FIELDS) if search.routing_details else 0)
    columns += (map(number, values) for values in c[_BASE_COUNT:extra_end])
    columns += c[extra_end:routing_end]
    return [values if isinstance(values, tuple) else tuple(values) for values in columns]


_FOUR_DECIMALS: Final = "{:.4f}".format
