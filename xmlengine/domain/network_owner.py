"""The network owner: the one process that runs the telephone network (docs/network-jobs.md).

Every `serve` process tries to become it; one wins the owner lock (storage/owner_lock.py)
and the others look again now and then, to take over when it stops. The owner:

- ends, at its start, the jobs an earlier owner left started (each kind's `interrupted`
  sends it again or ends it: a call in progress hangs up with its record and `on_hangup`);
- takes the pending jobs whose time has come and hands each to its kind (`send`);
- turns every network report into one transaction: the kind's `report` writes what the
  event changes, and the job's progress or end is written with it;
- runs the sandbox network's schedule, and its traffic generator when one is configured
  (calls, and messages to the DIDs that receive SMS);
- places the traffic the sandbox inspector asks for (jobs of kind `placed`) on the
  generator's own path.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Sequence

from sqlalchemy import Connection

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain.call_control.kinds import call_control_kinds
from xmlengine.domain.sandbox.calls import SandboxCalls
from xmlengine.domain.sandbox.faxes import SandboxFaxes
from xmlengine.domain.sandbox.lines import sandbox_lines
from xmlengine.domain.sandbox.placed import PlacedTraffic
from xmlengine.domain.sms import delivery as sms
from xmlengine.domain.sms.delivery import SmsDesk
from xmlengine.network.interface import NetworkEvent
from xmlengine.network.sandbox import SandboxNetwork
from xmlengine.network.scheduler import Scheduler
from xmlengine.network.traffic import GeneratedCall, Line, TrafficGenerator
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.storage.network_tables import STARTED
from xmlengine.storage.owner_lock import OwnerLock
from xmlengine.work import network_jobs as jobs
from xmlengine.work.network_jobs import Job, JobKind, SendsJobs
from xmlengine.work.worker import worker_name

log = logging.getLogger("xmlengine.network")

ROLE = "network"
TAKE_LIMIT = 100  # jobs taken per look
RETRY_SEND_SECONDS = 30.0  # network seconds before a job whose hand-over failed is tried again


class NetworkOwner:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        *,
        network_clock: Clock,
        outbox_clock: Clock,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = network_clock
        self.name = worker_name()
        self.scheduler = Scheduler(network_clock)
        self.network = SandboxNetwork(self.scheduler, self.report)
        self.calls = SandboxCalls(db, settings, network_clock, outbox_clock, owner=self.name)
        self.calls.attach(self.network)
        self.faxes = SandboxFaxes(db, settings, network_clock, outbox_clock, owner=self.name)
        self.faxes.attach(self.network)
        self.sms = SmsDesk(db, settings, network_clock, outbox_clock)
        self.rng = rng or random.Random()
        placed = PlacedTraffic(
            db, network_clock, call=self.calls.place, message=self.text, fax=self.faxes.receive
        )
        self.kinds: dict[str, JobKind] = {
            SandboxCalls.KIND: self.calls,
            SandboxFaxes.KIND: self.faxes,
            sms.KIND: self.sms,
            placed.KIND: placed,
        }
        self.kinds.update(call_control_kinds(outbox_clock))
        self.generator: TrafficGenerator | None = None
        if settings.sandbox_traffic_per_hour > 0:
            self.generator = TrafficGenerator(
                self.scheduler,
                self.lines,
                self.place,
                per_hour=settings.sandbox_traffic_per_hour,
                rng=self.rng,
                message=self.message,
            )
        self.lock = OwnerLock(db, settings.data_dir, ROLE)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def add_kind(self, name: str, kind: JobKind) -> None:
        self.kinds[name] = kind

    async def message(self, generated: GeneratedCall) -> bool:
        """A message from the outside world to a DID of the generator's, if it takes SMS."""
        assert self.generator is not None
        return await self.sms.receive(
            self.network, generated.line, generated.remote, self.generator.rng
        )

    async def text(self, generated: GeneratedCall, text: str) -> bool:
        """A message with `text` to a DID, placed on request, if it takes SMS."""
        return await self.sms.receive(
            self.network, generated.line, generated.remote, self.rng, text
        )

    async def lines(self) -> Sequence[Line]:
        return await self.db.run(sandbox_lines)

    async def place(self, generated: GeneratedCall) -> None:
        """A generated call to a DID that receives faxes is a fax; any other, a call."""
        if not await self.faxes.receive(generated):
            await self.calls.place(generated)

    async def start(self) -> None:
        """Run the network in this process once it holds the owner lock."""
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._own(), name="network-owner")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), 5.0)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
        await self.lock.release()

    async def _own(self) -> None:
        while not self._stop.is_set():
            try:
                if await self.lock.acquire():
                    break
            except Exception:  # the database is away: look again later
                log.exception("the network owner lock could not be taken")
            if await self._stopped_within(self.settings.network_takeover_seconds):
                return
        log.info("network owner %s: running the network", self.name)
        try:
            await self.take_over()
            if self.generator is not None:
                self.generator.start()
            tasks = [
                asyncio.create_task(self.scheduler.run(self._stop), name="network-schedule"),
                asyncio.create_task(self._take_jobs(), name="network-jobs"),
                asyncio.create_task(self._keep_alive(), name="network-alive"),
            ]
            try:
                await asyncio.gather(*tasks)
            finally:
                for task in tasks:
                    task.cancel()
        finally:
            await self.lock.release()

    async def _stopped_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)
        return self._stop.is_set()

    async def _take_jobs(self) -> None:
        while not self._stop.is_set():
            try:
                await self.take_due()
            except Exception:
                log.exception("network jobs could not be taken")
            await self._stopped_within(self.settings.network_poll_seconds)

    async def _keep_alive(self) -> None:
        while not await self._stopped_within(self.settings.network_alive_seconds):
            if not await self.lock.still_held():
                log.error("network owner %s lost its lock: the network stops here", self.name)
                self._stop.set()
                return
            try:
                await self.mark_alive()
            except Exception:
                log.exception("network jobs could not be marked alive")

    async def mark_alive(self) -> None:
        """Note that this owner still runs its started jobs (every `network_alive_seconds`)."""
        now = self.clock.now()
        await self.db.run(lambda conn: jobs.keep_alive(conn, self.name, now=now))

    async def take_over(self) -> int:
        """End or resume what earlier owners left started; how many jobs."""
        found = await self.db.run(lambda conn: jobs.interrupted(conn, self.name))
        for job in found:
            kind = self.kinds.get(job.kind)
            if kind is None:
                log.warning("network job %s of unknown kind %s left as it is", job.job_id, job.kind)
                continue
            now = self.clock.now()
            # It ended about when its owner was last known running, not now: a server
            # down for an hour does not bill an hour of talk.
            at = min(now, (job.alive_at or now) + self.settings.network_alive_seconds)

            def end(conn: Connection, job: Job = job, kind: JobKind = kind, at: float = at) -> None:
                if kind.interrupted(self._scope(conn, job.account_id), job, at):
                    jobs.resume(conn, job, now=self.clock.now())
                else:
                    jobs.finish(conn, job, now=at)

            try:
                await self.db.run(end)
            except Exception:  # left started: the next owner tries again; the others go on
                log.exception("interrupted network job %s could not be ended", job.job_id)
        if found:
            log.info("network owner %s: took over %d interrupted jobs", self.name, len(found))
        return len(found)

    async def take_due(self) -> int:
        """Hand the pending jobs whose time has come to the network; how many."""
        senders = {name: kind for name, kind in self.kinds.items() if isinstance(kind, SendsJobs)}
        kinds = tuple(senders)
        # A read first: under load, a write transaction each poll cost the API a few
        # percent of its CPU, and nearly every poll finds nothing.
        if not await self.db.read(
            lambda conn: jobs.any_due(conn, now=self.clock.now(), kinds=kinds)
        ):
            return 0
        taken = await self.db.run(
            lambda conn: jobs.take_due(
                conn, self.name, now=self.clock.now(), limit=TAKE_LIMIT, kinds=kinds
            )
        )
        for job in taken:
            try:
                await senders[job.kind].send(job, self.network)
            except Exception:
                log.exception("network job %s could not be handed over", job.job_id)
                await self.db.run(self._later(job))
        return len(taken)

    def _later(self, job: Job) -> Callable[[Connection], None]:
        """Hand `job` over again a little later (the network refused it for now)."""
        later = self.clock.now() + RETRY_SEND_SECONDS
        return lambda conn: jobs.resume(conn, job, now=later)

    async def report(self, event: NetworkEvent) -> None:
        """The network's sink: one transaction per event."""
        parsed = jobs.parse_network_ref(event.ref)
        kind = None if parsed is None else self.kinds.get(parsed[0])
        if parsed is None or kind is None:
            log.warning("a network report of nothing known: %s %s", event.kind, event.ref)
            return
        name, ref = parsed

        def apply(conn: Connection) -> None:
            job = jobs.find(conn, name, ref)
            progress = kind.report(self._scope(conn, event.account_id), ref, job, event)
            if job is None or job.status != STARTED:
                return
            if progress.again_at is not None:
                jobs.resume(conn, job, now=progress.again_at)
            elif progress.final:
                jobs.finish(conn, job, now=event.at)
            elif progress.state is not None:
                jobs.note(conn, job, progress.state, now=event.at)

        await self.db.run(apply)

    def _scope(self, conn: Connection, account_id: int) -> AccountScope:
        return AccountScope.load(conn, account_id, clock=self.clock, settings=self.settings)
