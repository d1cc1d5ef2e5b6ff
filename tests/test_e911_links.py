"""What E911 endpoints do elsewhere: the unprovisioned fee of a 911 call no endpoint
answers, and a deleted DID's E911 and 411 links."""

from __future__ import annotations

from typing import Any

from tests.call_support import call, log_calls
from tests.conftest import Api, codes, status
from tests.e911_support import MONTREAL, numbers, provision, sandbox_peer
from tests.scope_support import for_account
from xmlengine.domain import e911
from xmlengine.domain.calls.records import CallInput
from xmlengine.http.app import XmlEngineApp


def unbilled(api: Api) -> str:
    return str(api.json("get_funding_details")["funding_details"]["unbilled_usage"])


def emergency(**fields: Any) -> CallInput:
    caller = {"source": "5145550150", "callerid_number": "5145550150"}
    return call(destination="911", **{**caller, **fields})


def test_a_911_call_without_an_endpoint_is_billed_the_fee(app: XmlEngineApp, api: Api) -> None:
    numbers(app, api)
    log_calls(app, api.credentials, emergency(), charge=True)
    assert unbilled(api) == "75.00"
    log_calls(app, api.credentials, call(), charge=True)  # not a 911 call: its own rate only
    assert unbilled(api) == "75.01"
    # Once any number is provisioned, a 911 call finds an endpoint (the account's).
    provision(api, "4385550151")
    log_calls(app, api.credentials, emergency(), charge=True)
    assert unbilled(api) == "75.01"


def test_a_peer_set_to_unprovisioned_pays_the_fee(app: XmlEngineApp, api: Api) -> None:
    peer = sandbox_peer(app, api)
    provision(api, "5145550150")
    from_peer = emergency(client_peer_id=peer, source="200", callerid_number="")
    log_calls(app, api.credentials, from_peer, charge=True)
    assert unbilled(api) == "0.00"  # the default setting: the account's endpoint answers
    for_account(
        app,
        api.credentials.client_account_id,
        lambda acct: e911.associate(acct, peer, e911.UNPROVISIONED),
    )
    log_calls(app, api.credentials, from_peer, charge=True)
    assert unbilled(api) == "75.00"


def test_a_deleted_did_takes_its_links(app: XmlEngineApp, api: Api) -> None:
    ids = numbers(app, api)
    peer = str(sandbox_peer(app, api))
    did = str(ids["5145550150"])
    provision(api, "5145550150")
    provision(api, "4385550151")
    api.json("associate_e911", client_did_id=did, client_peer_id=peer)
    listed = api.json(
        "update_whitepages",
        phone_number="5145550150",
        type="business",
        sort_word="Boulangerie",
        sub_word="Ève",
        **MONTREAL,
    )
    assert status(listed) == "success", listed
    base = {"friendly_name": "Office", "multi_tenancy_mode": "disabled", "status": "enabled"}
    sub = api.json("update_subaccount", mode="create", default_provisioned_endpoint_id=did, **base)
    details = sub["subaccounts"]["subaccount_details"][0]
    assert details["default_provisioned_endpoint_id"] == did
    assert status(api.json("delete_did", client_did_id=did)) == "success"
    assert codes(api.json("get_e911", client_did_id=did)) == ["no_e911_endpoint_found"]
    remaining = api.json("get_e911")["e911_endpoints"]["e911_endpoint_details"]
    assert [e["phone_number"] for e in remaining] == ["4385550151"]
    (shown,) = api.json("get_peers", client_peer_id=peer)["peers"]["peer_details"]
    assert shown["provisioned_endpoint_id"] == "0"
    sid = details["client_subaccount_id"]
    again = api.json("get_subaccounts", client_subaccount_id=sid)["subaccounts"]
    assert again["subaccount_details"][0]["default_provisioned_endpoint_id"] == ""
    assert api.json("get_whitepages")["whitepages_listings"]["whitepages_listing_details"] == []
    (gone,) = api.json("get_whitepages", status="deleted")["whitepages_listings"][
        "whitepages_listing_details"
    ]
    assert (gone["status"], gone["provision_status"]) == ("deleted", "removed")


def test_the_endpoint_a_911_call_presents(app: XmlEngineApp, api: Api) -> None:
    """The calling number's own endpoint, then the peer's, then the subaccount's default,
    then the account's first."""
    ids = numbers(app, api, "5145550160")
    peer = sandbox_peer(app, api)
    first = int(provision(api, "4385550151")["client_endpoint_id"])
    own = int(provision(api, "5145550150")["client_endpoint_id"])
    associated = int(provision(api, "5145550160")["client_endpoint_id"])
    api.json("associate_e911", client_endpoint_id=str(associated), client_peer_id=str(peer))
    base = {"friendly_name": "Office", "multi_tenancy_mode": "disabled", "status": "enabled"}
    default_did = str(ids["5145550150"])
    sub = api.json(
        "update_subaccount", mode="create", default_provisioned_endpoint_id=default_did, **base
    )
    sid = int(sub["subaccounts"]["subaccount_details"][0]["client_subaccount_id"])

    def answering(**fields: Any) -> int | None:
        row = {
            "client_peer_id": None,
            "client_subaccount_id": None,
            "callerid_number": "",
            "source": "200",
            **fields,
        }
        account_id = api.credentials.client_account_id
        return for_account(app, account_id, lambda acct: e911.answering_endpoint(acct, row))

    assert answering(client_peer_id=peer, callerid_number="5145550150") == own
    assert answering(client_peer_id=peer, client_subaccount_id=sid) == associated
    assert answering(client_subaccount_id=sid) == own
    assert answering(client_subaccount_id=sid, callerid_number="4385550151") == first
    assert answering() == first
