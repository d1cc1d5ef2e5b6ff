"""Generated calls on the sandbox network: their webhooks at a real receiver, their history,
recordings and voicemails, the generator's rate, and the server running it on its own."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from tests.conftest import Api, codes, status
from tests.receiver import receiving
from tests.sandbox_support import run, sandbox, switch_off, traffic_settings
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.calls.notify import CALL_TRIGGERS, set_did_notify
from xmlengine.domain.network_owner import NetworkOwner
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS, ensure_sandbox_lines
from xmlengine.network.clock import ScaledClock
from xmlengine.network.traffic import INBOUND, OUTBOUND, GeneratedCall, Line
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import calls
from xmlengine.storage.database import Database
from xmlengine.storage.peer_tables import peers
from xmlengine.work import signing
from xmlengine.work.webhooks import H_OCCURRED_AT, H_SEQUENCE, H_SIGNATURE, H_TIMESTAMP

RECORDED, PLAIN = DEMO_NUMBERS  # the first sandbox DID records its answered calls


def _line(lines: list[Line], number: str) -> Line:
    (line,) = [x for x in lines if x.kind == "did" and x.number == number]
    return line


def _calls(api: Api) -> dict[str, dict[str, Any]]:
    answer = api.json("get_calls", latest_hours="2", result_limit="1000")
    assert status(answer) == "success", codes(answer)
    return {item["call_hash"]: item for item in answer["calls"]["call_details"]}


def _h(got: Any, name: str) -> str:
    return str(got.headers[name.lower()])


def test_an_inbound_call_notifies_each_step_in_order_and_lands_in_the_history(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    config = traffic_settings(settings)
    account_id = api.credentials.client_account_id
    with receiving() as receiver:

        async def scenario() -> tuple[str, list[tuple[str, int]]]:
            async with sandbox(config, clock, account_id) as net:
                await net.for_account(
                    lambda acct: set_did_notify(
                        acct,
                        RECORDED,
                        url=receiver.url("/calls?k=1"),
                        triggers=CALL_TRIGGERS,
                    )
                )
                line = _line(await net.lines(), RECORDED)
                call = GeneratedCall(line, INBOUND, "5145551220")  # talks 50 s
                await net.owner.calls.place(call)
                (call_hash,) = net.owner.calls.live
                steps = []
                # Each network step, then the worker: the receiver sees them as they happen.
                for seconds in (0.0, 1.0, 5.0, 50.0):
                    await net.owner.scheduler.advance(seconds)
                    steps.append((call_hash, await net.deliver()))
                secret = await net.run(
                    lambda conn: signing.secret_of(conn, account_id, now=clock.now())
                )
                return secret, steps

        secret, steps = run(scenario)
    assert [delivered for _, delivered in steps] == [1, 1, 1, 2]  # hangup, then on_record
    call_hash = steps[0][0]
    # Events due together (on_hangup, on_record) are delivered concurrently and may arrive
    # in either order: the sequence number is what receivers order them by.
    got = sorted(receiver.at("/calls"), key=lambda g: int(_h(g, H_SEQUENCE)))
    bodies = [orjson.loads(g.body) for g in got]
    assert [b["trigger"] for b in bodies] == [
        "on_create",
        "on_ring",
        "on_answer",
        "on_hangup",
        "on_record",
    ]
    assert [int(_h(g, H_SEQUENCE)) for g in got] == [1, 2, 3, 4, 5]
    occurred = [float(_h(g, H_OCCURRED_AT)) for g in got]
    assert occurred == sorted(occurred) and occurred[-1] - occurred[0] == pytest.approx(56.0)
    for g in got:
        assert g.query == {"k": "1"}
        assert signing.verify(
            secret,
            int(_h(g, H_TIMESTAMP)),
            _h(g, "X-XmlEngine-Delivery"),
            g.body,
            _h(g, H_SIGNATURE),
        )
    for body in bodies:
        assert body["call_hash"] == call_hash
        assert (body["source_number"], body["destination_number"]) == ("5145551220", RECORDED)
        assert body["did_number"] == RECORDED and body["client_did_id"].isdigit()
        assert body["client_peer_id"] == "" and body["client_subaccount_id"] == ""
        assert all(isinstance(value, str) for value in body.values())  # WIRE.md
        assert body["datetime_create"]
    hangup = bodies[3]
    assert (hangup["disposition"], hangup["duration"]) == ("answered", "50")
    assert hangup["datetime_ring"] and hangup["datetime_answer"] and hangup["datetime_hangup"]
    assert bodies[4]["recording_hash"] and bodies[4]["duration"] == "50"

    item = _calls(api)[call_hash]
    assert (item["direction"], item["disposition"], item["duration"]) == (
        "inbound",
        "answered",
        "50",
    )
    assert item["source"] == "5145551220" and item["destination"] == RECORDED
    xml = api.xml("get_calls", latest_hours="2")
    assert call_hash in [e.text for e in xml.iter("call_hash")]
    recordings = api.json("get_recordings", call_hash=call_hash)
    (recording,) = recordings["recordings"]["recording_details"]
    assert recording["recording_hash"] == bodies[4]["recording_hash"]


@pytest.mark.parametrize(
    ("caller", "disposition", "voicemail"),
    [
        ("5145550001", "busy", False),
        ("5145550002", "no_answer", False),
        ("5145550003", "failed", False),
        ("5145550004", "answered", True),
    ],
)
def test_magic_callers_choose_the_outcome(
    settings: Settings,
    clock: ManualClock,
    api: Api,
    caller: str,
    disposition: str,
    voicemail: bool,
) -> None:
    account_id = api.credentials.client_account_id

    async def scenario() -> str:
        async with sandbox(traffic_settings(settings), clock, account_id) as net:
            line = _line(await net.lines(), PLAIN)
            await net.owner.calls.place(GeneratedCall(line, INBOUND, caller))
            (call_hash,) = net.owner.calls.live
            await net.owner.scheduler.advance(600)
            assert net.owner.calls.live == {}
            return call_hash

    call_hash = run(scenario)
    item = _calls(api)[call_hash]
    assert item["disposition"] == disposition
    assert item["duration"] == ("34" if voicemail else "0")  # 30 s plus the caller's 04
    messages = api.json("get_voicemails")
    found = [v for v in messages["voicemails"]["voicemail_details"] if v["call_hash"] == call_hash]
    assert len(found) == int(voicemail)
    if voicemail:
        assert (found[0]["callerid_number"], found[0]["destination"]) == (caller, PLAIN)
    # No recording: the second DID does not record, and only answered calls would.
    assert api.json("get_recordings", call_hash=call_hash)["recordings"]["recording_details"] == []


def test_a_peer_call_out_notifies_from_its_creation(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    account_id = api.credentials.client_account_id
    with receiving() as receiver:

        async def scenario() -> str:
            async with sandbox(traffic_settings(settings), clock, account_id) as net:
                await net.run(
                    lambda conn: conn.execute(
                        peers.update()
                        .where(peers.c.account_id == account_id)
                        .values(
                            enable_notify_callback=True,
                            notify_callback_url=receiver.url("/peer"),
                            notify_callback_triggers="on_create,on_hangup",
                        )
                    )
                )
                (peer,) = [x for x in await net.lines() if x.kind == "peer"]
                await net.owner.calls.place(GeneratedCall(peer, OUTBOUND, "4165550001"))
                (call_hash,) = net.owner.calls.live
                assert await net.deliver() == 1  # on_create, written when the call is placed
                await net.owner.scheduler.advance(60)
                assert await net.deliver() == 1
                return call_hash

        call_hash = run(scenario)
    bodies = [orjson.loads(g.body) for g in receiver.at("/peer")]
    assert [b["trigger"] for b in bodies] == ["on_create", "on_hangup"]
    assert bodies[1]["disposition"] == "busy" and bodies[1]["client_peer_id"].isdigit()
    assert bodies[1]["client_did_id"] == "" and bodies[1]["duration"] == "0"
    item = _calls(api)[call_hash]
    assert (item["direction"], item["destination"], item["disposition"]) == (
        "outbound",
        "4165550001",
        "busy",
    )


def test_the_generator_makes_calls_both_ways_at_its_rate(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    account_id = api.credentials.client_account_id
    config = traffic_settings(settings, sandbox_traffic_per_hour=360.0)

    async def scenario() -> None:
        async with sandbox(config, clock, account_id) as net:
            mine = await net.lines()
            traffic = net.owner
            assert traffic.generator is not None
            traffic.generator.lines = net.lines  # only this account's lines
            traffic.generator.start()
            await traffic.scheduler.advance(3600)
            assert {x.kind for x in mine} == {"did", "peer"}

    run(scenario)
    history = list(_calls(api).values())
    answer = api.json("get_sms", direction="inbound", result_limit="1000")
    messages = answer["sms"]["sms_details"]  # a quarter of the arrivals at a DID taking SMS
    # 360 arrivals an hour: a Poisson count (mean 360, deviation 19) outside 270..450 is all
    # but impossible; a few calls are still in progress at the end.
    assert 270 <= len(history) + len(messages) <= 450
    assert len(messages) > 0
    assert {c["direction"] for c in history} == {"inbound", "outbound"}
    assert {"answered", "busy", "no_answer", "failed"} <= {c["disposition"] for c in history}


def test_the_server_runs_the_generator_on_network_time(
    settings: Settings, api: Api, tmp_path: Any
) -> None:
    account_id = api.credentials.client_account_id
    config = dataclasses.replace(
        settings,
        sandbox_traffic_per_hour=60.0,
        network_speed=600.0,
        data_dir=tmp_path,
        network_owner=True,
    )

    async def count(db: Database) -> int:
        return int(
            await db.run(
                lambda conn: conn.execute(
                    select(func.count()).where(calls.c.account_id == account_id)
                ).scalar_one()
            )
        )

    async def scenario() -> int:
        db = Database(config.db_url)
        await db.run(
            lambda conn: ensure_sandbox_lines(
                AccountScope.load(conn, account_id, clock=ManualClock(), settings=config),
                now=time.time(),
            )
        )
        traffic = NetworkOwner(
            db, config, network_clock=ScaledClock(config.network_speed), outbox_clock=ManualClock()
        )
        assert traffic.generator is not None
        traffic.generator.lines = lambda: _own(traffic, account_id)
        await traffic.start()
        try:
            deadline = time.monotonic() + 30.0
            while await count(db) < 3 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)  # a look every 50 ms; the deadline bounds it
            return await count(db)
        finally:
            await traffic.stop()
            await db.run(lambda conn: switch_off(conn, account_id))
            await db.close()

    assert run(scenario) >= 3


async def _own(traffic: NetworkOwner, account_id: int) -> list[Line]:
    return [line for line in await traffic.lines() if line.account_id == account_id]


async def asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)
