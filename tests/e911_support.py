"""Numbers, addresses and endpoints for the e911 and whitepages tests."""

from __future__ import annotations

import time
from typing import Any

from tests.conftest import Api, status
from tests.scope_support import for_account
from xmlengine.domain import dids
from xmlengine.domain.sandbox.lines import ensure_sandbox_lines
from xmlengine.http.app import XmlEngineApp

# A Montreal address: Quebec's postal codes begin with G, H or J.
MONTREAL = {
    "civic_number": "1000",
    "street": "Sherbrooke Ouest",
    "city": "Montreal",
    "state_code": "QC",
    "country_code": "CA",
    "postal_code": "H3A 1A1",
}
# New York (state 46): ZIPs 100 to 149.
NEW_YORK = {
    "civic_number": "350",
    "street": "Fifth Avenue",
    "city": "New York",
    "state_id": "46",
    "country_id": "223",
    "postal_code": "10118",
}


def numbers(app: XmlEngineApp, api: Api, *extra: str) -> dict[str, int]:
    """The account's sandbox DIDs (5145550150, 4385550151) and `extra` ones: number -> id."""
    return numbers_of(app, api.credentials.client_account_id, *extra)


def numbers_of(app: XmlEngineApp, account_id: int, *extra: str) -> dict[str, int]:
    """`numbers`, for the account `account_id`."""

    def make(acct: Any) -> dict[str, int]:
        lines = ensure_sandbox_lines(acct, now=time.time())
        found = {}
        for number in (*lines.numbers, *extra):
            found[number] = dids.add(acct, number)
        return found

    return for_account(app, account_id, make)


def sandbox_peer(app: XmlEngineApp, api: Api) -> int:
    numbers(app, api)
    (peer,) = api.json("get_peers")["peers"]["peer_details"]
    return int(peer["client_peer_id"])


def provision(api: Api, number: str, **params: str) -> dict[str, Any]:
    """`params` add to (or replace parts of) the Montreal address."""
    answer = api.json(
        "update_e911", phone_number=number, full_name="Front desk", **{**MONTREAL, **params}
    )
    assert status(answer) == "success", answer
    (endpoint,) = answer["e911_endpoints"]["e911_endpoint_details"]
    return endpoint  # type: ignore[no-any-return]


def _listing(app: XmlEngineApp, api: Api) -> int:
    numbers(app, api)
    listing = {"type": "business", "sort_word": "Bakery", "sub_word": "Main"}
    answer = api.json("update_whitepages", phone_number="5145550150", **listing, **MONTREAL)
    details = answer["whitepages_listings"]["whitepages_listing_details"][0]
    return int(details["client_411_listing_id"])


def _endpoint(app: XmlEngineApp, api: Api) -> int:
    numbers(app, api)
    return int(provision(api, "5145550150")["client_endpoint_id"])


def _provisioned_did(app: XmlEngineApp, api: Api) -> int:
    numbers(app, api)
    return int(provision(api, "5145550150")["client_did_id"])


# How to make each e911 kind, for the tenant-isolation matrix.
MAKERS = {
    "e911_endpoint": _endpoint,
    "provisioned_did": _provisioned_did,
    "whitepages_listing": _listing,
}
