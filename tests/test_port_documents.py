"""A port request's documents over HTTP: uploaded, downloaded, counted in storage and
removed once replaced."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import subaccount
from tests.porting_support import worker
from xmlengine.http.app import XmlEngineApp


def upload(api: Api, files: dict[str, tuple[str, bytes, str]], **fields: str) -> dict[str, Any]:
    response = api.client.post(
        "/api/v1.1/json/update_port_request", params=api.auth(), data=fields, files=files
    )
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def medias(api: Api) -> tuple[int, int]:
    answer = api.json("get_storage_stats", storage_types="medias_size")
    assert status(answer) == "success", codes(answer)
    (main,) = [s for s in answer["storage_stats"]["stat_details"] if s["account"] == "main_account"]
    usage = main["storage_types"]["storage_type_details"][0]
    return int(usage["size"]), int(usage["files"])


def test_documents_are_stored_downloaded_counted_and_replaced(
    app: XmlEngineApp, client: TestClient, api: Api
) -> None:
    letter, bill = b"%PDF-1.4 letter of authorization", b"%PDF-1.4 the last bill"
    answer = upload(
        api,
        {
            "loa": ("loa.pdf", letter, "application/pdf"),
            "bill": ("bill.pdf", bill, "application/pdf"),
        },
        mode="create",
    )
    assert status(answer) == "success", codes(answer)
    made = answer["port_requests"]["port_request_details"][0]
    assert (made["loa_filename"], made["bill_filename"], made["other_filename"]) == (
        "loa.pdf",
        "bill.pdf",
        "",
    )
    url = made["loa_download_url"]
    path = urlsplit(url).path
    assert path.startswith("/api/v1.1/port_documents/") and path.endswith(".bin")
    url = path
    got = client.get(url, params=api.auth())
    assert (got.status_code, got.content) == (200, letter)
    assert got.headers["content-type"] == "application/octet-stream"
    assert client.get(url, params={**api.auth(), "auth_token": "x"}).status_code == 403
    assert medias(api) == (len(letter) + len(bill), 2)
    again = upload(
        api,
        {"loa": ("signed.pdf", b"%PDF signed", "application/pdf")},
        port_request_id=made["port_request_id"],
    )
    replaced = again["port_requests"]["port_request_details"][0]
    assert replaced["loa_filename"] == "signed.pdf" and replaced["bill_filename"] == "bill.pdf"
    assert client.get(url, params=api.auth()).status_code == 404
    assert medias(api) == (len(b"%PDF signed") + len(bill), 2)
    files = sorted((app.deps.settings.data_dir / "ports").rglob("*.bin"))
    assert len(files) == 3  # the old letter waits for the commit's removal event
    client.portal.call(worker(app).drain)
    assert len(sorted((app.deps.settings.data_dir / "ports").rglob("*.bin"))) == 2


def test_a_document_of_another_account_is_not_found(
    app: XmlEngineApp, client: TestClient, api: Api
) -> None:
    answer = upload(api, {"other": ("id.png", b"\x89PNG", "image/png")}, mode="create")
    url = urlsplit(answer["port_requests"]["port_request_details"][0]["other_download_url"]).path
    assert client.get(url, params=api.auth()).status_code == 200
    other = new_account(app)
    auth = {"username": other.username, "auth_token": other.auth_token}
    assert client.get(url, params=auth).status_code == 404


def test_an_empty_or_second_file_of_a_kind_is_refused(api: Api) -> None:
    empty = upload(api, {"loa": ("loa.pdf", b"", "application/pdf")}, mode="create")
    assert codes(empty) == ["loa_invalid"]
    response = api.client.post(
        "/api/v1.1/json/update_port_request",
        params=api.auth(),
        data={"mode": "create"},
        files=[
            ("bill[]", ("a.pdf", b"a", "application/pdf")),
            ("bill[]", ("b.pdf", b"b", "application/pdf")),
        ],
    )
    assert codes(response.json()) == ["bill_invalid"]


def test_a_replaced_document_leaves_the_storage_it_was_counted_in(api: Api) -> None:
    sid = subaccount(api)
    made = upload(
        api,
        {"loa": ("loa.pdf", b"12345", "application/pdf")},
        mode="create",
        client_subaccount_id=str(sid),
    )
    port_id = made["port_requests"]["port_request_details"][0]["port_request_id"]
    upload(api, {"loa": ("loa.pdf", b"123", "application/pdf")}, port_request_id=port_id)

    def sizes() -> dict[str, int]:
        answer = api.json(
            "get_storage_stats", storage_types="medias_size", client_subaccount_ids=str(sid)
        )
        assert status(answer) == "success", codes(answer)
        return {
            stat["client_subaccount_id"] or stat["account"]: int(
                stat["storage_types"]["storage_type_details"][0]["size"]
            )
            for stat in answer["storage_stats"]["stat_details"]
        }

    found = sizes()
    assert found[str(sid)] == 0
    assert medias(api) == (3, 1)  # the main account's
