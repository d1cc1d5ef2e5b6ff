"""get_calls JSON pages written by the database: the same texts as the loop of Python.

Only SQLite writes pages (`domain/calls/pages.py`); on PostgreSQL every page is the loop's,
and the same comparisons hold.

Dates and times across changes of offset inside a page, amounts in every currency, every
shape of page; pages the database does not write (metadata, calls outside the period its
offsets cover, periods with many changes) are written by the Python loop instead. Each
page is asked of the domain for a JSON answer and compared with the loop's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from typing import Any, TypeVar

import orjson
import pytest
from sqlalchemy import update

from tests.call_support import call, log_calls, set_time_zone
from tests.conftest import PG_URL, Api, codes, status
from xmlengine.clock import ManualClock
from xmlengine.domain.accounts import Credentials
from xmlengine.domain.calls.history import (
    FREE_TEXT,
    CallSearch,
    Page,
    search_calls_in_python,
    sequence_of,
)
from xmlengine.domain.calls.pages import MAX_CHANGES, search_calls, zone_offsets
from xmlengine.http.app import XmlEngineApp
from xmlengine.protocol.render_xml import render_xml
from xmlengine.protocol.tree import El, Rows
from xmlengine.storage.account_scope import Account, AccountScope, zone
from xmlengine.storage.call_tables import calls

T = TypeVar("T")
WRITES = not PG_URL  # whether the database writes the pages asked of it


def utc(*fields: int, microsecond: int = 0) -> float:
    return dt.datetime(*fields, microsecond=microsecond, tzinfo=dt.UTC).timestamp()


def shown(epoch: float, name: str) -> tuple[str, str]:
    moment = dt.datetime.fromtimestamp(epoch, zone(name)).isoformat(" ", "seconds")
    return moment[:10], moment[11:19]


def in_scope(
    app: XmlEngineApp,
    cred: Credentials,
    work: Callable[[AccountScope], T],
    *,
    time_zone: str = "America/Montreal",
    currency: str = "CAD",
    language: str = "en",
    generation: str = "v1.1",
) -> T:
    account = Account(
        cred.client_account_id,
        cred.client_user_id,
        cred.username,
        "",
        language,
        currency,
        time_zone,
    )

    def run(conn: Any) -> T:
        return work(
            AccountScope(conn, account, clock=app.deps.limits.clock, settings=app.deps.settings)
        )

    return app.deps.db.run_sync(run)


def records(page: Page, generation: str = "v1.1") -> list[dict[str, str]]:
    """A page's calls as the JSON answer shows them, whichever way it was written."""
    keys = ("unique_id", *page.fields[1:]) if generation == "v1.0" else page.fields
    if page.json is not None:
        found: list[dict[str, str]] = orjson.loads(page.json)
        assert all(list(item) == list(keys) for item in found)
        return found
    return [dict(zip(keys, row, strict=True)) for row in zip(*page.columns, strict=True)]


def both_ways(
    app: XmlEngineApp, cred: Credentials, search: CallSearch, **scope: str
) -> tuple[Page, Page]:
    generation = scope.get("generation", "v1.1")
    search = dataclasses.replace(
        search,
        language=scope.get("language", "en"),
        rate=app.deps.settings.exchange_rates[scope.get("currency", "CAD")],
        json=True,
    )
    return (
        in_scope(app, cred, lambda acct: search_calls(acct, search, generation), **scope),
        in_scope(app, cred, lambda acct: search_calls_in_python(acct, search, generation), **scope),
    )


def period(first: dt.date, last: dt.date, name: str) -> tuple[float, float]:
    tz = zone(name)
    start = dt.datetime.combine(first, dt.time(), tzinfo=tz).timestamp()
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=tz).timestamp()
    return start, end


# Moments on both sides of changes of offset, to the second and to its last microsecond.
CHANGES = {
    # 2026-03-08 02:00 EST becomes 03:00 EDT; 2026-11-01 02:00 EDT becomes 01:00 EST.
    "America/Montreal": [utc(2026, 3, 8, 7), utc(2026, 11, 1, 6)],
    # Half an hour: 2026-04-05 02:00 (+11) becomes 01:30 (+10:30); back on 2026-10-04.
    "Australia/Lord_Howe": [utc(2026, 4, 4, 15), utc(2026, 10, 3, 15, 30)],
}


