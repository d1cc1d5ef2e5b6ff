"""SMS profiles and the DIDs' own SMS settings: every option -> field rule, inbound SMS and
MMS from the sandbox to the DIDs that take them, callbacks, forwarding, auto-reply, email,
and which wins when a DID's settings and its profile disagree (the profile)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import subaccount
from tests.receiver import Receiver, receiving
from tests.sandbox_support import Network, run, sandbox, switch_off, traffic_settings
from tests.scope_support import for_account
from tests.sms_support import WIRE_FIELDS, carry, deliver_all, did_ids
from tests.smtp_receiver import smtp_server
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS, ensure_sandbox_lines

FIRST, SECOND = DEMO_NUMBERS
SENDER = "4165551234"
SMS_RNG, MMS_RNG = 2, 1  # seeds whose first draw makes a text message, a picture message


@pytest.fixture
def open_settings(settings: Settings) -> Settings:
    return traffic_settings(settings)


@pytest.fixture
def sms_api(open_settings: Settings, clock: ManualClock) -> Iterator[Api]:
    with TestClient(create_app(open_settings, clock)) as client:
        app: Any = client.app
        yield Api(client, new_account(app))


def profile(api: Api, **fields: str) -> dict[str, str]:
    answer = api.json("update_sms_profile", **fields)
    assert status(answer) == "success", codes(answer)
    (found,) = answer["sms_profiles"]["sms_profile_details"]
    return found  # type: ignore[no-any-return]


async def arrive(net: Network, number: str, sender: str = SENDER, *, seed: int = SMS_RNG) -> bool:
    """A message from `sender` to the account's DID `number`, as the traffic makes one."""
    (line,) = [x for x in await net.lines() if x.kind == "did" and x.number == number]
    took = await net.owner.sms.receive(net.owner.network, line, sender, random.Random(seed))
    await net.owner.scheduler.advance(1)
    return took


def bodies(receiver: Receiver, path: str) -> list[dict[str, str]]:
    found = [orjson.loads(got.body) for got in receiver.at(path)]
    for body in found:
        assert list(body) == WIRE_FIELDS and all(isinstance(v, str) for v in body.values())
    return found


def test_profile_options_require_their_fields_in_both_formats(sms_api: Api) -> None:
    for fmt in (sms_api.json, sms_api.xml):
        assert codes(fmt("update_sms_profile", mode="create")) == ["options_required"]
        needs = {
            "enable_callback": ["callback_url_required"],
            "enable_forwarding": ["forward_number_required"],
            "enable_autoreply": ["autoreply_message_required"],
            "inbound_completed_notification": ["notify_name_required", "notify_email_required"],
        }
        for option, expected in needs.items():
            assert codes(fmt("update_sms_profile", mode="create", options=option)) == expected
        assert codes(fmt("update_sms_profile", options="enable_callback_retry")) == [
            "client_sms_profile_id_required"
        ]
        assert codes(
            fmt("update_sms_profile", mode="create", options="x", callback_url="ftp://a")
        ) == ["callback_url_invalid", "options_invalid"]


def test_profiles_are_created_updated_listed_and_deleted(sms_api: Api) -> None:
    sub = str(subaccount(sms_api))
    created = profile(
        sms_api,
        mode="create",
        friendly_name="Support",
        options="enable_forwarding,enable_callback_retry",
        forward_number="+14165550100",
        allowed_senders="416,5145550000",
        language="fr",
        client_subaccount_id=sub,
    )
    pid = created["client_sms_profile_id"]
    assert created["forward_number"] == "4165550100" and created["options"] == (
        "enable_forwarding,enable_callback_retry"
    )
    assert (created["allowed_senders"], created["status"]) == ("416,5145550000", "enabled")
    assert created["client_subaccount_id"] == sub and created["date_created"] != ""
    other = profile(sms_api, mode="create", options="enable_callback_retry")
    other_id = other["client_sms_profile_id"]
    listed = sms_api.json("get_sms_profiles", client_subaccount_id=sub)["sms_profiles"]
    assert [p["client_sms_profile_id"] for p in listed["sms_profile_details"]] == [pid]
    listed = sms_api.json("get_sms_profiles")["sms_profiles"]["sms_profile_details"]
    assert [p["client_sms_profile_id"] for p in listed] == [pid, other_id]
    updated = profile(
        sms_api,
        client_sms_profile_id=pid,
        options="enable_autoreply",
        autoreply_message="Back soon",
    )
    # An update keeps what it is not given.
    assert (updated["friendly_name"], updated["forward_number"]) == ("Support", "4165550100")
    assert updated["options"] == "enable_autoreply"
    xml = sms_api.xml("get_sms_profiles", client_sms_profile_id=pid)
    (item,) = xml.iterfind("sms_profiles/sms_profile_details")
    assert item.findtext("autoreply_message") == "Back soon"
    dids = did_ids_of(sms_api)
    assert (
        status(
            sms_api.json(
                "update_did",
                client_did_id=dids[0],
                client_sms_profile_id=pid,
                preserve_missing_data="1",
            )
        )
        == "success"
    )
    shown = sms_api.json("get_dids", client_did_id=dids[0])["dids"]["did_details"][0]
    assert shown["client_sms_profile_id"] == pid
    assert status(sms_api.json("delete_sms_profile", client_sms_profile_id=pid)) == "success"
    shown = sms_api.json("get_dids", client_did_id=dids[0])["dids"]["did_details"][0]
    assert shown["client_sms_profile_id"] == ""  # back to its own settings
    assert codes(sms_api.json("get_sms_profiles", client_sms_profile_id=pid)) == [
        "client_sms_profile_id_invalid"
    ]
    app: Any = sms_api.client.app
    app.deps.db.run_sync(lambda conn: switch_off(conn, sms_api.credentials.client_account_id))


