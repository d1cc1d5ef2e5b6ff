"""Pages of calls written by the database, and the choice of which writer writes a page.

Only SQLite writes pages: it runs in the process, and its JSON functions beat turning rows
into dicts. PostgreSQL's texts and JSON cost several times the query that fetches the
rows (a 1000-call page: 12 ms of the database's CPU, against 2 ms to fetch the rows),
more than the loop of `call_history` costs the API process.

Every value of a page is turned into its wire text by the query: ids and counts as
text, amounts with four decimals at the currency's rate, names of countries and states
and the v1.0 status from the few values they take, dates and times from the UTC epoch
shifted by the zone's offset. The offset is chosen by a CASE over the moments the zone
changes it within the page's period, found here with `zoneinfo`. Without metadata the
database also writes the page's JSON array; XML is written from its values by the loop of
`call_history`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any, Final

from sqlalchemy import Float, Integer, bindparam, case, func, null, select
from sqlalchemy.sql.elements import ColumnElement

from xmlengine.domain.calls.history import (
    STATUS,
    CallSearch,
    Page,
    Shape,
    fields_of,
    filtered,
    names_of,
    query_params,
    search_calls_in_python,
    shape_of,
)
from xmlengine.domain.local_times import ROUND_UP, rounds_up, smallest
from xmlengine.storage.account_scope import AccountScope, zone
from xmlengine.storage.call_tables import EXTRA_FIELDS, calls
from xmlengine.storage.prepared import Prepared
from xmlengine.storage.wire_text import (
    date_text,
    int_literal,
    int_text,
    json_page,
    json_record,
    money_text,
    text_literal,
    time_text,
    truncated,
)


def search_calls(acct: AccountScope, search: CallSearch, generation: str) -> Page:
    """The page of calls. A JSON answer without metadata is written by SQLite when the
    zone's offsets over the page's period are few (`MAX_CHANGES`); everything else, and
    calls outside that period, by the text loop of `call_history` (for XML the database's
    texts were measured no faster than the loop, and XML from its JSON slower)."""
    writes = search.json and not search.metadata and acct.dialect == "sqlite"
    offsets = _offsets_of(acct, search) if writes else None
    if offsets is not None:
        page = _wire_page(acct, search, generation, offsets)
        if page is not None:
            return page
    return search_calls_in_python(acct, search, generation)


MAX_CHANGES: Final = 8  # offset changes a statement handles; more: `call_history`'s loop
_WINDOW: Final = 400 * 86400  # the period a statement's offsets cover at most
_CURSOR_PAST: Final = 370 * 86400  # a cursor's calls: the window ends 30 days from now
_STEP: Final = 6 * 3600  # offsets never change twice within this
# The UTC day the windows end by at the latest, 9999-12-31: its midnight is a local time of
# year 9999 in every zone, the last day `zoneinfo` can convert from.
_LAST_END_DAY: Final = (dt.date.max - dt.date(1970, 1, 1)).days


def _seconds(epoch: float) -> int:
    """The whole second `datetime` shows for an epoch (`LocalTimes.date_time`)."""
    seconds = int(epoch)
    return seconds + 1 if rounds_up(epoch - seconds) else seconds


def _first_epoch(second: int) -> float:
    """The least epoch shown at `second` or later."""
    return smallest(second - 1 + ROUND_UP, lambda epoch: _seconds(epoch) >= second)


@dataclass(frozen=True, slots=True)
class Offsets:
    """A zone's offsets over `[first, end)`: `offsets[0]` until `starts[0]`, `offsets[1]`
    from it, and so on. Calls outside the window get no date (and the page is redone)."""

    first: float
    end: float
    starts: tuple[float, ...]
    offsets: tuple[int, ...]


@lru_cache(maxsize=256)
def zone_offsets(name: str, first_day: int, end_day: int) -> Offsets:
    """The offsets of zone `name` from UTC day `first_day` to `end_day` (excluded), their
    changes found to the second; at most `MAX_CHANGES` (the window ends at the next)."""
    tz = zone(name)

    def at(second: int) -> int:
        offset = dt.datetime.fromtimestamp(second, tz).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    start, end = first_day * 86400, end_day * 86400
    offsets = [at(start)]
    changes: list[int] = []
    step = start
    while step < end:
        following = min(step + _STEP, end)
        if at(following) != offsets[-1]:
            before, after = step, following
            while after - before > 1:
                middle = (before + after) // 2
                before, after = (middle, after) if at(middle) == offsets[-1] else (before, middle)
            if len(changes) == MAX_CHANGES:
                end = after
                break
            changes.append(after)
            offsets.append(at(after))
            following = after
        step = following
    return Offsets(
        float(start), _first_epoch(end), tuple(map(_first_epoch, changes)), tuple(offsets)
    )


def _offsets_of(acct: AccountScope, search: CallSearch) -> Offsets | None:
    """The offsets over the period a page may span; None when it has no bounded start."""
    if search.started_from is not None:
        first = search.started_from
    elif search.after is not None:
        first = acct.clock.now() - _CURSOR_PAST
    else:
        return None
    if first < 0:
        return None
    end = min(search.started_before, first + _WINDOW)
    first_day, end_day = math.floor(first / 86400), min(math.ceil(end / 86400), _LAST_END_DAY)
    if first_day >= end_day:
        return None
    return zone_offsets(acct.account.time_zone, first_day, end_day)


def _wire_page(
    acct: AccountScope, search: CallSearch, generation: str, offsets: Offsets
) -> Page | None:
    fields = fields_of(search, generation)
    changes = len(offsets.starts)
    params = query_params(search)
    params["rate"] = search.rate
    params["tz_round_up"] = ROUND_UP
    params["tz_first"] = offsets.first
    params["tz_end"] = offsets.end
    params.update((f"tz_start{i}", start) for i, start in enumerate(offsets.starts))
    params.update((f"tz_offset{i}", offset) for i, offset in enumerate(offsets.offsets))
    keys = ("unique_id", *fields[1:]) if generation == "v1.0" else fields
    statement = _wire_statement(shape_of(search), fields, keys, search.language, changes)
    count, earliest, latest, page = acct.rows(statement, **params)[0]
    if count and (earliest < offsets.first or latest >= offsets.end):
        return None
    return Page(fields, [], [], count, page)


_INTEGERS: Final = frozenset(
    {
        "client_peer_id",
        "country_id",
        "state_id",
        "duration",
        "billed_duration",
        "client_did_id",
        "client_channel_id",
        "client_subaccount_id",
        *EXTRA_FIELDS[1:],
    }
)
_MONEY: Final = frozenset({"billed_amount", "current_rate", "monthly_usage"})


@lru_cache(maxsize=512)
def _wire_statement(
    shape: Shape,
    fields: tuple[str, ...],
    keys: tuple[str, ...],
    language: str,
    changes: int,
) -> Prepared:
    """One row: the count of calls, the first and last start and the JSON array of the
    calls, each an object of `fields` under the names `keys`."""
    local = _local_seconds(changes)
    c = calls.c
    texts = [_wire_text(name, language, local).label(name) for name in fields]
    page = filtered(
        select(*texts, c.started_at.label("k_started"), c.call_id.label("k_sequence")), shape
    ).subquery("page")
    cursor = shape[0]
    order = (page.c.k_sequence,) if cursor else (page.c.k_started, page.c.k_sequence)
    record = json_record(
        *chain.from_iterable(
            (text_literal(k), page.c[f]) for k, f in zip(keys, fields, strict=True)
        )
    )
    return Prepared(
        select(
            func.count(),
            func.min(page.c.k_started),
            func.max(page.c.k_started),
            json_page(record, *order),
        ),
        scoped=True,  # `filtered` limits the page's subquery to the account
    )


def _local_seconds(changes: int) -> ColumnElement[Any]:
    """The whole second a call started, shifted by the zone's offset at that second."""
    at = calls.c.started_at
    whole = truncated(at)
    second = whole + case(
        (at - whole >= bindparam("tz_round_up", type_=Float), int_literal(1)),
        else_=int_literal(0),
    )
    offset = case(
        (at < bindparam("tz_first", type_=Float), null()),
        *(
            (at < bindparam(f"tz_start{i}", type_=Float), bindparam(f"tz_offset{i}", type_=Integer))
            for i in range(changes)
        ),
        (at < bindparam("tz_end", type_=Float), bindparam(f"tz_offset{changes}", type_=Integer)),
        else_=null(),
    )
    return second + offset


