"""The end of a fax on the network, in one transaction: its row, the call that carried it
in the history, its pages billed, and what its profile is told (domain/fax_notices.py).

The call shows in get_calls under the fax's `call_hash` (`bindings` `did:N,fax:P` for
a received fax) with no amount of its own: a fax is billed by the page, each page at the
rate the deck gives a minute of the same call — a received page at the origination
rate, a sent page at the rate of its destination.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import billing, fax_notices, fax_profiles, faxes
from xmlengine.domain.calls.geography import e164_digits
from xmlengine.domain.calls.rating import RateDeck
from xmlengine.domain.calls.records import CallInput, record_call, routing_of
from xmlengine.storage.account_scope import AccountScope


@dataclass(frozen=True, slots=True)
class Received:
    """A fax the network brought to a DID: its document (None when it failed) and pages."""

    call_hash: str
    did_id: int
    source: str
    destination: str
    started_at: float
    ended_at: float
    pages: int = 0
    document: bytes | None = None
    reason: str = ""  # why it failed


def receive(acct: AccountScope, profile: Row[Any], fax: Received, *, now: float) -> int:
    """Record a received fax (or its failure) on the DID's profile; its `call_fax_id`.
    `now` is the workers' time, when the profile's webhook is due."""
    profile_id = profile.client_fax_profile_id
    subaccount_id = fax_profiles.owner(acct, profile_id)
    completed = fax.document is not None
    stored = faxes.store_document(acct, fax.call_hash, fax.document) if fax.document else None
    fax_id = faxes.create_fax(
        acct,
        at=fax.started_at,
        stored=stored,
        call_hash=fax.call_hash,
        client_subaccount_id=subaccount_id,
        client_fax_profile_id=profile_id,
        client_did_id=fax.did_id,
        direction="inbound",
        source_number=fax.source,
        destination_number=fax.destination,
        page_format=profile.page_format,
        resolution=profile.resolution,
        pages=fax.pages if completed else 0,
        transmission_status=faxes.COMPLETED if completed else faxes.FAILED,
        transmission_reason=fax.reason,
        transmitted_at=fax.ended_at,
    )
    call = CallInput(
        started_at=fax.started_at,
        direction="inbound",
        source=fax.source,
        destination=fax.destination,
        duration=round(fax.ended_at - fax.started_at) if completed else 0,
        disposition="answered" if completed else "failed",
        callerid_number=fax.source,
        client_did_id=fax.did_id,
        client_subaccount_id=subaccount_id,
        bindings=f"did:{fax.did_id},fax:{profile_id}",
        current_rate=0.0,  # the pages are billed, not the minutes
        source_type="number",
        destination_type="did",
        call_hash=fax.call_hash,
    )
    record_call(acct, call, charge=False)
    if completed:
        charge_pages(acct, call, fax.pages, subaccount_id)
    row = faxes.by_id(acct, fax_id)
    assert row is not None
    fax_notices.notify(acct, profile, row, now=now)
    return fax_id


def charge_pages(
    acct: AccountScope, call: CallInput, pages: int, subaccount_id: int | None
) -> None:
    """Bill `pages` at the deck's rate of a minute of `call`."""
    routing = routing_of(call)
    dialed = e164_digits(call.destination) or call.destination
    price = RateDeck(acct).rate_for(routing, dialed).per_minute
    amount = round(price * pages, 4)
    if amount <= 0:
        return
    billing.charge(
        acct,
        service="fax",
        amount=amount,
        at=call.started_at,
        reference=call.call_hash or "",
        description=f"fax {call.direction} {call.destination} {pages} pages",
        subaccount_id=subaccount_id,
    )
