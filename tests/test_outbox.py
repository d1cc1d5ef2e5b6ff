"""The outbox: written with the change, claimed under a lease, never lost by a dying worker."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select

from tests.receiver import receiving
from tests.work_support import harness, write_transactions
from xmlengine.storage.prepared import inserting
from xmlengine.storage.work_tables import DONE, FAILED, PENDING, outbox
from xmlengine.work import outbox as queue
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, GiveUp, Outcome, Retry, Rows, backoff
from xmlengine.work.recorder import write
from xmlengine.work.webhooks import DELIVERED, H_DELIVERY, enqueue_webhook
from xmlengine.work.worker import Worker


class Rollback(Exception):
    pass


def _status(conn: Connection, event_id: int) -> tuple[str, int]:
    row = conn.execute(
        select(outbox.c.status, outbox.c.attempts).where(outbox.c.event_id == event_id)
    ).one()
    return row.status, row.attempts


def test_an_event_exists_only_if_its_transaction_commits(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            now = h.clock.now()

            def rolled_back(conn: Connection) -> None:
                queue.enqueue(conn, "note", {"n": 1}, now=now)
                raise Rollback

            with pytest.raises(Rollback):
                await h.db.run(rolled_back)
            kept = await h.db.run(lambda conn: queue.enqueue(conn, "note", {"n": 2}, now=now))
            seen: list[Event] = []

            async def note(event: Event) -> Outcome:
                seen.append(event)
                return Done()

            assert await Worker(h.db, {"note": note}, h.clock).drain() == 1
            assert [(e.event_id, e.payload) for e in seen] == [(kept, {"n": 2})]
            assert await h.db.run(lambda conn: _status(conn, kept)) == (DONE, 1)

    asyncio.run(scenario())


def test_a_lease_keeps_other_claimers_off_until_it_runs_out(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            await h.db.run(lambda conn: queue.enqueue(conn, "note", {}, now=h.clock.now()))
            first = Worker(h.db, {}, h.clock, lease_seconds=60)
            second = Worker(h.db, {}, h.clock, lease_seconds=60)
            assert len(await first.claim(10)) == 1
            assert await second.claim(10) == []
            h.clock.advance(59)
            assert await second.claim(10) == []
            h.clock.advance(2)
            assert [e.lease_owner for e in await second.claim(10)] == [second.name]

    asyncio.run(scenario())


def test_concurrent_claimers_never_share_an_event(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            ids = await h.db.run(
                lambda conn: [queue.enqueue(conn, "note", {}, now=h.clock.now()) for _ in range(40)]
            )
            workers = [Worker(h.db, {}, h.clock) for _ in range(8)]
            claims = await asyncio.gather(*(w.claim(7) for w in workers))
            claimed = [e.event_id for batch in claims for e in batch]
            assert len(claimed) == len(set(claimed)) == 40
            assert set(claimed) == set(ids)

    asyncio.run(scenario())


def test_an_idle_outbox_is_polled_with_reads(database_url: str, tmp_path: Path) -> None:
    """After a claim that found nothing, each poll reads first: no write transaction until
    an event is due, which the next poll then claims."""

    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            seen: list[Event] = []
            done = asyncio.Event()

            async def note(event: Event) -> Outcome:
                seen.append(event)
                done.set()
                return Done()

            worker = Worker(h.db, {"note": note}, h.clock, poll_seconds=0.01)
            stop = asyncio.Event()
            with write_transactions(h.db) as writes:
                pumping = asyncio.create_task(worker.run(stop))
                try:
                    await asyncio.sleep(0.3)  # some thirty polls of an empty outbox
                    assert len(writes) <= 1  # the first claim only, once it has run
                    enqueued = len(writes) + 1
                    kept = await h.db.run(
                        lambda conn: queue.enqueue(conn, "note", {}, now=h.clock.now())
                    )
                    await asyncio.wait_for(done.wait(), 5)
                    assert len(writes) > enqueued  # claimed once it was due
                finally:
                    stop.set()
                    await pumping
            assert [e.event_id for e in seen] == [kept]
            assert await h.db.run(lambda conn: _status(conn, kept)) == (DONE, 1)

    asyncio.run(scenario())


def test_outcomes_retry_later_and_give_up(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            now = h.clock.now()
            retried = await h.db.run(lambda conn: queue.enqueue(conn, "flaky", {}, now=now))
            unknown = await h.db.run(lambda conn: queue.enqueue(conn, "nobody", {}, now=now))

            async def flaky(event: Event) -> Outcome:
                if event.attempts == 0:
                    return Retry(h.clock.now() + 30, "not yet")
                return GiveUp("still not")

            worker = Worker(h.db, {"flaky": flaky}, h.clock)
            assert await worker.drain() == 2
            assert await h.db.run(lambda conn: _status(conn, retried)) == (PENDING, 1)
            assert await h.db.run(lambda conn: _status(conn, unknown)) == (FAILED, 1)
            assert await worker.drain() == 0  # not due yet
            h.clock.advance(31)
            assert await worker.drain() == 1
            assert await h.db.run(lambda conn: _status(conn, retried)) == (FAILED, 2)

    asyncio.run(scenario())


_NOTE = inserting(outbox, ("kind", "payload", "available_at", "created_at"))


def test_a_batch_of_mixed_outcomes_lands_as_each_would_alone(
    database_url: str, tmp_path: Path
) -> None:
    """Each kind of write is one statement for the batch: every event still gets its own
    outcome's values, and one whose lease was taken meanwhile is left as it is."""

    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            now = h.clock.now()
            for n in range(5):
                await h.db.run(lambda conn, n=n: queue.enqueue(conn, "note", {"n": n}, now=now))
            worker = Worker(h.db, {}, h.clock, lease_seconds=60)
            done, retried, given_up, noted, lost = await worker.claim(5)
            await h.db.run(
                lambda conn: conn.execute(
                    outbox.update()
                    .where(outbox.c.event_id == lost.event_id)
                    .values(lease_owner="another", attempts=3)
                )
            )
            note = {"kind": "noted", "payload": "{}", "available_at": now, "created_at": now}
            outcomes: list[tuple[Event, Outcome]] = [
                (done, Done()),
                (retried, Retry(now + 30, "not yet")),
                (given_up, GiveUp("x" * 300)),
                (noted, Done(record=Rows(((_NOTE, [note]),)))),
                (lost, Done()),
            ]
            await h.db.run(lambda conn: write(conn, outcomes, now + 1))

            def stored(conn: Connection) -> dict[int, tuple[Any, ...]]:
                c = outbox.c
                columns = (c.kind, c.status, c.attempts, c.lease_owner, c.lease_until)
                more = (c.available_at, c.finished_at, c.last_error)
                rows = conn.execute(select(c.event_id, *columns, *more)).all()
                return {row[0]: tuple(row[1:]) for row in rows}

            rows = await h.db.run(stored)
            assert rows.pop(done.event_id) == ("note", DONE, 1, None, None, now, now + 1, "")
            assert rows.pop(retried.event_id) == (
                "note",
                PENDING,
                1,
                None,
                None,
                now + 30,
                None,
                "not yet",
            )
            assert rows.pop(given_up.event_id) == (
                "note",
                FAILED,
                1,
                None,
                None,
                now,
                now + 1,
                "x" * 255,
            )
            assert rows.pop(noted.event_id) == ("note", DONE, 1, None, None, now, now + 1, "")
            assert rows.pop(lost.event_id) == (
                "note",
                PENDING,
                3,
                "another",
                now + 60,
                now,
                None,
                "",
            )
            assert list(rows.values()) == [("noted", PENDING, 0, None, None, now, None, "")]

    asyncio.run(scenario())