def _wire_text(name: str, language: str, local: ColumnElement[Any]) -> ColumnElement[Any]:
    c = calls.c
    if name == "date":
        return date_text(local)
    if name == "time":
        return time_text(local)
    if name in _INTEGERS:
        return int_text(c[name])
    if name in _MONEY:
        return money_text(c[name] * bindparam("rate", type_=Float))
    if name == "status":
        return case(
            *(
                (c.disposition == text_literal(k), text_literal(v))
                for k, v in STATUS.items()
                if k != v
            ),
            else_=c.disposition,
        )
    if name in ("country", "state"):
        countries, states = names_of(language)
        return _name_of(
            c.country_id if name == "country" else c.state_id,
            countries if name == "country" else states,
        )
    return c[name]


def _name_of(column: ColumnElement[Any], names: dict[int, str]) -> ColumnElement[Any]:
    """The name of an id among a few hundred: a CASE searched by halves; '' for none."""

    def among(ids: list[int]) -> ColumnElement[Any]:
        if len(ids) <= 8:
            return case(
                *((column == int_literal(i), text_literal(names[i])) for i in ids),
                else_=text_literal(""),
            )
        middle = len(ids) // 2
        return case(
            (column < int_literal(ids[middle]), among(ids[:middle])), else_=among(ids[middle:])
        )

    return among(sorted(names))
