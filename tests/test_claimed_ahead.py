"""Events a worker claims ahead of a free slot: started in claim order, each once, given
back when the worker stops, and never kept waiting past half their lease."""

from __future__ import annotations

import asyncio
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select

from tests.work_support import Harness, harness
from xmlengine.storage.work_tables import DONE, PENDING, outbox
from xmlengine.work import outbox as queue
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, Outcome
from xmlengine.work.worker import Worker

WAIT = 10.0  # a safety net against a hang, not a measurement
LEASE = 60.0


async def _queue(h: Harness, count: int) -> list[int]:
    now = h.clock.now()
    return await h.db.run(
        lambda conn: [queue.enqueue(conn, "note", {"n": n}, now=now) for n in range(count)]
    )


def _leases(conn: Connection, ids: list[int]) -> dict[int, tuple[str, int, str | None, float]]:
    """Each event's status, attempts, lease owner and lease end (0: none)."""
    c = outbox.c
    rows = conn.execute(
        select(c.event_id, c.status, c.attempts, c.lease_owner, c.lease_until).where(
            c.event_id.in_(ids)
        )
    ).all()
    return {r.event_id: (r.status, r.attempts, r.lease_owner, r.lease_until or 0.0) for r in rows}


class Gate:
    """A handler of `note` events that holds the first `held` of them until opened."""

    def __init__(self, held: int) -> None:
        self.held = held
        self.handled: list[int] = []
        self.holding = asyncio.Event()  # the held ones are all in their handler
        self.open = asyncio.Event()

    async def __call__(self, event: Event) -> Outcome:
        self.handled.append(event.event_id)
        if len(self.handled) <= self.held:
            if len(self.handled) == self.held:
                self.holding.set()
            await self.open.wait()
        return Done()


