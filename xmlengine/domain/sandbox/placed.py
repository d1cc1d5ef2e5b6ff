"""Traffic placed on request (the sandbox inspector): the network jobs of kind `placed`.

A request writes the job (domain/inspector/placing.py); the network owner hands it over
here, and `send` places the call, message or fax through the traffic generator's own
path (`SandboxCalls.place`, `SmsDesk.receive`, `SandboxFaxes.receive`), where it gets a
job of its own. This job ends once that is done: nothing reports about it afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Final

from xmlengine.clock import Clock
from xmlengine.network.interface import Network, NetworkEvent
from xmlengine.network.traffic import INBOUND, GeneratedCall, Line
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.work import network_jobs as jobs
from xmlengine.work.network_jobs import Job, Progress

log = logging.getLogger("xmlengine.network")

KIND: Final = "placed"

Place = Callable[[GeneratedCall], Awaitable[None]]
Receive = Callable[[GeneratedCall], Awaitable[bool]]
Message = Callable[[GeneratedCall, str], Awaitable[bool]]


class PlacedTraffic:
    KIND: Final = KIND

    def __init__(
        self, db: Database, clock: Clock, *, call: Place, message: Message, fax: Receive
    ) -> None:
        self.db = db
        self.clock = clock  # network time
        self.call = call
        self.message = message
        self.fax = fax

    async def send(self, job: Job, network: Network) -> None:
        payload = job.payload
        line = Line(job.account_id, "did", int(payload["did_id"]), str(payload["number"]))
        generated = GeneratedCall(line, INBOUND, str(payload["caller"]))
        what = payload["what"]
        if what == "call":
            await self.call(generated)
        elif what == "sms":
            taken = await self.message(generated, str(payload["text"]))
        else:
            taken = await self.fax(generated)
        if what != "call" and not taken:  # the DID stopped taking them since it was asked
            log.info("placed %s to %s not taken by the DID", what, line.number)
        await self.db.run(lambda conn: jobs.finish(conn, job, now=self.clock.now()))

    def report(
        self, acct: AccountScope, ref: str, job: Job | None, event: NetworkEvent
    ) -> Progress:
        return Progress(final=True)  # the call, message or fax has its own job and reports

    def interrupted(self, acct: AccountScope, job: Job, at: float) -> bool:
        return True  # the owner stopped before noting it placed: placed (again), at least once
