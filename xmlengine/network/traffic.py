"""The sandbox network's traffic generator: calls from the outside world to the account's
numbers, and calls its phones place, at an average rate per account.

Arrivals follow a Poisson process (exponential gaps) on the network's scheduler. Each
arrival picks one account among those with lines (`Lines` is asked every time, so new
numbers join at once), then a line: a DID is called from a made-up number, a peer calls
a made-up number. The far end's number is a magic number now and then, so every outcome
of docs/sandbox.md shows up in the history: busy, no answer, failure, voicemail.

Now and then an arrival toward a DID is a message instead of a call, when the DID
receives SMS (`message` says whether it did). The generator only says what happens;
`place` and `message` (the server's side) give the call or message its reference, write
what must be written and hand it to the network.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from xmlengine.network.scheduler import Scheduler

log = logging.getLogger("xmlengine.network")

INBOUND = "inbound"
OUTBOUND = "outbound"
IDLE_LOOK_SECONDS = 60.0  # network seconds between looks when no account has lines
# The far end's last four digits: magic endings (docs/sandbox.md) with these weights,
# a plain number otherwise.
MAGIC_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("0001", 0.10),  # busy
    ("0002", 0.08),  # no answer
    ("0003", 0.05),  # failed
    ("0004", 0.12),  # voicemail
)
AREA_CODES = ("514", "438", "450", "613", "416", "647", "212", "305")


@dataclass(frozen=True, slots=True)
class Line:
    """A number or phone of an account that generated calls go to or come from."""

    account_id: int
    kind: str  # "did" or "peer"
    line_id: int  # client_did_id or client_peer_id
    number: str  # the DID's number, the peer's caller id number


@dataclass(frozen=True, slots=True)
class GeneratedCall:
    line: Line
    direction: str  # inbound: remote -> DID; outbound: peer -> remote
    remote: str

    @property
    def source(self) -> str:
        return self.remote if self.direction == INBOUND else self.line.number

    @property
    def destination(self) -> str:
        return self.line.number if self.direction == INBOUND else self.remote


Lines = Callable[[], Awaitable[Sequence[Line]]]
Place = Callable[[GeneratedCall], Awaitable[None]]
# A message instead of an inbound call: whether the DID took it (it receives SMS).
Message = Callable[[GeneratedCall], Awaitable[bool]]
MESSAGE_SHARE = 0.25  # of the arrivals toward a DID, when a message is possible


def remote_number(rng: random.Random, *, plain: bool = False) -> str:
    """A made-up ten-digit number, magic now and then (never when `plain`).

    Plain numbers end in 00-19: answered calls talk 30 to 49 seconds, so the first call
    of a new server is in the history within a minute.
    """
    area = rng.choice(AREA_CODES)
    exchange = f"{rng.randint(200, 999)}"
    if not plain:
        pick = rng.random()
        for ending, weight in MAGIC_WEIGHTS:
            if pick < weight:
                return f"{area}{exchange}{ending}"
            pick -= weight
    return f"{area}{exchange}{rng.randint(10, 99):02d}{rng.randint(0, 19):02d}"


class TrafficGenerator:
    def __init__(
        self,
        scheduler: Scheduler,
        lines: Lines,
        place: Place,
        *,
        per_hour: float,
        rng: random.Random | None = None,
        message: Message | None = None,
    ) -> None:
        if per_hour <= 0:
            raise ValueError("traffic needs a positive rate per hour")
        self.scheduler = scheduler
        self.lines = lines
        self.place = place
        self.per_hour = per_hour
        self.rng = rng or random.Random()
        self.message = message
        self._first = True

    def start(self) -> None:
        """The first call at once (a plain, quickly answered one), then at the rate."""
        self.scheduler.after(0.0, self._arrive)

    async def _arrive(self) -> None:
        try:
            lines = list(await self.lines())
        except Exception:
            log.exception("the sandbox traffic could not read the account lines")
            lines = []
        if not lines:
            self.scheduler.after(IDLE_LOOK_SECONDS, self._arrive)
            return
        accounts = sorted({line.account_id for line in lines})
        call = self.pick(lines, self.rng.choice(accounts))
        first, self._first = self._first, False
        self.scheduler.after(self.gap(len(accounts)), self._arrive)
        wants_message = self.message is not None and self.rng.random() < MESSAGE_SHARE
        if call.direction == INBOUND and wants_message and not first:
            assert self.message is not None
            if await self.message(call):
                return
        await self.place(call)

    def gap(self, accounts: int) -> float:
        """Network seconds to the next call: exponential, `per_hour` per account."""
        return self.rng.expovariate(self.per_hour * accounts / 3600.0)

    def pick(self, lines: Sequence[Line], account_id: int) -> GeneratedCall:
        own = [line for line in lines if line.account_id == account_id]
        dids = [line for line in own if line.kind == "did"]
        peers = [line for line in own if line.kind == "peer"]
        inbound = bool(dids) and (not peers or self.rng.random() < 0.6)
        line = self.rng.choice(dids if inbound else peers)
        remote = remote_number(self.rng, plain=self._first)
        return GeneratedCall(line, INBOUND if inbound else OUTBOUND, remote)
