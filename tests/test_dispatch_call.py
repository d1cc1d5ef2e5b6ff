"""dispatch_call: both legs placed by the sandbox network from the durable hand-off, each
decided by its magic number, logged in the history with the queued call's hash, its
metadata and its recording; the account's peers notify; a restart ends it cleanly."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from tests.call_control_support import history, queued_hash, set_global_callerid
from tests.call_support import make_subaccount
from tests.conftest import Api, codes, new_account, status
from tests.receiver import Receiver, receiving
from tests.sandbox_support import Network, run, sandbox, traffic_settings
from tests.test_isolation import MAKERS
from tests.test_peers import peers_of
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.network_owner import NetworkOwner
from xmlengine.http.app import XmlEngineApp
from xmlengine.network import interface as net_api
from xmlengine.network.interface import NetworkEvent

SOURCE = "5145550100"
DESTINATION = "4165550142"  # answers after 6 s and talks 72 s


@dataclasses.dataclass
class Setup:
    app: XmlEngineApp
    api: Api
    config: Settings
    clock: ManualClock


@pytest.fixture
def setup(settings: Settings, clock: ManualClock) -> Iterator[Setup]:
    config = traffic_settings(settings, sandbox_traffic_per_hour=0, network_alive_seconds=1.0)
    app = create_app(config, clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        api = Api(client, new_account(app))
        set_global_callerid(app, api.credentials)
        yield Setup(app, api, config, clock)


def dispatch(setup: Setup, *, until: float = 600, **params: Any) -> tuple[dict[str, Any], Network]:
    """Send dispatch_call and play it out on the network for `until` network seconds."""
    account_id = setup.api.credentials.client_account_id

    async def scenario() -> tuple[dict[str, Any], Network]:
        async with sandbox(setup.config, setup.clock, account_id) as net:
            answer = setup.api.json("dispatch_call", **params)
            if status(answer) == "success":
                assert await net.owner.take_due() == 1
                await net.owner.scheduler.advance(until)
                await net.deliver()
            return answer, net

    result: tuple[dict[str, Any], Network] = run(scenario)
    return result


def legs(**numbers: str) -> dict[str, str]:
    return {
        "sources[0][type]": "number",
        "sources[0][value]": numbers.get("source", SOURCE),
        "destinations[0][type]": "number",
        "destinations[0][value]": numbers.get("destination", DESTINATION),
    }


def test_both_legs_reach_the_history_with_the_hash_metadata_and_recording(setup: Setup) -> None:
    answer, _ = dispatch(setup, **legs(), enable_recording="1", meta_data="order=42")
    call_hash = queued_hash(answer)
    assert len(call_hash) == 32 and int(call_hash, 16) >= 0
    first, second = history(setup.api, metadata="yes")
    assert first["call_hash"] == call_hash
    assert (first["destination"], first["disposition"], first["duration"]) == (
        SOURCE,
        "answered",
        "78",  # answered at 6 s, until the destination hung up at 84 s
    )
    assert (second["destination"], second["disposition"], second["duration"]) == (
        DESTINATION,
        "answered",
        "72",
    )
    assert second["source_details"] == call_hash  # the leg it was bridged to
    assert {first["callerid_name"], second["callerid_name"]} == {"Acme Sales"}
    assert {first["callerid_number"], second["source"]} == {"5145550199"}
    assert {first["direction"], second["direction"]} == {"outbound"}
    for leg in (first, second):
        assert leg["metadata"]["raw_metadata"] == "order=42"
    (recording,) = setup.api.json("get_recordings", call_hash=call_hash)["recordings"][
        "recording_details"
    ]
    assert recording["duration"] == "72"  # the bridged conversation


def test_the_answer_in_xml_and_a_busy_source_places_no_destination(setup: Setup) -> None:
    account_id = setup.api.credentials.client_account_id

    async def scenario() -> str:
        async with sandbox(setup.config, setup.clock, account_id) as net:
            answer = setup.api.xml("dispatch_call", **legs(source="5145550001"))
            assert answer.findtext("response_details/response_status") == "success"
            message = answer.find("response_details/response_messages/message")
            assert message is not None and message.get("code") == "queued_call_hash"
            await net.owner.take_due()
            await net.owner.scheduler.advance(120)
            return str(message.text)

    call_hash = run(scenario)
    (only,) = history(setup.api)
    assert (only["call_hash"], only["disposition"], only["duration"]) == (call_hash, "busy", "0")


def test_a_destination_that_does_not_answer_within_wait_time(setup: Setup) -> None:
    dispatch(setup, **legs(destination="4165550004"), wait_time="10")  # voicemail at 20 s
    first, second = history(setup.api)
    assert (second["disposition"], second["duration"]) == ("no_answer", "0")
    assert (first["disposition"], first["duration"]) == ("answered", "11")  # 6 s to 17 s


def test_a_confirmation_a_voicemail_never_gives_is_not_an_answer(setup: Setup) -> None:
    confirm = {
        "destinations[0][confirm_required]": "1",
        "destinations[0][retries]": "1",
        "destinations[0][accept_key]": "5",
    }
    dispatch(setup, **legs(destination="4165550004"), wait_time="30", **confirm)
    first, second = history(setup.api)
    assert second["disposition"] == "no_answer"
    # Answered 6 s in; the voicemail at 26 s heard the 4 s prompt twice: 34 s.
    assert first["duration"] == "28"

    dispatch(setup, **legs(destination="4165550010"), **confirm)  # a person accepts
    *_, bridged = history(setup.api)
    assert (bridged["destination"], bridged["disposition"]) == ("4165550010", "answered")


def test_a_person_who_presses_the_reject_key_ends_the_call(setup: Setup) -> None:
    confirm = {"destinations[0][confirm_required]": "1", "destinations[0][reject_key]": "9"}
    dispatch(setup, **legs(destination="4165550007"), **confirm)
    first, second = history(setup.api)
    assert (second["destination"], second["disposition"]) == ("4165550007", "no_answer")
    # Answered 6 s in, bridged to nobody: the source hangs up after the 4 s prompt.
    assert (first["disposition"], first["duration"]) == ("answered", "10")

    # A source that rejects places no destination.
    rejecting = {"sources[0][confirm_required]": "1"}
    dispatch(setup, **legs(source="5145550007"), **rejecting)
    *_, source_only = history(setup.api)
    assert (source_only["destination"], source_only["disposition"]) == ("5145550007", "no_answer")
    assert len(history(setup.api)) == 3


def test_an_accept_key_equal_to_the_reject_key_is_refused(setup: Setup) -> None:
    same = {"destinations[0][accept_key]": "2"}  # the default reject key
    assert codes(setup.api.json("dispatch_call", **legs(), **same)) == ["reject_key_invalid"]
    both = {"sources[0][accept_key]": "7", "sources[0][reject_key]": "7"}
    assert codes(setup.api.xml("dispatch_call", **legs(), **both)) == ["reject_key_invalid"]
    differ = {"sources[0][accept_key]": "2", "sources[0][reject_key]": "1"}
    answer, _ = dispatch(setup, **legs(), **differ)
    assert status(answer) == "success", codes(answer)


def test_the_deprecated_single_fields_and_the_request_caller_id(setup: Setup) -> None:
    answer, _ = dispatch(
        setup,
        source_type="number",
        source="+1 (514) 555-0100",
        destination_type="uri",
        destination="100@pbx.example.com",
        callerid_name="Front Desk",
        callerid_number="4385550123",
    )
    assert status(answer) == "success", codes(answer)
    first, second = history(setup.api)
    assert (first["destination"], first["callerid_name"]) == ("1" + SOURCE, "Front Desk")
    assert (second["destination"], second["destination_type"]) == ("100@pbx.example.com", "uri")
    assert second["callerid_number"] == "4385550123"


def test_sources_win_over_the_deprecated_fields(setup: Setup) -> None:
    answer, _ = dispatch(setup, **legs(), source_type="number", source="5145550111")
    assert status(answer) == "success", codes(answer)
    assert history(setup.api)[0]["destination"] == SOURCE


def test_errors_of_the_guide(setup: Setup, settings: Settings, clock: ManualClock) -> None:
    api = setup.api
    assert codes(api.json("dispatch_call")) == ["source_required", "destination_required"]
    refused = {
        "sources[0][type]": "fax",
        "sources[0][value]": "5145550100",
        "destinations[0][type]": "peer",
        "destinations[0][value]": "nobody_here",
        "wait_time": "61",
        "enable_recording": "2",
        "destinations[0][retries]": "11",
    }
    assert set(codes(api.json("dispatch_call", **refused))) == {
        "source_type_invalid",
        "wait_time_invalid",
        "enable_recording_invalid",
        "max_retries_invalid",
    }
    nobody = {"destinations[0][type]": "peer", "destinations[0][value]": "nobody_here"}
    unknown_peer = api.json("dispatch_call", **{**legs(), **nobody})
    assert codes(unknown_peer) == ["destination_invalid"]
    # A media file the account does not have: the record's code (one per parameter).
    media = api.json("dispatch_call", **legs(), **{"sources[0][announce_media_id]": "999999"})
    assert codes(media) == ["source_invalid"]

    bare = create_app(setup.config, clock)
    with TestClient(bare, base_url="http://api.example.test") as client:
        newcomer = Api(client, new_account(bare))  # no global caller ID
        answer = newcomer.json("dispatch_call", **legs())
        assert codes(answer) == [
            "global_callerid_name_undefined",
            "global_callerid_infos_undefined",
        ]
        named = newcomer.json("dispatch_call", **legs(), callerid_name="Front Desk")
        assert codes(named) == ["global_callerid_infos_undefined"]
        assert newcomer.json("get_calls", latest_hours="24")["calls"]["call_details"] == []


def _peer_notifying(setup: Setup, receiver: Receiver) -> dict[str, Any]:
    MAKERS["peer"](setup.app, setup.api)  # the account's sandbox peer
    (peer,) = peers_of(setup.api.json("get_peers"))
    from tests.test_peers import UPDATE

    answer = setup.api.json(
        "update_peer",
        **UPDATE,
        client_peer_id=peer["client_peer_id"],
        enable_notify_callback="1",
        notify_callback_url=receiver.url("/peer"),
        notify_callback_triggers="on_create,on_ring,on_answer,on_hangup,on_record",
    )
    assert status(answer) == "success", codes(answer)
    return peer


def test_a_leg_on_a_peer_of_the_account_notifies_as_the_peer_does(setup: Setup) -> None:
    with receiving() as receiver:
        peer = _peer_notifying(setup, receiver)
        peer_leg = {"sources[0][type]": "peer", "sources[0][value]": peer["peer_username"]}
        answer, _ = dispatch(setup, **{**legs(), **peer_leg}, enable_recording="1")
        call_hash = queued_hash(answer)
    got = receiver.at("/peer")[1:]  # after on_test; in the order of the call's events
    got.sort(key=lambda r: int(r.headers["x-xmlengine-sequence"]))
    hits = [orjson.loads(r.body) for r in got]
    assert [h["trigger"] for h in hits] == [
        "on_create",
        "on_ring",
        "on_answer",
        "on_hangup",
        "on_record",
    ]
    assert {h["call_hash"] for h in hits} == {call_hash}
    assert all(isinstance(value, str) for h in hits for value in h.values())
    assert hits[3]["disposition"] == "answered" and hits[3]["client_peer_id"] == str(
        peer["client_peer_id"]
    )
    assert all(r.headers["x-xmlengine-signature"].startswith("v1=") for r in got)
    first, _ = history(setup.api)
    assert first["client_peer_id"] == str(peer["client_peer_id"])


def test_a_restart_mid_call_ends_both_legs_and_drops_a_short_recording(setup: Setup) -> None:
    account_id = setup.api.credentials.client_account_id

    async def scenario() -> str:
        async with sandbox(setup.config, setup.clock, account_id) as net:
            answer = setup.api.json("dispatch_call", **legs(), enable_recording="1")
            assert await net.owner.take_due() == 1
            await net.owner.scheduler.advance(12.5)  # the destination answered at 12 s
            successor = NetworkOwner(
                net.db, setup.config, network_clock=setup.clock, outbox_clock=setup.clock
            )
            setup.clock.advance(600)  # the server was down for ten minutes
            assert await successor.take_over() == 1
            return queued_hash(answer)

    call_hash = run(scenario)
    first, second = history(setup.api)
    assert first["call_hash"] == call_hash
    # Last known running when the destination answered (12 s), plus 1 s alive interval.
    assert (first["disposition"], first["duration"]) == ("answered", "7")
    assert (second["disposition"], second["duration"]) == ("answered", "1")
    recordings = setup.api.json("get_recordings", call_hash=call_hash)["recordings"]
    assert recordings["recording_details"] == []  # 1 s: deleted at once


def test_a_restart_before_the_network_reported_fails_the_sources_leg(setup: Setup) -> None:
    account_id = setup.api.credentials.client_account_id

    async def scenario() -> str:
        async with sandbox(setup.config, setup.clock, account_id) as net:
            answer = setup.api.json("dispatch_call", **legs())
            assert await net.owner.take_due() == 1  # handed over; then the server stopped
            successor = NetworkOwner(
                net.db, setup.config, network_clock=setup.clock, outbox_clock=setup.clock
            )
            assert await successor.take_over() == 1
            return queued_hash(answer)

    call_hash = run(scenario)
    (only,) = history(setup.api)
    assert (only["call_hash"], only["disposition"], only["destination"]) == (
        call_hash,
        "failed",
        SOURCE,
    )


def test_the_endpoints_of_a_side_ring_together_and_the_first_to_answer_takes_it(
    setup: Setup,
) -> None:
    both = {
        **legs(source="5145550001"),  # busy
        "sources[1][type]": "number",
        "sources[1][value]": "5145550100",
        "sources[1][callerid_name]": "Second Line",
        "sources[1][send_dtmf]": "12w",  # 2.5 s before the destination is dialed
    }
    answer, _ = dispatch(setup, **both)
    first, second = history(setup.api)
    assert first["call_hash"] == queued_hash(answer)
    assert (first["destination"], first["callerid_name"]) == ("5145550100", "Second Line")
    # Answered at 6 s; the destination dialed at 8.5 s answers at 14.5 s and talks 72 s.
    assert (first["duration"], second["duration"]) == ("80", "72")


def test_the_legs_belong_to_the_requests_subaccount(setup: Setup) -> None:
    shop = make_subaccount(setup.api)
    answer, _ = dispatch(setup, **legs(), client_subaccount_id=shop)
    assert status(answer) == "success", codes(answer)
    assert {leg["client_subaccount_id"] for leg in history(setup.api)} == {shop}
    other = dispatch(setup, **legs(), client_subaccount_id="999999")[0]
    assert codes(other) == ["client_subaccount_id_invalid"]


def test_a_source_hanging_up_first_ends_the_destination_with_it(setup: Setup) -> None:
    """A carrier may report the sources' hangup before the destinations' one."""
    account_id = setup.api.credentials.client_account_id

    async def scenario() -> None:
        async with sandbox(setup.config, setup.clock, account_id) as net:
            call_hash = queued_hash(setup.api.json("dispatch_call", **legs()))
            assert await net.owner.take_due() == 1  # the sandbox's own events are not played
            now = setup.clock.now()
            ref = f"dispatch:{call_hash}"
            for offset, kind, side in (
                (6, net_api.CALL_ANSWERED, "source"),
                (12, net_api.CALL_ANSWERED, "destination"),
                (40, net_api.CALL_HANGUP, "source"),
            ):
                data = {"side": side, "endpoint": 0, "dialed_at": now, "disposition": "ANSWERED"}
                data["billsec"] = 34
                await net.owner.report(NetworkEvent(kind, ref, account_id, now + offset, data))

    run(scenario)
    first, second = history(setup.api)
    assert (first["disposition"], first["duration"]) == ("answered", "34")
    assert (second["disposition"], second["duration"]) == ("answered", "28")  # 12 s to 40 s
