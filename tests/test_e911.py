"""E911: provisioning a number's address, checking addresses against the sandbox's
validation, associating peers, the subaccount's default endpoint, deleting endpoints."""

from __future__ import annotations

from typing import Any

from lxml import etree

from tests.conftest import Api, codes, parse_xml, status
from tests.e911_support import MONTREAL, NEW_YORK, numbers, provision, sandbox_peer
from xmlengine.http.app import XmlEngineApp


def endpoints(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["e911_endpoints"]["e911_endpoint_details"]  # type: ignore[no-any-return]


def test_update_e911_provisions_and_get_e911_shows_it(app: XmlEngineApp, api: Api) -> None:
    ids = numbers(app, api)
    created = provision(api, "5145550150", first_name="Ann", e911_language="fr")
    assert created["client_did_id"] == str(ids["5145550150"])
    assert int(created["client_endpoint_id"]) > 3  # never one of the peers' settings 0-3
    assert (created["civic_number"], created["street"], created["city"]) == (
        "1000",
        "Sherbrooke Ouest",
        "Montreal",
    )
    assert (created["state_id"], created["state_code"], created["state"]) == ("11", "QC", "Quebec")
    assert (created["country_id"], created["country_code"]) == ("38", "CA")
    assert (created["postal_code"], created["e911_language"]) == ("H3A 1A1", "fr")
    assert (created["full_name"], created["first_name"], created["client_peer_ids"]) == (
        "Front desk",
        "Ann",
        "",
    )
    endpoint_id = created["client_endpoint_id"]
    for how in (
        {"client_endpoint_id": endpoint_id},
        {"client_did_id": str(ids["5145550150"])},
        {"phone_number": "5145550150"},
        {},
    ):
        assert endpoints(api.json("get_e911", **how)) == [created]
    # Updating the number's address replaces it: still one endpoint, the same id.
    moved = api.xml(
        "update_e911",
        phone_number="5145550150",
        full_name="Warehouse",
        address_type="suite",
        address_type_number="200",
        **{**MONTREAL, "civic_number": "1200", "postal_code": "h3a2b2"},
    )
    details = moved.find("e911_endpoints/e911_endpoint_details")
    assert details.findtext("client_endpoint_id") == endpoint_id
    assert (details.findtext("civic_number"), details.findtext("postal_code")) == (
        "1200",
        "H3A 2B2",
    )
    assert (details.findtext("address_type"), details.findtext("address_type_number")) == (
        "suite",
        "200",
    )
    assert details.findtext("e911_language") == "en"  # the account's language by default
    assert api.xml("get_e911").find("e911_endpoints").get("result_count") == "1"


def test_get_e911_pages_and_filters(app: XmlEngineApp, api: Api) -> None:
    ids = numbers(app, api, "5145550160", "5145550161")
    for number in ("5145550150", "5145550160", "5145550161"):
        provision(api, number)
    xml = api.xml("get_e911", result_limit="2", result_offset="1")
    container = xml.find("e911_endpoints")
    assert (container.get("result_limit"), container.get("result_offset")) == ("2", "1")
    phones = [e.findtext("phone_number") for e in container.iterfind("e911_endpoint_details")]
    assert phones == ["5145550160", "5145550161"]
    # A DID excluded from the E911 list is left out of the list, still found by name.
    update = api.json("update_did", client_did_id=str(ids["5145550160"]), exclude_e911_list="1")
    assert status(update) == "success", update
    listed = [e["phone_number"] for e in endpoints(api.json("get_e911"))]
    assert listed == ["5145550150", "5145550161"]
    assert endpoints(api.json("get_e911", phone_number="5145550160"))[0]["phone_number"]
    # By subaccount: the endpoints of its DIDs.
    sub = api.json(
        "update_subaccount",
        mode="create",
        friendly_name="Office",
        multi_tenancy_mode="disabled",
        status="enabled",
    )
    sid = sub["subaccounts"]["subaccount_details"][0]["client_subaccount_id"]
    linked = api.json(
        "update_subaccount_associations",
        client_subaccount_id=sid,
        associated_dids=str(ids["5145550161"]),
    )
    assert status(linked) == "success", linked
    found = endpoints(api.json("get_e911", client_subaccount_id=sid))
    assert [e["phone_number"] for e in found] == ["5145550161"]


def test_numbers_not_found_and_not_provisioned(app: XmlEngineApp, api: Api) -> None:
    ids = numbers(app, api)
    assert codes(api.json("get_e911", phone_number="5145559999")) == ["phone_number_not_found"]
    assert codes(api.json("get_e911", phone_number="5145550150")) == ["no_e911_endpoint_found"]
    did = str(ids["4385550151"])
    assert codes(api.xml("get_e911", client_did_id=did)) == ["no_e911_endpoint_found"]
    assert codes(api.json("get_e911", client_did_id="999999")) == ["client_did_id_not_found"]
    assert codes(api.json("get_e911", client_endpoint_id="999999")) == [
        "client_endpoint_id_not_found"
    ]
    assert codes(
        api.json("update_e911", phone_number="5145559999", full_name="X1", **MONTREAL)
    ) == ["phone_number_not_found"]
    assert endpoints(api.json("get_e911")) == []


def test_check_e911_validates_against_the_sandbox(app: XmlEngineApp, api: Api) -> None:
    answer = api.json("check_e911", **MONTREAL)
    assert status(answer) == "success"
    (address,) = answer["addresses"]["address_details"]
    assert (address["state_code"], address["country_code"], address["postal_code"]) == (
        "QC",
        "CA",
        "H3A 1A1",
    )
    assert status(api.json("check_e911", **NEW_YORK)) == "success"
    cases = {
        # Canadian postal codes begin with their province's letter; ZIPs lie in their state.
        "postal_code_not_found": [
            {**MONTREAL, "postal_code": "M5V 2T6"},
            {**NEW_YORK, "postal_code": "90210"},
            {**MONTREAL, "postal_code": "10118"},
        ],
        "state_not_found": [
            {**MONTREAL, "state_code": "NY"},
            {**MONTREAL, "state_code": "", "state_id": "46"},
        ],
        "country_not_found": [
            {**MONTREAL, "country_code": "ZZ"},
            {**MONTREAL, "country_code": "FR"},
        ],
        "civic_number_not_found": [{**MONTREAL, "civic_number": "9991"}],
        "street_not_found": [{**MONTREAL, "civic_number": "9992"}],
        "city_not_found": [{**MONTREAL, "civic_number": "9993"}],
    }
    for code, addresses in cases.items():
        for case in addresses:
            params = {k: v for k, v in case.items() if v}
            assert codes(api.json("check_e911", **params)) == [code], case
    # The phone number, when sent, is one of the account's.
    assert codes(api.json("check_e911", phone_number="5145559999", **MONTREAL)) == [
        "phone_number_not_found"
    ]


def test_zip_codes_are_found_in_their_own_state(app: XmlEngineApp, api: Api) -> None:
    """ZIP codes by the USPS's list, not by prefix: Fishers Island (06390) is New York's
    among Connecticut's codes, 20588 is Maryland's among Washington's; a code not in use
    is in no state. Canadian codes keep Canada Post's form."""
    new_york, connecticut, maryland, dc = "46", "20", "34", "22"
    found = [
        (new_york, "06390"),
        (maryland, "20588-1234"),
        (dc, "20500"),
        (new_york, "00501"),
    ]
    for state_id, zip_code in found:
        for fmt in ("json", "xml"):
            params = {**NEW_YORK, "state_id": state_id, "postal_code": zip_code}
            answer = getattr(api, fmt)("check_e911", **params)
            assert status(answer) == "success", (state_id, zip_code, fmt)
    not_found = [(connecticut, "06390"), (dc, "20588"), (new_york, "10000"), (new_york, "99999")]
    for state_id, zip_code in not_found:
        for fmt in ("json", "xml"):
            params = {**NEW_YORK, "state_id": state_id, "postal_code": zip_code}
            answer = getattr(api, fmt)("check_e911", **params)
            assert codes(answer) == ["postal_code_not_found"], (state_id, zip_code, fmt)
    # update_e911 answers the same and writes nothing.
    numbers(app, api)
    moved = {**NEW_YORK, "state_id": connecticut, "postal_code": "06390"}
    refused = api.json("update_e911", phone_number="5145550150", full_name="Desk", **moved)
    assert codes(refused) == ["postal_code_not_found"]
    assert endpoints(api.json("get_e911")) == []
    for postal_code in ("H2X1Y4", "h2x 1y4"):
        assert status(api.json("check_e911", **{**MONTREAL, "postal_code": postal_code})) == (
            "success"
        )
    for postal_code in ("D2X 1Y4", "H2X 1O4", "W2X 1Y4", "Z2X 1Y4", "H2X-1Y4", "H2X  1Y4"):
        params = {**MONTREAL, "postal_code": postal_code}
        assert codes(api.json("check_e911", **params)) == ["postal_code_invalid"], postal_code


def test_magic_address_answers_alternates_in_both_formats(app: XmlEngineApp, api: Api) -> None:
    magic = {**MONTREAL, "civic_number": "9994"}
    answer = api.json("check_e911", **magic)
    assert status(answer) == "error"
    assert codes(answer) == ["alternate_address_provided"]
    alternates = answer["alternate_addresses"]["address_details"]
    assert [a["civic_number"] for a in alternates] == ["9990", "9996"]
    assert {a["street"] for a in alternates} == {"Sherbrooke Ouest"}
    xml = api.xml("check_e911", **magic)
    assert [e.text for e in xml.iterfind("alternate_addresses/address_details/civic_number")] == [
        "9990",
        "9996",
    ]
    # Each alternate validates; update_e911 answers the same until one is sent.
    numbers(app, api)
    refused = api.json("update_e911", phone_number="5145550150", full_name="Desk", **magic)
    assert codes(refused) == ["alternate_address_provided"]
    assert len(refused["alternate_addresses"]["address_details"]) == 2
    assert endpoints(api.json("get_e911")) == []
    chosen = provision(api, "5145550150", **{**MONTREAL, "civic_number": "9990"})
    assert chosen["civic_number"] == "9990"


def test_update_e911_deprecated_names_not_found(app: XmlEngineApp, api: Api) -> None:
    numbers(app, api)
    params = {"phone_number": "5145550150", "full_name": "Front desk", **MONTREAL}
    answer = api.json("update_e911", first_name="nobody", **params)
    assert codes(answer) == ["first_name_not_found"]
    answer = api.json("update_e911", last_name="Nobody", **{**params, "civic_number": "9994"})
    assert codes(answer) == ["alternate_address_provided", "last_name_not_found"]
    assert len(answer["alternate_addresses"]["address_details"]) == 2


def test_associate_and_disassociate_a_peer(app: XmlEngineApp, api: Api) -> None:
    peer = str(sandbox_peer(app, api))
    endpoint = provision(api, "5145550150")
    answer = api.json("associate_e911", phone_number="5145550150", client_peer_id=peer)
    assert endpoints(answer)[0]["client_peer_ids"] == peer
    (shown,) = api.json("get_peers", client_peer_id=peer)["peers"]["peer_details"]
    assert shown["provisioned_endpoint_id"] == endpoint["client_endpoint_id"]
    # update_peer takes an endpoint id too (or a setting 0-3).
    assert endpoints(api.json("get_e911"))[0]["client_peer_ids"] == peer
    assert status(api.xml("disassociate_e911", client_peer_id=peer)) == "success"
    (shown,) = api.json("get_peers", client_peer_id=peer)["peers"]["peer_details"]
    assert shown["provisioned_endpoint_id"] == "0"
    assert endpoints(api.json("get_e911"))[0]["client_peer_ids"] == ""
    assert codes(api.json("associate_e911", client_did_id="999999", client_peer_id=peer)) == [
        "client_did_id_not_found"
    ]
    assert codes(
        api.json(
            "associate_e911",
            client_endpoint_id=endpoint["client_endpoint_id"],
            client_peer_id="999999",
        )
    ) == ["client_peer_id_not_found"]
    assert codes(api.json("associate_e911", phone_number="4385550151", client_peer_id=peer)) == [
        "no_e911_endpoint_found"
    ]
    assert codes(api.json("disassociate_e911", client_peer_id="x")) == ["client_peer_id_invalid"]


def test_delete_e911_unlinks_peers_and_notices_the_last(app: XmlEngineApp, api: Api) -> None:
    peer = str(sandbox_peer(app, api))
    first = provision(api, "5145550150")
    provision(api, "4385550151")
    api.json("associate_e911", client_endpoint_id=first["client_endpoint_id"], client_peer_id=peer)
    deleted = api.json("delete_e911", phone_number="5145550150")
    assert (status(deleted), codes(deleted)) == ("success", [])
    (shown,) = api.json("get_peers", client_peer_id=peer)["peers"]["peer_details"]
    assert shown["provisioned_endpoint_id"] == "0"
    assert codes(api.json("delete_e911", phone_number="5145550150")) == ["no_e911_endpoint_found"]
    last = api.xml("delete_e911", phone_number="4385550151")
    assert status(last) == "success"
    assert codes(last) == ["last_endpoint_was_deleted"]
    assert isinstance(last, etree._Element)
    assert endpoints(api.json("get_e911")) == []


def test_subaccount_default_endpoint(app: XmlEngineApp, api: Api) -> None:
    ids = numbers(app, api)
    did = str(ids["5145550150"])
    base = {"friendly_name": "Office", "multi_tenancy_mode": "disabled", "status": "enabled"}
    # A DID without an endpoint is not a provisioned DID.
    refused = api.json(
        "update_subaccount", mode="create", default_provisioned_endpoint_id=did, **base
    )
    assert codes(refused) == ["default_provisioned_endpoint_id_invalid"]
    provision(api, "5145550150")
    sub = api.json("update_subaccount", mode="create", default_provisioned_endpoint_id=did, **base)
    assert status(sub) == "success", sub
    assert codes(api.json("delete_e911", client_did_id=did)) == ["entry_is_default_endpoint"]
    assert len(endpoints(api.json("get_e911"))) == 1


def test_v1_0_clients_get_the_same_answers(app: XmlEngineApp, api: Api, client: Any) -> None:
    numbers(app, api)
    provision(api, "5145550150")
    account = api.credentials
    query = {
        "client_account_id": str(account.client_account_id),
        "auth_token": account.auth_token,
        "request_type": "get_e911",
    }
    body = parse_xml(client.get("/xml_engine/xml_engine.php", params=query).content)
    assert body.findtext("e911_endpoints/e911_endpoint_details/phone_number") == "5145550150"
    query.update(MONTREAL, request_type="check_e911", output_format="json", civic_number="9994")
    answer = client.get("/xml_engine/xml_engine.php", params=query).json()
    assert codes(answer) == ["alternate_address_provided"]
    assert len(answer["alternate_addresses"]["address_details"]) == 2
