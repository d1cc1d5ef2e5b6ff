"""Faxes on the sandbox network: the traffic generator's calls to a DID that receives
faxes arrive as faxes.

`SandboxFaxes.receive` takes a generated inbound call: when its DID has `enable_fax` and
an enabled fax profile (domain/fax_profiles.py), the call is a fax of one to three pages
(the caller's last digit chooses), handed to the network; otherwise it answers False and
the call stays a call. `report` is the sink of the fax events: a received fax gets a
document made up for it — its pages, at the profile's page format and resolution, say
who sent it — and is recorded with its notices (domain/fax_transmission.py); a failed
one (the caller's magic number) is recorded as failed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain import fax_documents, fax_profiles, fax_transmission
from xmlengine.network import interface as net
from xmlengine.network.interface import FaxRequest, NetworkEvent
from xmlengine.network.traffic import INBOUND, GeneratedCall
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database

T = TypeVar("T")


class FaxNetwork(Protocol):
    async def receive_fax(self, fax: FaxRequest) -> None: ...


@dataclass(frozen=True, slots=True)
class LiveFax:
    call_hash: str
    account_id: int
    did_id: int
    source: str
    destination: str
    started_at: float
    pages: int


class SandboxFaxes:
    def __init__(self, db: Database, settings: Settings, clock: Clock, outbox_clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock  # network time
        self.outbox_clock = outbox_clock  # the workers' time: when a webhook is due
        self.network: FaxNetwork | None = None
        self.live: dict[str, LiveFax] = {}

    def attach(self, network: FaxNetwork) -> None:
        self.network = network

    async def receive(self, generated: GeneratedCall) -> bool:
        """Whether the generated call is a fax (then handed to the network)."""
        if self.network is None:
            raise RuntimeError("no network attached")
        line = generated.line
        if generated.direction != INBOUND or line.kind != "did":
            return False

        def receives(acct: AccountScope) -> bool:
            return fax_profiles.for_did(acct, line.line_id) is not None

        if not await self._for_account(line.account_id, receives):
            return False
        tail = generated.remote[-1:]
        fax = LiveFax(
            secrets.token_hex(16),
            line.account_id,
            line.line_id,
            generated.source,
            generated.destination,
            self.clock.now(),
            pages=1 + (int(tail) % 3 if tail.isdigit() else 0),
        )
        self.live[fax.call_hash] = fax
        request = FaxRequest(fax.account_id, fax.call_hash, fax.source, fax.destination, fax.pages)
        await self.network.receive_fax(request)
        return True

    async def report(self, event: NetworkEvent) -> None:
        """The network's sink for faxes: one transaction per fax that ends."""
        fax = self.live.pop(event.ref, None)
        if fax is None or event.kind not in (net.FAX_INBOUND, net.FAX_FAILED):
            return
        await self._for_account(fax.account_id, lambda acct: self._record(acct, fax, event))

    def _record(self, acct: AccountScope, fax: LiveFax, event: NetworkEvent) -> None:
        profile = fax_profiles.for_did(acct, fax.did_id)
        if profile is None:  # the DID stopped receiving faxes meanwhile: nobody takes it
            return
        document = None
        if event.kind == net.FAX_INBOUND:
            document = _document(acct, fax, profile, event.at)
        received = fax_transmission.Received(
            call_hash=fax.call_hash,
            did_id=fax.did_id,
            source=fax.source,
            destination=fax.destination,
            started_at=fax.started_at,
            ended_at=event.at,
            pages=fax.pages,
            document=document,
            reason=str(event.data.get("reason", "")),
        )
        fax_transmission.receive(acct, profile, received, now=self.outbox_clock.now())

    async def _for_account(self, account_id: int, work: Callable[[AccountScope], T]) -> T:
        def scoped(conn: Connection) -> T:
            return work(
                AccountScope.load(conn, account_id, clock=self.clock, settings=self.settings)
            )

        return await self.db.run(scoped)


def _document(acct: AccountScope, fax: LiveFax, profile: Any, at: float) -> bytes:
    """The made-up pages of a received fax."""
    moment = acct.local_time(at).strftime("%Y-%m-%d %H:%M:%S")
    pages = [
        f"Sandbox fax\n\nFrom: {fax.source}\nTo: {fax.destination}\nReceived: {moment}\n\n"
        f"Page {page} of {fax.pages}\n"
        for page in range(1, fax.pages + 1)
    ]
    source = fax_documents.Source("fax.txt", "text/plain", "\f".join(pages).encode())
    rendered = fax_documents.render([source], profile.page_format, profile.resolution)
    return rendered.data
