"""get_storage_stats, answered from the daily rollups kept as files come and go."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import leave_voicemail, local_epoch, record, subaccount
from tests.scope_support import scope_of
from xmlengine.clock import ManualClock
from xmlengine.domain import storage_usage
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.media_tables import storage_daily

TYPES = (
    "recordings_size",
    "voicemails_size",
    "medias_size",
    "faxes_size",
    "mms_size",
    "export_size",
    "pbx3cxmedia_size",
    "pbx3cxbackup_size",
    "total",
)


def stats(api: Api, **params: str) -> dict[str, Any]:
    answer = api.json("get_storage_stats", **params)
    assert status(answer) == "success", codes(answer)
    return answer["storage_stats"]  # type: ignore[no-any-return]


def numbers(usage: dict[str, str]) -> tuple[int, int, int, int]:
    return int(usage["size"]), int(usage["files"]), int(usage["added"]), int(usage["removed"])


def by_account(answer: dict[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    """`main_account`, `whole_account` or the subaccount id -> storage type -> usage."""
    found = {}
    for stat in answer["stat_details"]:
        key = stat["client_subaccount_id"] or stat["account"]
        types = stat["storage_types"]["storage_type_details"]
        found[key] = {row["storage_type"]: row for row in types}
    return found


def today(clock: ManualClock) -> str:
    return dt.datetime.fromtimestamp(clock.now(), ZoneInfo("America/Montreal")).date().isoformat()


def test_defaults_to_today_for_the_main_and_whole_account(
    app: XmlEngineApp, api: Api, clock: ManualClock
) -> None:
    sid = subaccount(api)
    mine = record(app, api.credentials, at=clock.now(), duration=4)
    theirs = record(app, api.credentials, at=clock.now(), duration=3, subaccount_id=sid)
    vm = leave_voicemail(app, api.credentials, at=clock.now(), duration=5)
    answer = stats(api)
    assert (answer["date_from"], answer["date_to"]) == (today(clock), today(clock))
    assert [(st["account"], st["client_subaccount_id"]) for st in answer["stat_details"]] == [
        ("main_account", ""),
        ("whole_account", ""),
    ]
    accounts = by_account(answer)
    assert list(accounts["main_account"]) == list(TYPES)
    main, whole = accounts["main_account"], accounts["whole_account"]
    assert numbers(main["recordings_size"]) == (mine.size, 1, mine.size, 0)
    assert numbers(whole["recordings_size"]) == (
        mine.size + theirs.size,
        2,
        *(mine.size + theirs.size, 0),
    )
    assert numbers(whole["voicemails_size"]) == (vm.size, 1, vm.size, 0)
    assert numbers(whole["faxes_size"]) == (0, 0, 0, 0)
    total = mine.size + theirs.size + vm.size
    assert numbers(whole["total"]) == (total, 3, total, 0)
    xml = api.xml("get_storage_stats", storage_types="voicemails_size,total")
    root = xml.find("storage_stats")
    assert root.get("date_from") == today(clock)
    main_xml = root.find("stat_details")
    assert main_xml.findtext("account") == "main_account"
    rows = main_xml.findall("storage_types/storage_type_details")
    assert [r.findtext("storage_type") for r in rows] == ["voicemails_size", "total"]
    assert rows[1].findtext("size") == str(mine.size + vm.size)


def test_a_period_adds_and_removes_and_keeps_the_size_at_its_end(
    app: XmlEngineApp, api: Api
) -> None:
    first = record(app, api.credentials, at=local_epoch("2024-01-10"), duration=4)
    second = record(app, api.credentials, at=local_epoch("2024-02-10"), duration=6)
    period = {"date_from": "2024-02-01", "date_to": "2024-02-29"}
    recordings = by_account(stats(api, **period))["main_account"]["recordings_size"]
    assert numbers(recordings) == (first.size + second.size, 2, second.size, 0)
    january = by_account(stats(api, date_from="2024-01-01", date_to="2024-01-31"))["main_account"]
    assert numbers(january["recordings_size"]) == (first.size, 1, first.size, 0)
    # Deleting today: today's period shows the removal; February is unchanged.
    deleted = api.json("delete_recordings", call_recording_id=str(first.call_recording_id))
    assert status(deleted) == "success"
    now = by_account(stats(api))["main_account"]["recordings_size"]
    assert numbers(now) == (second.size, 1, 0, first.size)
    february = by_account(stats(api, **period))["main_account"]["recordings_size"]
    assert numbers(february) == numbers(recordings)


def test_per_subaccount_when_asked(app: XmlEngineApp, api: Api, clock: ManualClock) -> None:
    first, second = subaccount(api, "One"), subaccount(api, "Two")
    made = record(app, api.credentials, at=clock.now(), duration=3, subaccount_id=first)
    record(app, api.credentials, at=clock.now(), duration=3)
    answer = stats(
        api, client_subaccount_ids=f"{first},{second},{first}", storage_types="recordings_size"
    )
    assert [(st["account"], st["client_subaccount_id"]) for st in answer["stat_details"]] == [
        ("subaccount", str(first)),
        ("subaccount", str(second)),
    ]
    accounts = by_account(answer)
    assert numbers(accounts[str(first)]["recordings_size"]) == (made.size, 1, made.size, 0)
    assert numbers(accounts[str(second)]["recordings_size"]) == (0, 0, 0, 0)
    assert list(accounts[str(first)]) == ["recordings_size"]


def test_answered_from_the_rollups(app: XmlEngineApp, api: Api) -> None:
    """The statistics read the daily rows, not the recordings themselves."""
    account_id = api.credentials.client_account_id
    # Noon UTC is 2 April in the account's time zone as in any zone within 11 hours of it.
    april_2 = dt.datetime(2024, 4, 2, 12, tzinfo=dt.UTC).timestamp()

    def add(conn: Any) -> None:
        storage_usage.record(
            scope_of(app, conn, account_id),
            subaccount_id=None,
            storage_type="faxes_size",
            at=april_2,
            added=1000,
            files_added=2,
        )
        storage_usage.record(
            scope_of(app, conn, account_id),
            subaccount_id=None,
            storage_type="faxes_size",
            at=april_2,
            removed=400,
            files_removed=1,
        )

    app.deps.db.run_sync(add)
    rows = app.deps.db.run_sync(
        lambda conn: conn.execute(
            storage_daily.select().where(storage_daily.c.account_id == account_id)
        ).all()
    )
    assert len(rows) == 1
    answer = stats(api, date_from="2024-04-01", date_to="2024-04-30")
    faxes = by_account(answer)["whole_account"]["faxes_size"]
    assert numbers(faxes) == (600, 1, 1000, 400)


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def test_another_accounts_storage_and_subaccounts_are_not_shown(
    app: XmlEngineApp, api: Api, other: Api, clock: ManualClock
) -> None:
    their_subaccount = subaccount(other)
    record(app, other.credentials, at=clock.now(), duration=9, subaccount_id=their_subaccount)
    assert numbers(by_account(stats(api))["whole_account"]["total"]) == (0, 0, 0, 0)
    refused = api.json("get_storage_stats", client_subaccount_ids=str(their_subaccount))
    assert codes(refused) == ["client_subaccount_ids_invalid"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2024-01-01", "date_to": "2025-01-02"}, ["date_range_invalid"]),
        ({"date_from": "2024-03-02", "date_to": "2024-03-01"}, ["date_range_invalid"]),
        ({"date_from": "2000-01-01"}, ["date_range_invalid"]),  # to today: over 12 months
        ({"date_from": "2024-02-30"}, ["date_from_invalid"]),
        ({"date_to": "x"}, ["date_to_invalid"]),
        ({"storage_types": "recordings_size,disk_size"}, ["storage_types_invalid"]),
        ({"client_subaccount_ids": "a"}, ["client_subaccount_ids_invalid"]),
        (
            {"client_subaccount_ids": ",".join(str(i) for i in range(1, 12))},
            ["client_subaccount_ids_invalid"],
        ),
    ],
)
def test_refusals(api: Api, params: dict[str, str], expected: list[str]) -> None:
    assert codes(api.json("get_storage_stats", **params)) == expected
    assert codes(api.xml("get_storage_stats", **params)) == expected


def test_twelve_months_is_the_longest_period(api: Api) -> None:
    assert status(api.json("get_storage_stats", date_from="2024-01-01", date_to="2025-01-01")) == (
        "success"
    )