def around(change: float) -> list[float]:
    return [
        change - 3600,
        change - 1,
        change - 0.0000003,  # shown as the second of the change
        change - 0.000001,  # shown as the second before it
        change,
        change + 0.5,
        change + 1799,
        change + 3600,
    ]


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_times_on_both_sides_of_a_change_of_offset(
    app: XmlEngineApp, api: Api, clock: ManualClock, name: str
) -> None:
    set_time_zone(app, api.credentials, name)
    moments = [m for change in CHANGES[name] for m in around(change)]
    logged = log_calls(app, api.credentials, *(call(started_at=m) for m in moments))
    expected = {h: shown(m, name) for h, m in zip(logged, moments, strict=True)}
    days = {"date_from": "2026-03-01", "date_to": "2026-11-30", "result_limit": "100"}
    for metadata in ("no", "yes"):
        answer = api.json("get_calls", **days, metadata=metadata)
        assert status(answer) == "success", codes(answer)
        found = {c["call_hash"]: (c["date"], c["time"]) for c in answer["calls"]["call_details"]}
        assert found == expected
        xml = api.xml("get_calls", **days, metadata=metadata)
        found = {
            node.findtext("call_hash"): (node.findtext("date"), node.findtext("time"))
            for node in xml.findall("calls/call_details")
        }
        assert found == expected
    # A JSON page is written by the database: the period has two changes.
    start, end = period(dt.date(2026, 3, 1), dt.date(2026, 11, 30), name)
    search = CallSearch(limit=100, started_from=start, started_before=end)
    written, loop = both_ways(app, api.credentials, search, time_zone=name)
    assert (written.json is not None) == WRITES
    assert records(written) == records(loop)


def test_a_zone_of_quarter_hours(app: XmlEngineApp, api: Api) -> None:
    set_time_zone(app, api.credentials, "Asia/Kathmandu")  # +05:45
    moments = [utc(2026, 1, 9, 18, 14, 59), utc(2026, 1, 9, 18, 15), utc(2026, 1, 10, 12)]
    logged = log_calls(app, api.credentials, *(call(started_at=m) for m in moments))
    answer = api.json("get_calls", date_from="2026-01-09", date_to="2026-01-10")
    found = {c["call_hash"]: (c["date"], c["time"]) for c in answer["calls"]["call_details"]}
    assert found == {h: shown(m, "Asia/Kathmandu") for h, m in zip(logged, moments, strict=True)}
    assert found[logged[0]] == ("2026-01-09", "23:59:59")
    assert found[logged[1]] == ("2026-01-10", "00:00:00")


def test_offsets_are_found_to_the_second() -> None:
    offsets = zone_offsets("America/Montreal", 20500, 20800)  # 2026-02-16 to 2026-12-13
    assert offsets.offsets == (-5 * 3600, -4 * 3600, -5 * 3600)
    assert [round(s) for s in offsets.starts] == [round(c) for c in CHANGES["America/Montreal"]]
    # 30 years of a zone with daylight saving: the window stops at the change too many.
    many = zone_offsets("America/Montreal", 0, 30 * 365)
    assert len(many.starts) == MAX_CHANGES
    assert many.end < 6 * 365 * 86400


AMOUNTS = [
    0.0,
    0.00005,
    0.00015,
    0.00025,
    0.00035,
    0.0001,
    0.0099,
    0.125,
    0.09375,  # a tie in binary: to the even ten-thousandth, up
    0.03125,  # and down
    0.12345,
    1.00005,
    2.675,
    2.67505,
    1234.56785,
    99999.99995,
    0.3125 / 0.72,
    0.045 / 0.66,
]


@pytest.mark.parametrize("currency", ["CAD", "USD", "EUR"])
def test_amounts_are_written_as_python_writes_them(
    app: XmlEngineApp, account: Credentials, currency: str
) -> None:
    draw = random.Random(currency)
    amounts = AMOUNTS + [draw.uniform(0, 10) for _ in range(150)]
    amounts += [round(draw.uniform(0, 100), 4) for _ in range(150)]
    amounts += [draw.randint(0, 10**6) / 10**4 + 0.00005 for _ in range(150)]
    hashes = log_calls(app, account, *(call() for _ in amounts[::3]))

    def set_amounts(conn: Any) -> None:
        for i, call_hash in enumerate(hashes):
            billed, rate, month = ([*amounts[3 * i : 3 * i + 3], 0.0, 0.0])[:3]
            conn.execute(
                update(calls)
                .where(calls.c.call_hash == call_hash)
                .values(billed_amount=billed, current_rate=rate, monthly_usage=month)
            )

    app.deps.db.run_sync(set_amounts)
    start, end = period(dt.date(2026, 1, 10), dt.date(2026, 1, 10), "America/Montreal")
    search = CallSearch(limit=1000, started_from=start, started_before=end)
    written, loop = both_ways(app, account, search, currency=currency)
    assert (written.json is not None) == WRITES
    assert len(records(written)) == len(hashes)
    assert records(written) == records(loop)