def did_ids_of(api: Api) -> list[str]:
    """The account's DIDs: the sandbox's demo numbers, given to it now."""
    app: Any = api.client.app
    account_id = api.credentials.client_account_id
    for_account(app, account_id, lambda acct: ensure_sandbox_lines(acct, now=time.time()))
    answer = api.json("get_dids")
    return [d["client_did_id"] for d in answer["dids"]["did_details"]]


def test_an_inbound_sms_reaches_the_profile_s_callback_autoreply_forward_and_email(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id
    with receiving() as receiver, smtp_server() as (address, box):
        mailing = traffic_settings(open_settings, smtp_url=f"smtp://{address}")
        receiver.plan("/main", default=500)  # down: the backup URL takes it

        async def scenario() -> None:
            async with sandbox(mailing, clock, account_id) as net:
                dids = did_ids(sms_api)
                profile(
                    sms_api,
                    mode="create",
                    options="enable_callback,enable_autoreply,enable_forwarding,"
                    "inbound_completed_notification",
                    callback_url=receiver.url("/main"),
                    backup_url=receiver.url("/backup"),
                    autoreply_message="Thanks, we will answer soon.",
                    forward_number="6135550100",
                    notify_name="Anna",
                    notify_email="anna@example.com",
                    client_did_id=str(dids[FIRST]),
                )
                assert await arrive(net, FIRST)
                assert await arrive(net, FIRST, seed=MMS_RNG)
                taken = sms_api.json(
                    "update_did",
                    client_did_id=str(dids[SECOND]),
                    preserve_missing_data="1",
                    options="enable_recording",
                )
                assert status(taken) == "success", codes(taken)
                assert not await arrive(net, SECOND)  # enable_sms taken away: no message
                await carry(net, 10)  # the auto-replies and forwards go out
                # 2 inbound and 4 outbound (replies, forwards) callbacks, 2 emails
                assert await deliver_all(net, mailing) == 8

        run(scenario)
    main = sorted(bodies(receiver, "/main"), key=lambda b: b["sms_hash"])
    backup = sorted(bodies(receiver, "/backup"), key=lambda b: b["sms_hash"])
    assert main == backup  # each delivery tried the main URL, then the backup
    assert len(backup) == 6
    text, picture = sorted(
        (b for b in backup if b["direction"] == "inbound"), key=lambda b: b["attachment"]
    )
    assert (text["source_number"], text["destination_number"]) == (SENDER, FIRST)
    assert text["message"] and text["attachment"] == ""
    assert picture["attachment_mime_type"] == "image/png" and int(picture["attachment_size"]) > 0
    log = sms_api.json("get_sms", result_limit="100")["sms"]["sms_details"]
    out = [m for m in log if m["direction"] == "outbound"]
    replies = [m for m in out if m["destination_number"] == SENDER]
    forwards = [m for m in out if m["destination_number"] == "6135550100"]
    assert len(replies) == 2 and {m["message"] for m in replies} == {"Thanks, we will answer soon."}
    assert len(forwards) == 2 and {m["transmission_status"] for m in out} == {"completed"}
    assert any(m["message_type"] == "mms" for m in forwards)  # the picture is forwarded
    recipients = sorted(r for _, rs, _ in box.messages for r in rs)
    assert recipients == ["<anna@example.com>"] * 2
    mails = [message_from_bytes(data) for _, _, data in box.messages]
    assert {m["Subject"] for m in mails} == {f"New SMS from {SENDER}", f"New MMS from {SENDER}"}
    attached = [p for m in mails for p in m.walk() if p.get_content_disposition() == "attachment"]
    assert [p.get_content_type() for p in attached] == ["image/png"]


def test_the_did_s_own_settings_apply_without_a_profile_and_the_profile_wins_over_them(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id
    with receiving() as receiver:

        async def scenario() -> None:
            async with sandbox(open_settings, clock, account_id) as net:
                dids = did_ids(sms_api)
                own = sms_api.json(
                    "update_did",
                    client_did_id=str(dids[FIRST]),
                    preserve_missing_data="1",
                    options="enable_sms,enable_sms_callback",
                    sms_callback_url=receiver.url("/did"),
                )
                assert status(own) == "success", codes(own)
                assert await arrive(net, FIRST, "4165550001")
                made = profile(
                    sms_api,
                    mode="create",
                    options="enable_callback",
                    callback_url=receiver.url("/profile"),
                    allowed_senders="416",
                )
                linked = sms_api.json(
                    "update_did",
                    client_did_id=str(dids[FIRST]),
                    preserve_missing_data="1",
                    client_sms_profile_id=made["client_sms_profile_id"],
                )
                assert status(linked) == "success", codes(linked)
                assert await arrive(net, FIRST, "4165550002")
                assert await arrive(net, FIRST, "5145550003")  # not an allowed sender
                await net.deliver()

        run(scenario)
    assert [b["source_number"] for b in bodies(receiver, "/did")] == ["4165550001"]
    assert [b["source_number"] for b in bodies(receiver, "/profile")] == ["4165550002"]
    refused = sms_api.json("get_sms", source_number="5145550003")["sms"]["sms_details"]
    assert [m["transmission_status"] for m in refused] == ["cancelled"]


def test_the_traffic_generator_s_messages_reach_the_sandbox_dids_without_settings(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id
    did_ids_of(sms_api)  # a new user's demo lines, as `serve` makes them
    listed = sms_api.json("get_dids")["dids"]["did_details"]
    assert all("enable_sms" in d["options"].split(",") for d in listed), listed
    shown = sms_api.xml("get_dids").xpath("//did_details/options/text()")
    assert len(shown) == 2 and all("enable_sms" in str(o).split(",") for o in shown)
    config = traffic_settings(open_settings, sandbox_traffic_per_hour=360.0)

    async def scenario() -> None:
        async with sandbox(config, clock, account_id) as net:
            generator = net.owner.generator
            assert generator is not None
            generator.lines = net.lines
            generator.rng = random.Random(7)
            generator.start()
            await net.owner.scheduler.advance(3600)

    run(scenario)
    log = sms_api.json("get_sms", direction="inbound", result_limit="1000")["sms"]["sms_details"]
    assert len(log) >= 20  # a quarter of about 216 arrivals to DIDs
    assert {m["destination_number"] for m in log} == {FIRST, SECOND}
    assert {m["message_type"] for m in log} == {"sms", "mms"}
    stats = sms_api.json("get_sms_stats")["sms_stats"]["stat_details"][0]
    inbound = {
        d["message_type"]: int(d["messages"])
        for d in stats["message_types"]["message_type_details"]
    }
    assert inbound["sms_inbound"] + inbound["mms_inbound"] == len(log)


def test_sms_dnis_rewrite_is_the_number_an_inbound_message_is_delivered_as(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id
    with receiving() as receiver:

        async def scenario() -> None:
            async with sandbox(open_settings, clock, account_id) as net:
                dids = did_ids(sms_api)
                own = sms_api.json(
                    "update_did",
                    client_did_id=str(dids[FIRST]),
                    preserve_missing_data="1",
                    options="enable_sms,enable_sms_callback",
                    sms_callback_url=receiver.url("/did"),
                    sms_dnis_rewrite="6135550199",
                )
                assert status(own) == "success", codes(own)
                assert await arrive(net, FIRST, "4165550001")
                made = profile(
                    sms_api,
                    mode="create",
                    options="enable_callback",
                    callback_url=receiver.url("/profile"),
                )
                linked = sms_api.json(
                    "update_did",
                    client_did_id=str(dids[FIRST]),
                    preserve_missing_data="1",
                    client_sms_profile_id=made["client_sms_profile_id"],
                )
                assert status(linked) == "success", codes(linked)
                assert await arrive(net, FIRST, "4165550002")  # with a profile too
                assert await arrive(net, SECOND, "4165550003")  # no rewrite there
                await net.deliver()

        run(scenario)
    assert [b["destination_number"] for b in bodies(receiver, "/did")] == ["6135550199"]
    assert [b["destination_number"] for b in bodies(receiver, "/profile")] == ["6135550199"]
    rewritten = sms_api.json("get_sms", destination_number="6135550199")["sms"]["sms_details"]
    assert sorted(m["source_number"] for m in rewritten) == ["4165550001", "4165550002"]
    assert {m["client_did_id"] for m in rewritten} == {str(did_ids(sms_api)[FIRST])}
    xml = sms_api.xml("get_sms", source_number="4165550003")
    assert xml.xpath("//sms_details/destination_number/text()") == [SECOND]