def test_events_claimed_ahead_are_handled_once_each_in_claim_order(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            ids = await _queue(h, 30)
            gate = Gate(held=1)
            worker = Worker(h.db, {"note": gate}, h.clock, concurrency=1, lease_seconds=LEASE)
            draining = asyncio.create_task(worker.drain())
            await asyncio.wait_for(gate.holding.wait(), WAIT)
            # One slot, busy: the worker holds more than it runs, leased to it.
            leases = await h.db.run(lambda conn: _leases(conn, ids))
            assert sum(owner == worker.name for _, _, owner, _ in leases.values()) > 1
            gate.open.set()
            assert await asyncio.wait_for(draining, WAIT) == 30
            assert gate.handled == ids  # one slot: the order they were queued in
            leases = await h.db.run(lambda conn: _leases(conn, ids))
            assert set(leases.values()) == {(DONE, 1, None, 0.0)}

    asyncio.run(scenario())


def test_a_stopped_worker_gives_back_what_it_claimed_ahead(
    database_url: str, tmp_path: Path
) -> None:
    """The events in flight finish; the ones waiting for a slot are claimable at once,
    untried, by another worker, long before their lease would have run out."""

    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            ids = await _queue(h, 12)
            gate = Gate(held=2)
            stop = asyncio.Event()
            worker = Worker(h.db, {"note": gate}, h.clock, concurrency=2, lease_seconds=LEASE)
            running = asyncio.create_task(worker.run(stop))
            await asyncio.wait_for(gate.holding.wait(), WAIT)
            stop.set()
            gate.open.set()
            await asyncio.wait_for(running, WAIT)
            first = gate.handled[:]
            assert len(first) == 2
            leases = await h.db.run(lambda conn: _leases(conn, ids))
            assert {leases[i] for i in first} == {(DONE, 1, None, 0.0)}
            assert {leases[i] for i in ids if i not in first} == {(PENDING, 0, None, 0.0)}

            rest = Gate(held=0)
            assert await Worker(h.db, {"note": rest}, h.clock).drain() == 10  # clock unmoved
            assert Counter(first + rest.handled) == Counter(ids)

    asyncio.run(scenario())


def test_what_a_crashed_worker_claimed_ahead_comes_back_when_its_lease_runs_out(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            ids = await _queue(h, 12)
            gate = Gate(held=2)
            doomed = Worker(h.db, {"note": gate}, h.clock, concurrency=2, lease_seconds=LEASE)
            running = asyncio.create_task(doomed.run())
            await asyncio.wait_for(gate.holding.wait(), WAIT)
            running.cancel()  # a crash: nothing is given back
            with pytest.raises(asyncio.CancelledError):
                await running
            leases = await h.db.run(lambda conn: _leases(conn, ids))
            ahead = [i for i in ids if i not in gate.handled and leases[i][2] == doomed.name]
            assert ahead and all(leases[i][:2] == (PENDING, 0) for i in ahead)

            survivor = Gate(held=0)
            worker = Worker(h.db, {"note": survivor}, h.clock, lease_seconds=LEASE)
            handled_before = await worker.drain()
            assert not set(survivor.handled) & {*ahead, *gate.handled}  # still leased
            h.clock.advance(LEASE + 1)
            assert await worker.drain() + handled_before == 12
            assert sorted(survivor.handled) == ids  # the two in flight again: at least once
            leases = await h.db.run(lambda conn: _leases(conn, ids))
            assert {leases[i][0] for i in ids} == {DONE}

    asyncio.run(scenario())


def test_an_event_kept_waiting_past_half_its_lease_is_claimed_again_before_it_starts(
    database_url: str, tmp_path: Path
) -> None:
    """One slot, held while the clock passes half the lease: the event waiting for it is
    given back and claimed afresh, so its handler starts with a whole lease."""

    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            first, second = await _queue(h, 2)
            gate = Gate(held=1)
            leases_seen: list[float] = []

            async def note(event: Event) -> Outcome:
                if event.event_id == second:
                    lease = await h.db.run(lambda conn: _leases(conn, [second])[second])
                    leases_seen.append(lease[3] - h.clock.now())
                return await gate(event)

            worker = Worker(h.db, {"note": note}, h.clock, concurrency=1, lease_seconds=LEASE)
            draining = asyncio.create_task(worker.drain())
            await asyncio.wait_for(gate.holding.wait(), WAIT)
            waiting = await h.db.run(lambda conn: _leases(conn, [second])[second])
            assert waiting[2] == worker.name  # claimed ahead of the slot
            h.clock.advance(LEASE / 2 + 1)
            gate.open.set()
            assert await asyncio.wait_for(draining, WAIT) == 2
            assert gate.handled == [first, second]
            assert leases_seen == [LEASE]

    asyncio.run(scenario())


def test_claims_share_the_transactions_of_the_outcomes_being_recorded(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            ids = await _queue(h, 60)
            transactions: Counter[str] = Counter()
            run = h.db.run

            async def counted(work: Any) -> Any:
                shares = isinstance(work, partial) and bool(work.keywords.get("claims"))
                transactions["shared" if shares else "alone"] += 1
                return await run(work)

            h.db.run = counted  # type: ignore[method-assign]
            gate = Gate(held=0)
            try:
                worker = Worker(h.db, {"note": gate}, h.clock, concurrency=2)
                assert await asyncio.wait_for(worker.drain(), WAIT) == 60
            finally:
                h.db.run = run  # type: ignore[method-assign]
            assert sorted(gate.handled) == ids
            assert transactions["shared"] > 0
            leases = await h.db.run(lambda conn: _leases(conn, ids))
            assert set(leases.values()) == {(DONE, 1, None, 0.0)}

    asyncio.run(scenario())


def test_a_claim_waiting_on_a_failed_batch_runs_alone(database_url: str, tmp_path: Path) -> None:
    """The batch's bad record fails its own event only; the claim still leases its events."""

    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            ids = await _queue(h, 4)
            worker = Worker(h.db, {}, h.clock, lease_seconds=LEASE)
            bad, good = await worker.claim(2)

            def broken(conn: Connection) -> None:
                raise RuntimeError("a bad record")

            # In this order, before the recorder's task first runs: one batch, one claim.
            failed, recorded, claimed = await asyncio.gather(
                worker.recorder.record(bad, Done(record=broken)),
                worker.recorder.record(good, Done()),
                worker.recorder.along(worker.claiming(10)),
                return_exceptions=True,
            )
            assert isinstance(failed, RuntimeError) and recorded is None
            assert isinstance(claimed, list)
            assert [e.event_id for e in claimed] == ids[2:]
            leases = await h.db.run(lambda conn: _leases(conn, ids))
            assert leases[bad.event_id][:3] == (PENDING, 0, worker.name)  # its lease runs out
            assert leases[good.event_id] == (DONE, 1, None, 0.0)
            assert all(leases[i][2] == worker.name for i in ids[2:])

    asyncio.run(scenario())
