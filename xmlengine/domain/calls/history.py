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
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final

from sqlalchemy import Integer, Select, bindparam, select

from xmlengine.domain.calls.records import DISPOSITIONS
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
    return Page(
        fields_of(search, generation), _texts(acct, found, generation, search), metadata, len(found)
    )


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
    """Values already turned into text: ids, rates and days repeat down a page."""

    def __init__(self, convert: Callable[[Any], str] = str) -> None:
        super().__init__({None: ""})
        self.convert = convert

    def __missing__(self, value: Any) -> str:
        found = self[value] = self.convert(value)
        return found


_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()


def _day_offset(tz: dt.tzinfo, utc_day: int) -> int | None:
    """The zone's offset in seconds over a whole UTC day; None on a day it changes."""
    first = dt.datetime.fromtimestamp(utc_day * 86400, dt.UTC).astimezone(tz)
    last = dt.datetime.fromtimestamp(utc_day * 86400 + 86399, dt.UTC).astimezone(tz)
    offset = first.utcoffset()
    return None if offset is None or offset != last.utcoffset() else int(offset.total_seconds())


def _date_text(day: int) -> str:
    """`YYYY-MM-DD` of a day counted from 1970-01-01."""
    return dt.date.fromordinal(_EPOCH_ORDINAL + day).isoformat()


class _DayOffsets(dict[int, int | None]):
    """A zone's offset over each UTC day (`_day_offset`)."""

    def __init__(self, tz: dt.tzinfo) -> None:
        super().__init__()
        self.tz = tz

    def __missing__(self, utc_day: int) -> int | None:
        found = self[utc_day] = _day_offset(self.tz, utc_day)
        return found


# Facts of the zone database and the calendar, kept for every page (a year's page spans
# 365 days: looked up afresh, they cost a tenth of the page's texts). They grow with the
# days calls were made on, and the zones of the accounts.
@cache
def _offsets_of(tz: dt.tzinfo) -> _DayOffsets:
    return _DayOffsets(tz)


_DATES: Final = _Texts(_date_text)


@cache
def _time_texts() -> tuple[str, ...]:
    """`HH:MM:SS` of every second of a day: 5.6 MB, made for the first page (looked up
    whole, a page's times cost a quarter less than put together from hours and minutes)."""
    minutes = [f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60)]
    return tuple(minute + f"{s:02d}" for minute in minutes for s in range(60))


def rounds_up(fraction: float) -> bool:
    """Whether `datetime` shows a moment of this fraction of a second as the next second
    (it rounds to the microsecond)."""
    return fraction * 1e6 >= 999_999.5


def smallest(candidate: float, holds: Callable[[float], bool]) -> float:
    """The smallest float for which `holds` is true, from a candidate within a few steps
    of it (`holds` is false below it and true from it on)."""
    while holds(candidate):
        candidate = math.nextafter(candidate, -math.inf)
    while not holds(candidate):
        candidate = math.nextafter(candidate, math.inf)
    return candidate


# The least fraction of a second shown as the next second.
ROUND_UP: Final = smallest(0.9999995, rounds_up)


class LocalTimes:
    """`YYYY-MM-DD` and `HH:MM:SS` of moments in a time zone, as `datetime` shows them.

    The zone's offset is looked up once per UTC day and applies to the whole day when it
    is the same at the day's first and last second (a zone changes its offset at most
    once a day); the days of a change are converted moment by moment.
    """

    def __init__(self, tz: dt.tzinfo) -> None:
        self.tz = tz
        self._offsets = _offsets_of(tz)
        self._times = _time_texts()

    def date_time(self, epoch: float) -> tuple[str, str]:
        seconds = int(epoch)
        if epoch - seconds >= ROUND_UP:
            seconds += 1
        offset = self._offsets[seconds // 86400]
        if offset is None:
            moment = dt.datetime.fromtimestamp(epoch, self.tz).isoformat(" ", "seconds")
            return moment[:10], moment[11:19]
        local = seconds + offset
        return _DATES[local // 86400], self._times[local % 86400]


def _texts(
    acct: AccountScope, found: list[tuple[Any, ...]], generation: str, search: CallSearch
) -> list[Sequence[str]]:
    """The page's columns, each value turned into its wire text: a column at once, mapped
    through a lookup or a converter called from C (`map`). The renderers write the rows
    from the columns; a loop over the rows in Python cost more."""
    if not found:
        return []
    date_time = LocalTimes(zone(acct.account.time_zone)).date_time
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
