"""The durable hand-off to the network: jobs queued in a transaction, taken by the one
network owner when due, their reports written back, and a restart losing none of them."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, select

from tests.conftest import Api
from tests.receiver import receiving
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.work_support import write_transactions
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.calls.notify import CALL_TRIGGERS, set_did_notify
from xmlengine.domain.network_owner import NetworkOwner
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS
from xmlengine.network import interface as net
from xmlengine.network.clock import ScaledClock
from xmlengine.network.interface import MessageRequest, Network, NetworkEvent
from xmlengine.network.traffic import INBOUND, GeneratedCall
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import calls
from xmlengine.storage.database import Database
from xmlengine.storage.network_tables import DONE, PENDING, STARTED, network_jobs
from xmlengine.storage.owner_lock import OwnerLock
from xmlengine.work.network_jobs import Job, Progress, queue_job

KIND = "probe"


class Probe:
    """A kind of job that sends one message; what the network answered is noted here."""

    def __init__(self, *, resume: bool = True) -> None:
        self.sent: list[str] = []
        self.reports: list[tuple[str, str, bool]] = []  # (ref, event kind, had a job)
        self.interruptions: list[str] = []
        self.resume = resume

    async def send(self, job: Job, network: Network) -> None:
        self.sent.append(job.ref)
        request = MessageRequest(
            job.account_id, job.network_ref, "5145550150", str(job.payload["to"]), "ping"
        )
        await network.send_message(request)

    def report(
        self, acct: AccountScope, ref: str, job: Job | None, event: NetworkEvent
    ) -> Progress:
        self.reports.append((ref, event.kind, job is not None))
        return Progress(final=True)

    def interrupted(self, acct: AccountScope, job: Job, at: float) -> bool:
        self.interruptions.append(job.ref)
        return self.resume


def _jobs(conn: Connection) -> dict[str, tuple[str, int]]:
    c = network_jobs.c
    rows = conn.execute(select(c.ref, c.status, c.attempts).where(c.kind == KIND)).all()
    return {str(r.ref): (str(r.status), int(r.attempts)) for r in rows}


def _owner(config: Settings, db: Database, clock: ManualClock, probe: Probe) -> NetworkOwner:
    owner = NetworkOwner(db, config, network_clock=clock, outbox_clock=clock)
    owner.add_kind(KIND, probe)
    return owner


def test_a_job_is_taken_when_due_and_its_report_ends_it(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    account_id = api.credentials.client_account_id

    async def scenario() -> None:
        async with sandbox(traffic_settings(settings), clock, account_id) as box:
            probe = Probe()
            owner = _owner(box.settings, box.db, clock, probe)
            later = clock.now() + 120
            await box.for_account(lambda acct: queue_job(acct, KIND, "now", {"to": "4165550100"}))
            await box.for_account(
                lambda acct: queue_job(acct, KIND, "later", {"to": "4165550100"}, due_at=later)
            )
            assert await owner.take_due() == 1
            assert probe.sent == ["now"]
            assert await box.run(_jobs) == {"now": (STARTED, 1), "later": (PENDING, 0)}
            await owner.scheduler.advance(60)  # the message is delivered after 2 s
            assert probe.reports == [("now", net.MESSAGE_DELIVERED, True)]
            assert (await box.run(_jobs))["now"] == (DONE, 1)
            with write_transactions(box.db) as writes:
                assert await owner.take_due() == 0  # "later" is not due yet
            assert writes == []  # a poll that finds nothing reads, and writes nothing
            await owner.scheduler.advance(60)
            assert await owner.take_due() == 1
            assert probe.sent == ["now", "later"]

    run(scenario)


def test_a_new_owner_resumes_pending_and_interrupted_jobs(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    account_id = api.credentials.client_account_id

    async def scenario() -> None:
        async with sandbox(traffic_settings(settings), clock, account_id) as box:
            first = _owner(box.settings, box.db, clock, Probe())
            for ref in ("sent", "waiting"):
                await box.for_account(
                    lambda acct, ref=ref: queue_job(acct, KIND, ref, {"to": "4165550100"})
                )
            # The first owner hands one over, then stops before the network answers.
            await box.run(
                lambda conn: conn.execute(
                    network_jobs.update()
                    .where(network_jobs.c.ref == "waiting")
                    .values(due_at=clock.now() + 1)
                )
            )
            assert await first.take_due() == 1
            probe = Probe()
            second = _owner(box.settings, box.db, clock, probe)
            assert await second.take_over() == 1
            assert probe.interruptions == ["sent"]
            assert await box.run(_jobs) == {"sent": (PENDING, 1), "waiting": (PENDING, 0)}
            clock.advance(1)
            assert await second.take_due() == 2
            await second.scheduler.advance(10)
            assert sorted(probe.reports) == [
                ("sent", net.MESSAGE_DELIVERED, True),
                ("waiting", net.MESSAGE_DELIVERED, True),
            ]
            assert await box.run(_jobs) == {"sent": (DONE, 2), "waiting": (DONE, 1)}

    run(scenario)


def test_calls_in_progress_when_the_owner_stops_hang_up_with_their_record(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    account_id = api.credentials.client_account_id
    number = DEMO_NUMBERS[1]
    with receiving() as receiver:

        async def scenario() -> tuple[str, str]:
            async with sandbox(traffic_settings(settings), clock, account_id) as box:
                await box.for_account(
                    lambda acct: set_did_notify(
                        acct, number, url=receiver.url("/calls"), triggers=CALL_TRIGGERS
                    )
                )
                (line,) = [x for x in await box.lines() if x.number == number]
                talking, ringing = "5145551290", "4165550002"  # answered at 6 s; never answers
                for caller in (talking, ringing):
                    await box.owner.calls.place(GeneratedCall(line, INBOUND, caller))
                answered, unanswered = box.owner.calls.live
                await box.owner.scheduler.advance(20)  # answered 14 s ago; the other rings
                await box.owner.mark_alive()
                # The owner dies here. Its successor takes over 10 minutes later: the calls
                # end about when the first owner was last known running, not now.
                clock.advance(600)
                successor = NetworkOwner(
                    box.db, box.settings, network_clock=clock, outbox_clock=clock
                )
                assert await successor.take_over() == 2
                await box.deliver()
                return answered, unanswered

        answered, unanswered = run(scenario)
    records = {
        str(r.call_hash): r
        for r in _records(settings, account_id)
        if str(r.call_hash) in (answered, unanswered)
    }
    assert records[answered].disposition == "answered"
    assert records[unanswered].disposition == "failed"
    hangups = {
        body["call_hash"]: body
        for body in (orjson.loads(got.body) for got in receiver.at("/calls"))
        if body["trigger"] == "on_hangup"
    }
    assert hangups[answered]["disposition"] == "answered"
    # Answered 6 s in, last known running at 20 s, plus the alive interval (5 s).
    assert hangups[answered]["duration"] == str(20 - 6 + int(settings.network_alive_seconds))
    assert hangups[unanswered]["disposition"] == "failed"


def _records(settings: Settings, account_id: int) -> list[Any]:
    db = Database(settings.db_url)
    try:
        c = calls.c
        return db.run_sync(
            lambda conn: conn.execute(
                select(c.call_hash, c.disposition).where(c.account_id == account_id)
            ).all()
        )
    finally:
        db.close_sync()


def test_one_network_owner_per_data_directory_and_database(
    settings: Settings, tmp_path: Path
) -> None:
    async def scenario() -> None:
        db = Database(settings.db_url)
        try:
            first = OwnerLock(db, tmp_path / "one", "network")
            same_dir = OwnerLock(db, tmp_path / "one", "network")
            assert await first.acquire()
            assert not await same_dir.acquire()
            if not db.is_sqlite:  # another node: its own data directory, the same database
                other_node = OwnerLock(db, tmp_path / "two", "network")
                assert not await other_node.acquire()
            assert await first.still_held()
            await first.release()
            assert await same_dir.acquire()
            await same_dir.release()
        finally:
            await db.close()

    run(scenario)


def test_the_owner_runs_the_network_with_the_traffic_generator_off(
    settings: Settings, api: Api, tmp_path: Path
) -> None:
    account_id = api.credentials.client_account_id
    config = dataclasses.replace(
        settings,
        data_dir=tmp_path,
        network_owner=True,
        sandbox_traffic_per_hour=0,
        network_speed=60.0,
        network_poll_seconds=0.05,
    )

    async def scenario() -> dict[str, tuple[str, int]]:
        db = Database(config.db_url)
        probe = Probe()
        owner = NetworkOwner(
            db, config, network_clock=ScaledClock(config.network_speed), outbox_clock=ManualClock()
        )
        owner.add_kind(KIND, probe)
        assert owner.generator is None
        try:
            await db.run(lambda conn: conn.execute(network_jobs.delete()))
            await db.run(
                lambda conn: queue_job(
                    AccountScope.load(conn, account_id, clock=owner.clock, settings=config),
                    KIND,
                    "served",
                    {"to": "4165550100"},
                )
            )
            await owner.start()
            for _ in range(600):  # a look every 50 ms, for 30 s at most
                if (await db.run(_jobs)).get("served", ("", 0))[0] == DONE:
                    break
                await asyncio.sleep(0.05)
            return await db.run(_jobs)
        finally:
            await owner.stop()
            await db.close()

    assert run(scenario) == {"served": (DONE, 1)}
