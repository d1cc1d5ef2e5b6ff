"""Faxes received: get_faxes and its filters, delete_faxes by id, hash or date, the
document's download, its storage, its call in the history and its pages billed."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.fax_support import fax_profile, received_fax
from tests.media_support import local_epoch, remove_files, subaccount
from tests.scope_support import for_account
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.billing_tables import usage_charges


def items(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert status(answer) == "success", codes(answer)
    return answer["faxes"]["fax_details"]  # type: ignore[no-any-return]


def faxes_size(api: Api) -> tuple[int, int]:
    """The whole account's stored faxes: bytes and files."""
    answer = api.json("get_storage_stats", storage_types="faxes_size")["storage_stats"]
    (usage,) = [
        row
        for stat in answer["stat_details"]
        if stat["account"] == "whole_account"
        for row in stat["storage_types"]["storage_type_details"]
        if row["storage_type"] == "faxes_size"
    ]
    return int(usage["size"]), int(usage["files"])


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def test_a_received_fax_as_get_faxes_shows_it(app: XmlEngineApp, api: Api) -> None:
    profile_id = int(fax_profile(api)["client_fax_profile_id"])
    fax_id, call_hash = received_fax(app, api, profile_id, at=local_epoch("2024-03-05"), pages=3)
    (fax,) = items(api.json("get_faxes"))
    assert fax["call_fax_id"] == str(fax_id)
    assert fax["call_hash"] == call_hash
    assert fax["client_fax_profile_id"] == str(profile_id)
    assert (fax["date"], fax["time"]) == ("2024-03-05", "12:00:00")
    assert (fax["direction"], fax["source_number"]) == ("inbound", "4165550123")
    assert (fax["pages"], fax["page_format"], fax["resolution"]) == ("3", "letter", "fine")
    assert (fax["status"], fax["transmission_status"]) == ("enabled", "completed")
    assert fax["datetime_transmission"] == "2024-03-05 12:01:06"
    assert fax["download_url"].endswith(f"/api/v1.1/faxes/{call_hash}.pdf")
    xml = api.xml("get_faxes", call_fax_id=str(fax_id))
    assert xml.find("faxes").get("result_count") == "1"
    assert xml.findtext("faxes/fax_details/call_hash") == call_hash


def test_the_document_downloads_and_counts_in_faxes_size(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    profile_id = int(fax_profile(api)["client_fax_profile_id"])
    _, call_hash = received_fax(app, api, profile_id, pages=2)
    (fax,) = items(api.json("get_faxes"))
    answer = client.get(f"/api/v1.1/faxes/{call_hash}.pdf", params=api.auth())
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(answer.content)).pages) == 2
    assert int(fax["size"]) == len(answer.content)
    assert faxes_size(api) == (len(answer.content), 1)


def test_the_call_is_in_the_history_and_the_pages_are_billed(app: XmlEngineApp, api: Api) -> None:
    profile_id = int(fax_profile(api)["client_fax_profile_id"])
    _, call_hash = received_fax(app, api, profile_id, pages=2)
    calls = api.json("get_calls", latest_hours="24")["calls"]["call_details"]
    (call,) = [c for c in calls if c["call_hash"] == call_hash]
    assert call["bindings"].endswith(f",fax:{profile_id}")
    assert (call["disposition"], call["billed_amount"]) == ("answered", "0.0000")

    def charges(acct: AccountScope) -> list[tuple[str, float]]:
        query = acct.select(usage_charges, usage_charges.c.service, usage_charges.c.amount)
        return [tuple(row) for row in acct.execute(query)]  # type: ignore[misc]

    assert for_account(app, api.credentials.client_account_id, charges) == [("fax", 0.018)]


def test_filters(app: XmlEngineApp, api: Api) -> None:
    sub = subaccount(api)
    mine = int(fax_profile(api, client_subaccount_id=sub)["client_fax_profile_id"])
    main = int(fax_profile(api)["client_fax_profile_id"])
    early, early_hash = received_fax(app, api, mine, at=local_epoch("2024-03-05"))
    late, _ = received_fax(app, api, main, at=local_epoch("2024-03-07"))
    failed, _ = received_fax(app, api, main, at=local_epoch("2024-03-07"), failed=True)

    def ids(**params: str) -> list[int]:
        return [int(fax["call_fax_id"]) for fax in items(api.json("get_faxes", **params))]

    assert ids() == [failed, late, early]
    assert ids(client_fax_profile_id=str(mine)) == [early]
    assert ids(client_subaccount_id=str(sub)) == [early]
    assert ids(date_from="2024-03-06", date_to="2024-03-07") == [failed, late]
    assert ids(call_hash=early_hash) == [early]
    assert ids(transmission_status="failed") == [failed]
    assert ids(transmission_status="completed,pending") == [late, early]
    assert ids(status="deleted") == []
    assert codes(api.json("get_faxes", call_hash="0" * 32)) == ["call_hash_invalid"]
    assert codes(api.json("get_faxes", status="gone")) == ["status_invalid"]
    assert codes(api.json("get_faxes", date_from="2024-03-06")) == ["date_to_required"]


def test_delete_by_id_hash_or_date(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    profile_id = int(fax_profile(api)["client_fax_profile_id"])
    first, _ = received_fax(app, api, profile_id, at=local_epoch("2024-03-05", "09:00:00"))
    second, second_hash = received_fax(app, api, profile_id, at=local_epoch("2024-03-05"))
    third, _ = received_fax(app, api, profile_id, at=local_epoch("2024-03-06"))
    fourth, _ = received_fax(app, api, profile_id, at=local_epoch("2024-03-07"))
    answer = api.json("delete_faxes", call_fax_id=str(first), comments="read")
    assert [f["call_fax_id"] for f in items(answer)] == [str(first)]
    assert items(answer)[0]["status"] == "deleted"
    assert items(answer)[0]["download_url"] == ""
    deleted = items(api.json("delete_faxes", call_hash=second_hash))
    assert [f["call_fax_id"] for f in deleted] == [str(second)]
    assert client.get(f"/api/v1.1/faxes/{second_hash}.pdf", params=api.auth()).status_code == 404
    by_date = items(api.json("delete_faxes", date="2024-03-06"))
    assert [f["call_fax_id"] for f in by_date] == [str(third)]
    assert [int(f["call_fax_id"]) for f in items(api.json("get_faxes"))] == [fourth]
    gone = [int(f["call_fax_id"]) for f in items(api.json("get_faxes", status="deleted"))]
    assert gone == [third, second, first]
    assert remove_files(app, client) == 3
    folder = app.deps.settings.data_dir / "media" / str(api.credentials.client_account_id)
    assert len(list((folder / "faxes").glob("*.pdf"))) == 1
    (kept,) = items(api.json("get_faxes"))
    assert faxes_size(api) == (int(kept["size"]), 1)
    assert codes(api.json("delete_faxes")) == ["required_parameter_not_found"]
    assert codes(api.json("delete_faxes", call_hash="0" * 32)) == ["call_hash_invalid"]


def test_another_account_s_faxes_are_unknown(app: XmlEngineApp, api: Api, other: Api) -> None:
    profile_id = int(fax_profile(api)["client_fax_profile_id"])
    fax_id, call_hash = received_fax(app, api, profile_id)
    assert codes(other.json("get_faxes", call_fax_id=str(fax_id))) == ["call_fax_id_invalid"]
    assert codes(other.json("get_faxes", call_hash=call_hash)) == ["call_hash_invalid"]
    assert codes(other.json("delete_faxes", call_hash=call_hash)) == ["call_hash_invalid"]
    assert items(other.json("get_faxes")) == []
