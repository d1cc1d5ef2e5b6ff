"""Voice mailboxes over HTTP: what update_mailbox writes is what get_mailboxes shows, in
both formats; the reset of omitted settings; the subaccount association; the account's
limit; what keeps a mailbox enabled or in place."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import Table, select, update
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import subaccount
from tests.scope_support import scope_of
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.sandbox.lines import ensure_sandbox_lines
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.did_tables import dids
from xmlengine.storage.peer_tables import peers


def line_ids(app: XmlEngineApp, api: Api, table: Table) -> list[int]:
    """The account's sandbox DIDs or peers, created on first use."""
    account_id = api.credentials.client_account_id
    key = table.c.client_did_id if table is dids else table.c.client_peer_id

    def ids(conn: Any) -> list[int]:
        ensure_sandbox_lines(scope_of(app, conn, account_id), now=0)
        query = select(key).where(table.c.account_id == account_id).order_by(key)
        return list(conn.execute(query).scalars())

    return app.deps.db.run_sync(ids)  # type: ignore[no-any-return]


FULL = {
    "friendly_name": "Reception",
    "passcode": "4321",
    "email": "front@example.com",
    "enable_mail_notification": "1",
    "contact_name": "Front desk",
    "enable_peer_notification": "0",
    "status": "enabled",
    "comments": "main line",
    "raw_metadata": '{"floor": 2}',
}


def created(api: Api, **fields: str) -> dict[str, str]:
    answer = api.json("update_mailbox", mode="create", **{"passcode": "1234", **fields})
    assert status(answer) == "success", codes(answer)
    (item,) = answer["mailboxes"]["mailbox_details"]
    return item  # type: ignore[no-any-return]


def listed(api: Api, **params: str) -> list[dict[str, Any]]:
    answer = api.json("get_mailboxes", **params)
    assert status(answer) == "success", codes(answer)
    return answer["mailboxes"]["mailbox_details"]  # type: ignore[no-any-return]


def test_what_is_created_is_what_get_mailboxes_shows(api: Api) -> None:
    item = created(api, **FULL)
    assert {name: item[name] for name in FULL if name != "raw_metadata"} == {
        name: value for name, value in FULL.items() if name != "raw_metadata"
    }
    assert item["metadata"]["raw_metadata"] == '{"floor": 2}'
    assert (item["notification_peers"], item["notification_duration"]) == ("", "0")
    assert (item["client_subaccount_id"], item["client_media_file_id"]) == ("0", "")
    assert item["date_created"] and item["date_updated"]
    assert listed(api) == [item]
    assert listed(api, client_mailbox_id=item["client_mailbox_id"]) == [item]
    xml = api.xml("get_mailboxes", client_mailbox_id=item["client_mailbox_id"])
    (details,) = xml.findall("mailboxes/mailbox_details")
    assert details.findtext("friendly_name") == "Reception"
    assert details.findtext("enable_mail_notification") == "1"
    assert details.findtext("metadata/raw_metadata") == '{"floor": 2}'


def test_an_update_resets_what_it_omits_but_the_passcode_and_metadata(api: Api) -> None:
    item = created(api, **FULL)
    answer = api.json("update_mailbox", client_mailbox_id=item["client_mailbox_id"])
    assert status(answer) == "success", codes(answer)
    (now,) = answer["mailboxes"]["mailbox_details"]
    assert (now["friendly_name"], now["email"], now["contact_name"], now["comments"]) == (
        "",
        "",
        "",
        "",
    )
    assert (now["enable_mail_notification"], now["status"]) == ("0", "enabled")
    assert now["passcode"] == "4321"
    assert now["metadata"]["raw_metadata"] == '{"floor": 2}'
    assert listed(api) == [now]


def test_notification_settings_and_their_requirements(api: Api) -> None:
    missing = api.json("update_mailbox", mode="create", enable_mail_notification="1")
    assert sorted(codes(missing)) == [
        "contact_name_required",
        "email_required",
        "passcode_required",
    ]
    both = api.json(
        "update_mailbox",
        mode="create",
        passcode="1234",
        enable_mail_notification="1",
        email="a@example.com",
        contact_name="Anna",
        enable_peer_notification="1",
    )
    assert sorted(codes(both)) == ["notification_duration_required", "notification_peers_required"]
    short = api.json("update_mailbox", mode="create", passcode="12")
    assert codes(short) == ["passcode_invalid"]


