"""Extensions: numbers unique in the account, peers to ring, queues, the subaccount link."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, codes, new_account, status
from tests.media_support import subaccount
from tests.routing_support import MAKERS, create, made, peer
from xmlengine.http.app import XmlEngineApp

LISTING = ("extensions", "extension_details")


def extension(answer: dict[str, Any]) -> dict[str, Any]:
    return made(answer, *LISTING)


def listed(api: Api, **params: Any) -> list[dict[str, Any]]:
    answer = api.json("get_extensions", **params)
    assert status(answer) == "success", codes(answer)
    return answer[LISTING[0]][LISTING[1]]  # type: ignore[no-any-return]


def test_create_and_show(app: XmlEngineApp, api: Api) -> None:
    peer_id, queue = peer(app, api), MAKERS["queue"](app, api)
    created = extension(
        api.json(
            "update_extension",
            mode="create",
            extension="1001",
            friendly_name="Reception",
            client_peer_ids=str(peer_id),
            peer_timeout="20",
            enable_peer="1",
            client_queue_ids=str(queue),
            forward_number="5145550199",
            forward_timeout="disabled",
            send_dtmf="123w",
            options="confirm_required",
            dnis_rewrite="5145550100",
            raw_metadata="desk 4",
        )
    )
    assert (created["extension"], created["friendly_name"]) == ("1001", "Reception")
    assert (created["client_peer_ids"], created["peer_timeout"], created["enable_peer"]) == (
        str(peer_id),
        "20",
        "1",
    )
    assert (created["client_queue_ids"], created["forward_number"]) == (str(queue), "5145550199")
    assert (created["enable_forwarding"], created["enable_voicemail"]) == ("0", "0")
    assert (created["voice_language"], created["status"]) == ("en", "enabled")  # the account's
    assert (created["client_mailbox_id"], created["confirm_media_file_id"]) == ("0", "0")
    assert created["metadata"]["raw_metadata"] == "desk 4"
    assert listed(api) == [created]
    xml = api.xml("get_extensions", client_extension_id=created["client_extension_id"])
    assert xml.findtext("extensions/extension_details/extension") == "1001"
    assert xml.findtext("extensions/extension_details/options") == "confirm_required"


def test_an_update_keeps_the_number_and_resets_the_rest(api: Api) -> None:
    eid = create(
        api,
        "update_extension",
        *LISTING,
        extension="2000",
        friendly_name="Desk",
        enable_parking="1",
        voice_language="fr",
    )
    updated = extension(
        api.json("update_extension", client_extension_id=str(eid), status="disabled")
    )
    assert (updated["extension"], updated["friendly_name"], updated["enable_parking"]) == (
        "2000",
        "",
        "0",
    )
    assert (updated["voice_language"], updated["status"]) == ("en", "disabled")
    moved = extension(api.json("update_extension", client_extension_id=str(eid), extension="2001"))
    assert moved["extension"] == "2001"


def test_a_number_is_used_once_per_account(app: XmlEngineApp, client: Any, api: Api) -> None:
    first = create(api, "update_extension", *LISTING, extension="3000")
    second = create(api, "update_extension", *LISTING, extension="3001")
    for fmt in (api.json, api.xml):
        assert codes(fmt("update_extension", mode="create", extension="3000")) == [
            "extension_already_in_use"
        ]
        assert codes(fmt("update_extension", client_extension_id=second, extension="3000")) == [
            "extension_already_in_use"
        ]
    # Its own number again is no clash; another account may use the same number.
    again = api.json("update_extension", client_extension_id=str(first), extension="3000")
    assert status(again) == "success"
    other = Api(client, new_account(app))
    assert status(other.json("update_extension", mode="create", extension="3000")) == "success"
    assert [e["extension"] for e in listed(api)] == ["3000", "3001"]


def test_the_subaccount_link_is_the_association(api: Api) -> None:
    shop, other_shop = subaccount(api), subaccount(api, "Shop B")
    eid = create(
        api, "update_extension", *LISTING, extension="4000", client_subaccount_id=str(shop)
    )
    assert [e["client_extension_id"] for e in listed(api, client_subaccount_id=shop)] == [str(eid)]
    linked = api.json("get_subaccounts", client_subaccount_id=str(shop), get_associations="1")[
        "subaccounts"
    ]["subaccount_details"][0]["associations"]
    assert linked["associated_extensions"] == str(eid)
    moved = api.json(
        "update_subaccount_associations",
        client_subaccount_id=str(other_shop),
        associated_extensions=str(eid),
    )
    assert status(moved) == "success", codes(moved)
    (shown,) = listed(api, client_extension_id=str(eid))
    assert shown["client_subaccount_id"] == str(other_shop)
    assert listed(api, client_subaccount_id=shop) == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"extension": "999"}, "extension_invalid"),
        ({"extension": "10000"}, "extension_invalid"),
        ({}, "extension_required"),
        ({"extension": "1500", "client_peer_ids": "1,2,3,4,5,6"}, "peers_to_ring_limit_reached"),
        ({"extension": "1500", "client_peer_ids": "999999"}, "client_peer_ids_invalid"),
        ({"extension": "1500", "client_queue_ids": "999999"}, "client_queue_ids_invalid"),
        ({"extension": "1500", "peer_timeout": "3"}, "peer_timeout_invalid"),
        ({"extension": "1500", "forward_number": "514555"}, "forward_number_invalid"),
        ({"extension": "1500", "options": "announce_caller"}, "announce_media_file_id_required"),
        # Mailboxes and media files are not built yet: every id is unknown.
        ({"extension": "1500", "client_mailbox_id": "1"}, "client_mailbox_id_invalid"),
        ({"extension": "1500", "confirm_media_file_id": "1"}, "confirm_media_file_id_invalid"),
        ({"extension": "1500", "send_dtmf": "12x"}, "send_dtmf_invalid"),
        ({"extension": "1500", "voice_language": "de"}, "voice_language_invalid"),
    ],
)
def test_refused(api: Api, params: dict[str, str], code: str) -> None:
    for fmt in (api.json, api.xml):
        assert codes(fmt("update_extension", mode="create", **params)) == [code]
