"""What a handler answers of an event: `Done`, `Retry` at some time, or `GiveUp`, each
with the handler's own writes to record beside it (`record`), and the retries' backoff."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from xmlengine.storage.prepared import PreparedRows


@dataclass(frozen=True, slots=True)
class Rows:
    """A handler's writes as data: statements prepared once, each with its rows of
    parameters. The recorder runs each statement once with the rows of a whole batch of
    outcomes."""

    writes: tuple[tuple[PreparedRows, list[dict[str, Any]]], ...]


Record = Callable[[Connection], None] | Rows


@dataclass(frozen=True, slots=True)
class Done:
    record: Record | None = None


@dataclass(frozen=True, slots=True)
class Retry:
    at: float
    error: str
    record: Record | None = None


@dataclass(frozen=True, slots=True)
class GiveUp:
    error: str
    record: Record | None = None


Outcome = Done | Retry | GiveUp


def backoff(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): exponential, jittered.

    The delay doubles from `base` up to `cap`; the wait is drawn between half the delay
    and the delay, so that many failing events do not come back at the same moment.
    """
    delay = min(cap, base * 2 ** max(0, attempt - 1))
    return (rng or random).uniform(delay / 2, delay)
