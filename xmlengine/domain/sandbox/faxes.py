"""Faxes on the network: the network jobs of kind "fax" (docs/network-jobs.md).

Sent faxes are jobs queue_fax queues (domain/fax_transmission.py): `send` marks the fax
`processing` and hands it to the network; the network's report completes it or fails
the attempt (tried again later while its `retry_limit` allows).

Received faxes are the sandbox's: `receive` takes a call the traffic generator made up
for a DID and, when the DID has `enable_fax` and an enabled fax profile
(domain/fax_profiles.py), makes it a fax of one to three pages (the caller's last digit
chooses) — a job started at once, so that a restart ends it — and hands it to the
network; otherwise it answers False and the call stays a call. When it is received, its
document is made up — its pages, at the profile's page format and resolution, say who
sent it — and it is recorded with its notices; a failed one (the caller's magic number)
is recorded as failed.

A fax an earlier owner had in transmission when it stopped is sent again while its
retries allow, and failed otherwise; a received one it had in progress failed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, Final, Protocol, TypeVar

from sqlalchemy import Connection, Row

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain import fax_documents, fax_profiles, fax_transmission, faxes
from xmlengine.domain.local_times import local_times
from xmlengine.network import interface as net
from xmlengine.network.interface import FaxRequest, Network, NetworkEvent
from xmlengine.network.traffic import INBOUND, GeneratedCall
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.work.network_jobs import Job, Progress, network_ref, start_job

T = TypeVar("T")
INTERRUPTED: Final = "interrupted"  # the reason of a fax its owner stopped during


class ReceivingNetwork(Protocol):
    async def receive_fax(self, fax: FaxRequest) -> None: ...


class SandboxFaxes:
    KIND: Final = fax_transmission.KIND

    def __init__(
        self, db: Database, settings: Settings, clock: Clock, outbox_clock: Clock, *, owner: str
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock  # network time
        self.outbox_clock = outbox_clock  # the workers' time: when a webhook is due
        self.owner = owner  # the network owner's name, on the jobs it starts
        self.network: ReceivingNetwork | None = None

    def attach(self, network: ReceivingNetwork) -> None:
        self.network = network

    # Sent faxes.

    async def send(self, job: Job, network: Network) -> None:
        def processing(acct: AccountScope) -> None:
            fax = faxes.by_hash(acct, job.ref)
            if fax is not None:
                faxes.set_transmission(acct, fax.call_fax_id, transmission_status="processing")

        await self._for_account(job.account_id, processing)
        payload = job.payload
        request = FaxRequest(
            job.account_id,
            job.network_ref,
            str(payload["source"]),
            str(payload["destination"]),
            int(payload["pages"]),
        )
        await network.send_fax(request)

    # Received faxes (generated traffic).

    async def receive(self, generated: GeneratedCall) -> bool:
        """Whether the generated call is a fax (then handed to the network)."""
        if self.network is None:
            raise RuntimeError("no network attached")
        line = generated.line
        if generated.direction != INBOUND or line.kind != "did":
            return False
        call_hash = secrets.token_hex(16)
        tail = generated.remote[-1:]
        pages = 1 + (int(tail) % 3 if tail.isdigit() else 0)
        state = {
            "direction": "inbound",
            "did_id": line.line_id,
            "source": generated.source,
            "destination": generated.destination,
            "started_at": self.clock.now(),
            "pages": pages,
        }

        def begin(acct: AccountScope) -> bool:
            if fax_profiles.for_did(acct, line.line_id) is None:
                return False
            start_job(acct, self.KIND, call_hash, state, owner=self.owner, now=self.clock.now())
            return True

        if not await self._for_account(line.account_id, begin):
            return False
        request = FaxRequest(
            line.account_id,
            network_ref(self.KIND, call_hash),
            generated.source,
            generated.destination,
            pages,
        )
        await self.network.receive_fax(request)
        return True

    # Reports, in the owner's transaction of the event.

    def report(
        self, acct: AccountScope, ref: str, job: Job | None, event: NetworkEvent
    ) -> Progress:
        if job is None or event.kind not in (net.FAX_SENT, net.FAX_INBOUND, net.FAX_FAILED):
            return Progress()
        reason = str(event.data.get("reason", ""))
        now = self.outbox_clock.now()
        if job.state.get("direction") == "inbound":
            document = event.kind == net.FAX_INBOUND
            self._received(acct, ref, job.state, event.at, document=document, reason=reason)
            return Progress(final=True)
        fax = faxes.by_hash(acct, ref)
        if fax is None:
            return Progress(final=True)
        if event.kind == net.FAX_SENT:
            fax_transmission.sent(acct, fax, event.at, now=now)
            return Progress(final=True)
        if fax_transmission.failed(acct, fax, event.at, reason, now=now):
            return Progress(again_at=event.at + fax_transmission.RETRY_AFTER)
        return Progress(final=True)

    def interrupted(self, acct: AccountScope, job: Job, at: float) -> bool:
        if job.state.get("direction") == "inbound":
            self._received(acct, job.ref, job.state, at, document=False, reason=INTERRUPTED)
            return False
        fax = faxes.by_hash(acct, job.ref)
        now = self.outbox_clock.now()
        return fax is not None and fax_transmission.failed(acct, fax, at, INTERRUPTED, now=now)

    def _received(
        self,
        acct: AccountScope,
        call_hash: str,
        state: dict[str, Any],
        at: float,
        *,
        document: bool,
        reason: str,
    ) -> None:
        did_id = int(state["did_id"])
        profile = fax_profiles.for_did(acct, did_id)
        if profile is None:  # the DID stopped receiving faxes meanwhile: nobody takes it
            return
        pages = int(state["pages"])
        received = fax_transmission.Received(
            call_hash=call_hash,
            did_id=did_id,
            source=str(state["source"]),
            destination=str(state["destination"]),
            started_at=float(state["started_at"]),
            ended_at=at,
            pages=pages,
            document=_document(acct, profile, state, at) if document else None,
            reason="" if document else reason,
        )
        fax_transmission.receive(acct, profile, received, now=self.outbox_clock.now())

    async def _for_account(self, account_id: int, work: Callable[[AccountScope], T]) -> T:
        def scoped(conn: Connection) -> T:
            return work(
                AccountScope.load(conn, account_id, clock=self.clock, settings=self.settings)
            )

        return await self.db.run(scoped)


def _document(acct: AccountScope, profile: Row[Any], state: dict[str, Any], at: float) -> bytes:
    """The made-up pages of a received fax."""
    moment = local_times(acct.zone).text(at)
    count = int(state["pages"])
    pages = [
        f"Sandbox fax\n\nFrom: {state['source']}\nTo: {state['destination']}\n"
        f"Received: {moment}\n\nPage {page} of {count}\n"
        for page in range(1, count + 1)
    ]
    source = fax_documents.Source("fax.txt", "text/plain", "\f".join(pages).encode())
    return fax_documents.render([source], profile.page_format, profile.resolution).data