def test_a_handler_that_raises_is_retried(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            event_id = await h.db.run(lambda conn: queue.enqueue(conn, "boom", {}, now=0))

            async def boom(event: Event) -> Outcome:
                raise RuntimeError("broken")

            assert await Worker(h.db, {"boom": boom}, h.clock).drain() == 1
            assert await h.db.run(lambda conn: _status(conn, event_id)) == (PENDING, 1)

    asyncio.run(scenario())


def test_backoff_doubles_with_jitter_up_to_its_cap() -> None:
    for attempt, delay in ((1, 10), (2, 20), (3, 40), (4, 80), (5, 100), (12, 100)):
        waits = [backoff(attempt, 10, 100) for _ in range(50)]
        assert all(delay / 2 <= w <= delay for w in waits)
        assert len(set(waits)) > 1


def test_a_worker_killed_mid_delivery_loses_nothing(database_url: str, tmp_path: Path) -> None:
    """The receiver holds the first request; the worker is cancelled; another one delivers."""

    async def scenario() -> None:
        with receiving() as receiver:
            hold = threading.Event()
            receiver.plan("/hook", hold=hold)
            async with harness(database_url, tmp_path) as h:
                delivery_id = await h.for_account(
                    lambda acct: enqueue_webhook(
                        acct,
                        trigger="on_answer",
                        subject="call-1",
                        payload={"trigger": "on_answer"},
                        callback_url=receiver.url("/hook"),
                        occurred_at=h.clock.now(),
                        now=h.clock.now(),
                    )
                )
                doomed_sender = h.sender()
                doomed = h.worker(doomed_sender, lease_seconds=60, poll_seconds=0.05)
                task = asyncio.create_task(doomed.run())
                await asyncio.to_thread(receiver.arrived.wait)  # the request is in flight
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                await doomed_sender.close()
                hold.set()  # the receiver answers a worker that is gone

                survivor_sender = h.sender()
                survivor = h.worker(survivor_sender, lease_seconds=60)
                assert await survivor.drain() == 0  # still leased to the dead worker
                h.clock.advance(61)
                assert await survivor.drain() == 1
                await survivor_sender.close()

                ids = [r.headers[H_DELIVERY.lower()] for r in receiver.at("/hook")]
                assert ids == [delivery_id, delivery_id]  # at least once, same id
                assert (await h.delivery(delivery_id)).status == DELIVERED
                assert await h.db.run(lambda conn: queue.pending_count(conn)) == 0

    asyncio.run(scenario())


WAIT = 30.0  # a safety net against a hang, not a measurement


def test_one_slow_receiver_does_not_hold_the_others(database_url: str, tmp_path: Path) -> None:
    """Two slots: the slow delivery keeps one, the five others go through the other."""

    async def scenario() -> None:
        with receiving() as receiver:
            hold = threading.Event()
            receiver.plan("/slow", hold=hold)
            async with harness(database_url, tmp_path) as h:
                for path in ["/slow"] + ["/fast"] * 5:
                    await h.for_account(
                        lambda acct, path=path: enqueue_webhook(
                            acct,
                            trigger="on_ring",
                            subject=f"call{path}",
                            payload={"trigger": "on_ring"},
                            callback_url=receiver.url(path),
                            occurred_at=h.clock.now(),
                            now=h.clock.now(),
                        )
                    )
                sender = h.sender()
                draining = asyncio.create_task(h.worker(sender, concurrency=2).drain())
                try:
                    others = await asyncio.to_thread(receiver.wait_for, "/fast", 5, WAIT)
                    slow_waiting = len(receiver.at("/slow")) == 1 and not hold.is_set()
                finally:
                    hold.set()
                    delivered = await draining
                    await sender.close()
                assert others and slow_waiting
                assert delivered == 6

    asyncio.run(scenario())


def test_a_delivery_costs_one_transaction_besides_its_claim(
    database_url: str, tmp_path: Path
) -> None:
    """Claim and load share a transaction; the attempt log and the outcome share another."""

    async def scenario() -> None:
        with receiving() as receiver:
            async with harness(database_url, tmp_path) as h:
                for n in range(6):
                    await h.for_account(
                        lambda acct, n=n: enqueue_webhook(
                            acct,
                            trigger="on_ring",
                            subject=f"call-{n}",
                            payload={"trigger": "on_ring"},
                            callback_url=receiver.url("/hook"),
                            occurred_at=h.clock.now(),
                            now=h.clock.now(),
                        )
                    )
                sender = h.sender()
                try:
                    with write_transactions(h.db) as transactions:
                        # One at a time: each delivery needs a claim of its own.
                        assert await h.worker(sender, concurrency=1).drain() == 6
                finally:
                    await sender.close()
                attempts = [
                    len(await h.attempts(d.headers[H_DELIVERY.lower()])) for d in receiver.received
                ]
        assert len(receiver.received) == 6 and attempts == [1] * 6
        # A claim and a record each, and the last two looks: one while the last outcome
        # is being recorded (a slot is free once its delivery is made), one after.
        assert len(transactions) <= 6 * 2 + 2

    asyncio.run(scenario())


def test_a_slot_is_free_before_its_outcome_is_committed(database_url: str, tmp_path: Path) -> None:
    """One slot: the second event is handled while the first one's record is still held back,
    and both outcomes are committed once the record goes through."""

    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            now = h.clock.now()
            first, second = [
                await h.db.run(lambda conn, n=n: queue.enqueue(conn, "note", {"n": n}, now=now))
                for n in (1, 2)
            ]
            gate = asyncio.Event()
            committed: list[Any] = []
            run = h.db.run

            async def held(work: Any) -> Any:
                if not getattr(work, "__qualname__", "").startswith("Worker.claim"):
                    await gate.wait()  # every transaction but the claims: the records
                    result = await run(work)
                    committed.append(work)
                    return result
                return await run(work)

            handled_while_held: list[int] = []

            async def note(event: Event) -> Outcome:
                if event.payload["n"] == 2:
                    handled_while_held.append(len(committed))
                    gate.set()
                return Done()

            h.db.run = held  # type: ignore[method-assign]
            try:
                worker = Worker(h.db, {"note": note}, h.clock, concurrency=1)
                assert await asyncio.wait_for(worker.drain(), 10) == 2
            finally:
                h.db.run = run  # type: ignore[method-assign]
            assert handled_while_held == [0]
            for event_id in (first, second):
                assert await h.db.run(lambda conn, e=event_id: _status(conn, e)) == (DONE, 1)

    asyncio.run(scenario())