SHAPES: list[dict[str, Any]] = [
    {},
    {"extras": True},
    {"routing_details": True},
    {"extras": True, "routing_details": True, "metadata": True},
    {"metadata": True, "with_metadata_only": True},
    {"direction": "inbound"},
    {"dispositions": ("busy", "no_answer"), "routing_types": ("local_termination",)},
    {"offset": 2, "limit": 3},
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("generation", "language"), [("v1.1", "en"), ("v1.0", "fr")])
def test_every_shape_of_page_agrees(
    app: XmlEngineApp,
    account: Credentials,
    shape: dict[str, Any],
    generation: str,
    language: str,
) -> None:
    extras = {"failure_code": "x<y", "sip_response_code": 486, "channel_usage_excess": 0}
    log_calls(
        app,
        account,
        call(client_peer_id=7, metadata='a:1:{s:3:"crm";s:2:"42";}'),
        call(destination="011442079460000", callerid_name='Bob & "Co"\n\t\\'),
        call(direction="inbound", source="6045550199", destination="4385550100"),
        call(disposition="busy", duration=0, extras=extras),
        call(destination="911", source_type="peer", source_details="Front </desk>"),
        call(destination="8885550100", client_did_id=3, client_subaccount_id=9),
    )
    start, end = period(dt.date(2026, 1, 10), dt.date(2026, 1, 10), "America/Montreal")
    search = CallSearch(**{"limit": 25, "started_from": start, "started_before": end, **shape})
    written, loop = both_ways(app, account, search, generation=generation, language=language)
    assert (written.json is not None) == (
        WRITES and not shape.get("metadata")
    )  # metadata: the tree path
    assert written.count == loop.count
    assert records(written, generation) == records(loop, generation)
    assert written.metadata == loop.metadata


def test_a_cursor_over_calls_of_long_ago_is_written_by_python(
    app: XmlEngineApp, account: Credentials, clock: ManualClock
) -> None:
    now = clock.now()
    first, *rest = log_calls(
        app,
        account,
        call(started_at=now - 10),
        call(started_at=now - 800 * 86400),  # before the period a cursor's offsets cover
        call(started_at=now - 5),
    )
    after = in_scope(app, account, lambda acct: sequence_of(acct, first))
    written, loop = both_ways(app, account, CallSearch(limit=10, after=after))
    assert written.json is None
    assert [r["call_hash"] for r in records(written)] == rest
    assert records(written) == records(loop)
    old = records(written)[0]
    assert (old["date"], old["time"]) == shown(now - 800 * 86400, "America/Montreal")
    after = in_scope(app, account, lambda acct: sequence_of(acct, rest[0]))
    written, loop = both_ways(app, account, CallSearch(limit=10, after=after))
    assert (written.json is not None) == WRITES
    assert records(written) == records(loop)
    assert [r["call_hash"] for r in records(written)] == rest[1:]


def test_a_period_of_many_changes(app: XmlEngineApp, api: Api) -> None:
    moments = [utc(2012, 7, 1), utc(2019, 1, 1), utc(2026, 1, 10, 12)]
    logged = log_calls(app, api.credentials, *(call(started_at=m) for m in moments))
    answer = api.json("get_calls", date_from="2010-01-01", date_to="2026-12-31")
    found = {c["call_hash"]: (c["date"], c["time"]) for c in answer["calls"]["call_details"]}
    assert found == {h: shown(m, "America/Montreal") for h, m in zip(logged, moments, strict=True)}
    # From 2012 on, the page spans more changes than a statement takes.
    start, end = period(dt.date(2012, 1, 1), dt.date(2026, 12, 31), "America/Montreal")
    search = CallSearch(limit=25, started_from=start, started_before=end)
    written, loop = both_ways(app, api.credentials, search)
    assert written.json is None
    assert records(written) == records(loop)


def test_a_page_written_by_the_database_renders_as_xml_too(
    app: XmlEngineApp, account: Credentials
) -> None:
    log_calls(app, account, call(callerid_name="A & <B>"), call(direction="inbound"))
    start, end = period(dt.date(2026, 1, 10), dt.date(2026, 1, 10), "America/Montreal")
    search = CallSearch(limit=25, started_from=start, started_before=end)
    for generation in ("v1.1", "v1.0"):
        written, loop = both_ways(app, account, search, generation=generation)
        assert (written.json is not None) == WRITES
        rendered = [
            render_xml(
                El(
                    "calls",
                    children=[
                        Rows("call_details", p.fields, p.columns, FREE_TEXT, id_attribute, p.json)
                    ],
                )
            )
            for p in (written, loop)
            for id_attribute in ["unique_id" if generation == "v1.0" else None]
        ]
        assert rendered[0] == rendered[1]
