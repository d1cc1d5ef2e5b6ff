"""Dates at both ends of the calendar, for every request type that takes a date: generated
from the declarations. A date is refused as `{parameter}_invalid` or answered (usually
with nothing), never with an internal error (docs/parameters.md)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, parse_xml, status
from xmlengine.params.types import Date
from xmlengine.request_types import build_registry

REGISTRY = build_registry()
EXTREMES = ("9999-12-31", "9999-01-01", "0001-01-01")


def _dated() -> list[tuple[str, tuple[str, ...]]]:
    """Request types with a handler and the names of their date parameters."""
    found = []
    for rt in REGISTRY:
        names = tuple(n for n, param in rt.params.table.items() if isinstance(param.type, Date))
        if names and rt.handler is not None:
            found.append((rt.name, names))
    return found


DATED = _dated()
CASES = [
    (name, {date: value for date in chosen})
    for name, dates in DATED
    for chosen in {dates, *((date,) for date in dates)}  # all of them, and each alone
    for value in EXTREMES
] + [
    # A period from the first day of the calendar to its last, and the reverse.
    (name, {"date_from": first, "date_to": last})
    for name, dates in DATED
    if {"date_from", "date_to"} <= set(dates)
    for first, last in (("0001-01-01", "9999-12-31"), ("9999-12-31", "0001-01-01"))
]


def test_the_cases_cover_the_request_types_with_dates() -> None:
    names = {name for name, _ in DATED}
    assert {"get_calls", "get_calls_stats", "get_recordings", "delete_voicemails"} <= names
    assert len(names) >= 9


@pytest.mark.parametrize(
    ("name", "params"),
    CASES,
    ids=[f"{n}-{'-'.join(f'{k}={v}' for k, v in p.items())}" for n, p in CASES],
)
def test_a_date_at_the_end_of_the_calendar_is_no_internal_error(
    api: Api, name: str, params: dict[str, str]
) -> None:
    answer = api.json(name, **params)
    found = codes(answer) if status(answer) == "error" else []
    # The dates refused, or a rule about dates that were left out: nothing else.
    refused = {f"{date}_invalid" for date in params} | {"date_range_invalid"}
    assert all(code in refused or code.endswith("_required") for code in found), found


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_v10_date_from_alone_at_the_end_of_the_calendar_is_an_empty_answer(
    client: TestClient, api: Api, fmt: str
) -> None:
    response = client.get(
        "/xml_engine/xml_engine.php",
        params={
            "request_type": "get_calls",
            "client_account_id": str(api.credentials.client_account_id),
            "auth_token": api.credentials.auth_token,
            "output_format": fmt,
            "date_from": "9999-12-31\n",
        },
    )
    answer = response.json() if fmt == "json" else parse_xml(response.content)
    assert status(answer) == "success", codes(answer)
    if fmt == "json":
        assert answer["calls"]["call_details"] == []
    else:
        assert answer.find("calls").get("result_count") == "0"
