"""Events a worker claimed ahead of a free slot, so that a slot that frees starts its next
event at once instead of waiting for the next claim's round trip.

They are started in the order they were claimed. One may wait here for a part of its
lease only (`start_within` seconds from its claim), so that its handler keeps the rest:
past that, the worker gives it back to the outbox instead of starting it.
"""

from __future__ import annotations

from collections import deque

from xmlengine.work.outbox import Event


class Ready:
    def __init__(self, start_within: float) -> None:
        self.start_within = start_within
        self._events: deque[tuple[float, Event]] = deque()  # (start by, event), claim order

    def __len__(self) -> int:
        return len(self._events)

    def add(self, events: list[Event], *, claimed_at: float) -> None:
        deadline = claimed_at + self.start_within
        self._events.extend((deadline, event) for event in events)

    def take(self, count: int) -> list[Event]:
        """Up to `count` events, the first claimed first."""
        return [self._events.popleft()[1] for _ in range(min(count, len(self._events)))]

    def expired(self, now: float) -> list[Event]:
        """The events that waited too long to be started now."""
        late: list[Event] = []
        while self._events and self._events[0][0] <= now:
            late.append(self._events.popleft()[1])
        return late

    def next_deadline(self) -> float | None:
        return self._events[0][0] if self._events else None

    def clear(self) -> list[Event]:
        events = [event for _, event in self._events]
        self._events.clear()
        return events