def test_peers_to_notify_are_kept_and_must_be_the_accounts(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    peer_ids = [str(i) for i in line_ids(app, api, peers)]
    item = created(
        api,
        enable_peer_notification="1",
        notification_peers=",".join(peer_ids),
        notification_duration="15",
    )
    assert item["notification_peers"] == ",".join(peer_ids)
    assert (item["enable_peer_notification"], item["notification_duration"]) == ("1", "15")
    stranger = Api(client, new_account(app))
    refused = stranger.json(
        "update_mailbox",
        mode="create",
        passcode="1234",
        enable_peer_notification="1",
        notification_peers=peer_ids[0],
    )
    assert codes(refused) == ["notification_peers_invalid"]


def test_the_subaccount_is_recorded_as_an_association(api: Api) -> None:
    sid = subaccount(api)
    item = created(api, client_subaccount_id=str(sid))
    assert item["client_subaccount_id"] == str(sid)
    answer = api.json("get_subaccounts", client_subaccount_id=str(sid), get_associations="1")
    (shown,) = answer["subaccounts"]["subaccount_details"]
    assert shown["associations"]["associated_mailboxes"] == item["client_mailbox_id"]
    moved = api.json("update_mailbox", client_mailbox_id=item["client_mailbox_id"], passcode="9999")
    assert moved["mailboxes"]["mailbox_details"][0]["client_subaccount_id"] == "0"
    answer = api.json("get_subaccounts", client_subaccount_id=str(sid), get_associations="1")
    assert (
        answer["subaccounts"]["subaccount_details"][0]["associations"]["associated_mailboxes"] == ""
    )


def test_the_accounts_limit_of_mailboxes(
    settings: Settings, clock: ManualClock, tmp_path: Any
) -> None:
    app = create_app(dataclasses.replace(settings, mailboxes_limit=2), clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        api = Api(client, new_account(app))
        created(api)
        created(api)
        third = api.json("update_mailbox", mode="create", passcode="1234")
        assert codes(third) == ["voice_mailboxes_limit_reached"]
        xml = api.xml("update_mailbox", mode="create", passcode="1234")
        assert [m.get("code") for m in xml.iter("message")] == ["voice_mailboxes_limit_reached"]


def _disable(api: Api, mailbox_id: str) -> dict[str, Any]:
    return api.json("update_mailbox", client_mailbox_id=mailbox_id, status="disabled")


def test_the_default_mailbox_of_each_owner_cannot_be_disabled(api: Api) -> None:
    first, second = created(api), created(api)
    sid = subaccount(api)
    theirs = created(api, client_subaccount_id=str(sid))
    assert codes(_disable(api, first["client_mailbox_id"])) == ["default_mailbox_dependency"]
    assert status(_disable(api, second["client_mailbox_id"])) == "success"
    # The subaccount's only mailbox is its default, whatever the main account has.
    refused = api.json(
        "update_mailbox",
        client_mailbox_id=theirs["client_mailbox_id"],
        client_subaccount_id=str(sid),
        status="disabled",
    )
    assert codes(refused) == ["default_mailbox_dependency"]
    # Deleting the default passes the role on: the next oldest enabled mailbox.
    third = created(api)
    assert status(api.json("delete_mailbox", client_mailbox_id=first["client_mailbox_id"])) == (
        "success"
    )
    assert codes(_disable(api, third["client_mailbox_id"])) == ["default_mailbox_dependency"]
    assert [m["client_mailbox_id"] for m in listed(api)] == [
        second["client_mailbox_id"],
        theirs["client_mailbox_id"],
        third["client_mailbox_id"],
    ]
    gone = api.json("get_mailboxes", client_mailbox_id=first["client_mailbox_id"])
    assert codes(gone) == ["client_mailbox_id_invalid"]


def test_a_mailbox_a_did_names_stays_enabled_and_in_place(app: XmlEngineApp, api: Api) -> None:
    default, named = created(api), created(api)
    did_id = line_ids(app, api, dids)[0]
    # update_did's client_mailbox_id, written as that request type will write it.
    app.deps.db.run_sync(
        lambda c: c.execute(
            update(dids)
            .where(dids.c.client_did_id == did_id)
            .values(client_mailbox_id=int(named["client_mailbox_id"]))
        )
    )
    assert codes(_disable(api, named["client_mailbox_id"])) == ["mailbox_did_dependency"]
    deleted = api.json("delete_mailbox", client_mailbox_id=named["client_mailbox_id"])
    assert codes(deleted) == ["mailbox_did_dependency"]
    both = _disable(api, default["client_mailbox_id"])
    assert codes(both) == ["default_mailbox_dependency"]
    assert len(listed(api)) == 2


def test_another_accounts_mailbox_is_unknown(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    item = created(api)
    stranger = Api(client, new_account(app))
    for request_type in ("get_mailboxes", "delete_mailbox", "update_mailbox"):
        answer = stranger.json(request_type, client_mailbox_id=item["client_mailbox_id"])
        assert codes(answer) == ["client_mailbox_id_invalid"], request_type
    assert listed(api) == [item]
