"""Area codes, exchanges and rate centers of Canada and the US, from the numbering plan."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, codes, status
from xmlengine.reference import nanp

RICHMOND = str(nanp.exchange("604248").ratecenter.ratecenter_id)  # type: ignore[union-attr]


def rows(answer: dict[str, Any], container: str, item: str) -> list[dict[str, Any]]:
    assert status(answer) == "success", codes(answer)
    return answer[container][item]  # type: ignore[no-any-return]


def test_the_plan_comes_from_the_geocoder_data() -> None:
    plan = nanp.plan()
    assert len(plan.exchanges) > 30_000
    montreal = nanp.exchange("514286")
    assert montreal is not None
    assert (montreal.ratecenter.name, montreal.ratecenter.state_id) == ("Montreal", 11)
    # "160427" stands for the exchanges 604-270 to 604-279.
    assert all(nanp.exchange(f"60427{n}").ratecenter.name == "Richmond" for n in range(10))  # type: ignore[union-attr]
    assert nanp.exchange("604775") is None  # the data places it only in British Columbia
    assert all(100_000 <= rid <= 999_999 for rid in plan.ratecenters)


def test_areacodes_of_a_state_and_of_a_ratecenter(api: Api) -> None:
    bc = rows(api.json("get_did_areacodes", state_id="2"), "areacodes", "areacode_details")
    assert {"604", "778", "250"} <= {row["npa"] for row in bc}
    assert {row["state"] for row in bc} == {"British Columbia"}
    (one,) = rows(api.json("get_did_areacodes", npa="514"), "areacodes", "areacode_details")
    assert one == {
        "npa": "514",
        "state_id": "11",
        "state": "Quebec",
        "country_id": "38",
        "country": "Canada",
    }
    richmond = rows(
        api.json("get_did_areacodes", ratecenter_id=RICHMOND), "areacodes", "areacode_details"
    )
    assert "604" in {row["npa"] for row in richmond}
    us = rows(api.json("get_did_areacodes", country_id="223"), "areacodes", "areacode_details")
    assert "212" in {row["npa"] for row in us} and "514" not in {row["npa"] for row in us}


def test_areacodes_in_xml(api: Api) -> None:
    answer = api.xml("get_did_areacodes", npa="212")
    assert answer.findtext(".//areacode_details/state") == "New York"


def test_exchanges_page_and_filter(api: Api) -> None:
    answer = api.json("get_did_exchanges", npa="604", nxx="248")
    (row,) = rows(answer, "exchanges", "exchange_details")
    assert row["ratecenter"] == "Richmond" and row["ratecenter_id"] == RICHMOND
    assert (row["state_id"], row["portability"]) == ("2", "1")
    assert row["availability"] in ("0", "1")
    first = api.json("get_did_exchanges", npa="604", result_limit="5")
    second = api.json("get_did_exchanges", npa="604", result_limit="5", result_offset="5")
    page1 = rows(first, "exchanges", "exchange_details")
    page2 = rows(second, "exchanges", "exchange_details")
    assert len(page1) == len(page2) == 5 and page1[-1]["nxx"] < page2[0]["nxx"]
    assert int(first["exchanges"]["result_total"]) > 100
    closed = rows(
        api.json("get_did_exchanges", npa="604", availability="0", result_limit="1000"),
        "exchanges",
        "exchange_details",
    )
    assert closed and {row["availability"] for row in closed} == {"0"}
    none = api.json("get_did_exchanges", npa="604", portability="0")
    assert rows(none, "exchanges", "exchange_details") == []


def test_updated_since_keeps_rows_of_the_data_date(api: Api) -> None:
    before = api.json("get_did_exchanges", npa="514", updated_since="2025-06-01")
    assert rows(before, "exchanges", "exchange_details")
    after = api.json("get_did_exchanges", npa="514", updated_since="2099-01-01")
    assert rows(after, "exchanges", "exchange_details") == []


def test_ratecenters_of_an_areacode(api: Api) -> None:
    answer = api.json("get_ratecenters", npa="604", result_limit="1000")
    centers = rows(answer, "ratecenters", "ratecenter_details")
    by_name = {row["ratecenter"]: row for row in centers}
    assert by_name["Richmond"]["ratecenter_id"] == RICHMOND
    assert "604" in by_name["Richmond"]["npa"].split(",")
    assert len({row["ratecenter_id"] for row in centers}) == len(centers)
    (one,) = rows(
        api.json("get_ratecenters", ratecenter_id=RICHMOND), "ratecenters", "ratecenter_details"
    )
    assert (one["state"], one["country"]) == ("British Columbia", "Canada")
    assert api.xml("get_ratecenters", npa="514", nxx="286").findtext(".//ratecenter") == "Montreal"


@pytest.mark.parametrize("request_type", ["get_did_exchanges", "get_ratecenters"])
def test_result_limit_bounds(api: Api, request_type: str) -> None:
    assert codes(api.json(request_type, result_limit="1001")) == ["result_limit_invalid"]
