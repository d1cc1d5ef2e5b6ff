"""`FairPool`'s queue: a connection given back goes to the first unit of work waiting."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy.util import greenlet_spawn
from sqlalchemy.util.queue import Empty

from xmlengine.storage.fair_pool import _Handover


async def _take(queue: _Handover, name: str, taken: list[tuple[str, Any]]) -> None:
    taken.append((name, await greenlet_spawn(queue.get)))


async def _waiting(
    queue: _Handover, taken: list[tuple[str, Any]], *names: str
) -> list[asyncio.Task[None]]:
    """A unit of work per name, each waiting for a connection, in this order."""
    tasks = []
    for name in names:
        tasks.append(asyncio.create_task(_take(queue, name, taken)))
        await asyncio.sleep(0)  # its turn: it asks for one and waits
    return tasks


def test_a_connection_given_back_goes_to_the_first_waiter_not_a_newcomer() -> None:
    async def scenario() -> list[tuple[str, Any]]:
        queue = _Handover(maxsize=1)
        taken: list[tuple[str, Any]] = []
        first, second = await _waiting(queue, taken, "first", "second")
        queue.put_nowait("a")  # type: ignore[arg-type]
        newcomer = asyncio.create_task(_take(queue, "newcomer", taken))  # before first's turn
        await asyncio.sleep(0)
        queue.put_nowait("b")  # type: ignore[arg-type]
        queue.put_nowait("c")  # type: ignore[arg-type]
        await asyncio.gather(first, second, newcomer)
        return taken

    assert asyncio.run(scenario()) == [("first", "a"), ("second", "b"), ("newcomer", "c")]


def test_a_waiter_that_gave_up_is_skipped() -> None:
    async def scenario() -> tuple[str, Any]:
        queue = _Handover(maxsize=1)
        with pytest.raises(Empty):
            await greenlet_spawn(queue.get, True, 0.01)
        queue.put_nowait("a")  # type: ignore[arg-type]
        return "idle", await greenlet_spawn(queue.get)

    assert asyncio.run(scenario()) == ("idle", "a")


def test_a_connection_handed_to_a_cancelled_waiter_goes_to_the_next() -> None:
    async def scenario() -> list[tuple[str, Any]]:
        queue = _Handover(maxsize=1)
        taken: list[tuple[str, Any]] = []
        cancelled, nxt = await _waiting(queue, taken, "cancelled", "next")
        queue.put_nowait("a")  # type: ignore[arg-type]
        cancelled.cancel()  # handed "a", cancelled before its turn to take it
        await asyncio.gather(cancelled, nxt, return_exceptions=True)
        return taken

    assert asyncio.run(scenario()) == [("next", "a")]
