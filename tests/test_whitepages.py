"""Whitepages (411) directory listings: one per number, published at once by the
sandbox, kept when deleted, unpublished while the DID is excluded from the 411 list."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.conftest import Api, codes, status
from tests.e911_support import MONTREAL, NEW_YORK, numbers, numbers_of
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp

LISTING = {"type": "business", "sort_word": "Boulangerie Ève", "sub_word": "D'Arcy-Côté"}


def listings(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["whitepages_listings"]["whitepages_listing_details"]  # type: ignore[no-any-return]


def test_update_and_get(app: XmlEngineApp, api: Api) -> None:
    ids = numbers(app, api)
    answer = api.json("update_whitepages", phone_number="5145550150", **LISTING, **MONTREAL)
    (created,) = listings(answer)
    assert created["client_did_id"] == str(ids["5145550150"])
    assert (created["type"], created["sort_word"], created["sub_word"]) == (
        "business",
        "Boulangerie Ève",
        "D'Arcy-Côté",
    )
    assert (created["state_code"], created["postal_code"]) == ("QC", "H3A 1A1")
    assert (created["provision_status"], created["status"]) == ("activated", "enabled")
    assert listings(api.json("get_whitepages")) == [created]
    # A second update replaces the number's listing.
    xml = api.xml(
        "update_whitepages",
        phone_number="5145550150",
        **{**LISTING, "type": "residential"},
        **{**MONTREAL, "civic_number": "12"},
    )
    details = xml.find("whitepages_listings/whitepages_listing_details")
    assert details.findtext("client_411_listing_id") == created["client_411_listing_id"]
    assert (details.findtext("type"), details.findtext("civic_number")) == ("residential", "12")
    assert len(listings(api.json("get_whitepages"))) == 1


def test_refusals(app: XmlEngineApp, api: Api) -> None:
    numbers(app, api)
    assert codes(
        api.json("update_whitepages", phone_number="5145559999", **LISTING, **MONTREAL)
    ) == ["phone_number_not_found"]
    wrong_zip = {**NEW_YORK, "postal_code": "90210"}
    assert codes(
        api.xml("update_whitepages", phone_number="5145550150", **LISTING, **wrong_zip)
    ) == ["postal_code_not_found"]
    refused = api.json(
        "update_whitepages",
        phone_number="5145550150",
        **LISTING,
        **{**MONTREAL, "civic_number": "9994"},
    )
    assert codes(refused) == ["alternate_address_provided"]
    assert len(refused["alternate_addresses"]["address_details"]) == 2
    # The name the sandbox's directory never finds, reported as the guide names the fields.
    unknown = {**LISTING, "sort_word": "Nobody", "sub_word": "NOBODY"}
    assert codes(
        api.xml("update_whitepages", phone_number="5145550150", **unknown, **MONTREAL)
    ) == ["first_name_not_found", "last_name_not_found"]
    assert listings(api.json("get_whitepages")) == []


def test_delete_by_each_name_and_filters(app: XmlEngineApp, api: Api) -> None:
    ids = numbers(app, api, "5145550160")
    made = {}
    for number in ids:
        answer = api.json("update_whitepages", phone_number=number, **LISTING, **MONTREAL)
        made[number] = listings(answer)[0]["client_411_listing_id"]
    deleted = api.json("delete_whitepages", client_411_listing_id=made["5145550150"])
    assert (status(deleted), codes(deleted)) == ("success", [])
    assert codes(api.json("delete_whitepages", client_411_listing_id=made["5145550150"])) == [
        "client_411_listing_id_invalid"
    ]
    assert status(api.xml("delete_whitepages", client_did_id=str(ids["4385550151"]))) == "success"
    assert codes(api.json("delete_whitepages", client_did_id=str(ids["4385550151"]))) == [
        "no_e911_endpoint_found"
    ]
    assert codes(api.json("delete_whitepages", client_did_id="999999")) == [
        "client_did_id_not_found"
    ]
    assert codes(api.json("delete_whitepages", phone_number="5145559999")) == [
        "phone_number_not_found"
    ]
    assert [x["phone_number"] for x in listings(api.json("get_whitepages"))] == ["5145550160"]
    both = listings(api.json("get_whitepages", status="enabled,deleted"))
    assert [x["status"] for x in both] == ["deleted", "deleted", "enabled"]
    removed = listings(api.json("get_whitepages", status="deleted", provision_status="removed"))
    assert len(removed) == 2
    assert listings(api.json("get_whitepages", provision_status="pending,rejected")) == []
    assert status(api.json("delete_whitepages", phone_number="5145550160")) == "success"
    assert listings(api.json("get_whitepages")) == []


def test_an_excluded_did_is_not_published(app: XmlEngineApp, api: Api) -> None:
    ids = numbers(app, api)
    api.json("update_whitepages", phone_number="5145550150", **LISTING, **MONTREAL)
    did = str(ids["5145550150"])
    assert status(api.json("update_did", client_did_id=did, exclude_e411_list="1")) == "success"
    (shown,) = listings(api.json("get_whitepages"))
    assert (shown["status"], shown["provision_status"]) == ("enabled", "removed")
    assert listings(api.json("get_whitepages", provision_status="activated")) == []
    api.json("update_did", client_did_id=did, exclude_e411_list="0")
    assert listings(api.json("get_whitepages", provision_status="activated"))[0]["status"] == (
        "enabled"
    )


def test_updates_of_one_number_at_the_same_instant_leave_one_listing(
    app: XmlEngineApp, account: Credentials
) -> None:
    """On PostgreSQL each request has a connection of its own: without waiting for each
    other, each would find no listing and make one."""
    numbers_of(app, account.client_account_id)
    auth = {"username": account.username, "auth_token": account.auth_token}

    async def at_once() -> tuple[list[dict[str, Any]], dict[str, Any]]:
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:

                async def update(civic_number: str) -> dict[str, Any]:
                    fields = {**LISTING, **MONTREAL, "civic_number": civic_number}
                    answer = await http.post(
                        "/api/v1.1/json/update_whitepages",
                        params=auth,
                        data={"phone_number": "5145550150", **fields},
                    )
                    return answer.json()  # type: ignore[no-any-return]

                answers = await asyncio.gather(*(update(str(1000 + 2 * i)) for i in range(4)))
                shown = await http.get("/api/v1.1/json/get_whitepages", params=auth)
                return answers, shown.json()
        finally:
            await app.deps.close()

    answers, shown = asyncio.run(at_once())
    assert [status(answer) for answer in answers] == ["success"] * 4, answers
    ids = {listings(answer)[0]["client_411_listing_id"] for answer in answers}
    assert len(ids) == 1
    assert [listing["client_411_listing_id"] for listing in listings(shown)] == list(ids)
