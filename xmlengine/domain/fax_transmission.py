"""A fax on the network: queued by queue_fax as a network job, and its end in one
transaction — its row, the call that carried it in the history, its pages billed, and
what its profile is told (domain/fax_notices.py).

A sent fax that fails is tried again `RETRY_AFTER` network seconds later while its
`retry_limit` allows; its `retry_count` says how many times it was.

The call shows in get_calls under the fax's `call_hash` (`bindings` `did:N,fax:P` for
a received fax) with no amount of its own: a fax is billed by the page, each page at the
rate the deck gives a minute of the same call — a received page at the origination
rate, a sent page at the rate of its destination.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError

from xmlengine.domain import billing, fax_notices, fax_profiles, faxes
from xmlengine.domain.calls.geography import e164_digits
from xmlengine.domain.calls.rating import RateDeck
from xmlengine.domain.calls.records import CallInput, record_call, routing_of
from xmlengine.storage.account_scope import AccountScope
from xmlengine.work.network_jobs import queue_job

KIND = faxes.JOB_KIND
RETRY_AFTER = 60.0  # network seconds between a failed attempt and the next
# A failure's reason -> the disposition of its call in the history.
DISPOSITIONS = {"busy": "busy", "no answer": "no_answer"}


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


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A fax queue_fax sends: rendered and written already, with the profile's defaults
    applied."""

    call_hash: str
    destination: str
    stored: faxes.Stored
    pages: int
    page_format: str
    resolution: str
    name_from: str
    email_from: str
    retry_limit: int
    unique_id: str | None = None
    scheduled_at: float | None = None  # network time; None: now


def queue(acct: AccountScope, profile: Row[Any], fax: Outgoing) -> str | None:
    """Keep the fax and its network job in the caller's transaction; its `call_hash`.
    None when another request queued a fax with the same `unique_id` first (the
    caller answers that one: `faxes.by_unique_id`)."""
    profile_id = profile.client_fax_profile_id
    source = profile.callerid_number
    try:
        # Two requests with one `unique_id` at once both pass the caller's look-up; the
        # unique key keeps the first, and the second gives its fax up, not its transaction.
        with acct.savepoint():
            faxes.create_fax(
                acct,
                at=acct.clock.now(),
                stored=fax.stored,
                call_hash=fax.call_hash,
                unique_id=fax.unique_id,
                client_subaccount_id=fax_profiles.owner(acct, profile_id),
                client_fax_profile_id=profile_id,
                direction="outbound",
                source_number=source,
                destination_number=fax.destination,
                name_from=fax.name_from,
                email_from=fax.email_from,
                page_format=fax.page_format,
                resolution=fax.resolution,
                pages=fax.pages,
                retry_limit=fax.retry_limit,
                scheduled_at=fax.scheduled_at,
                transmission_status=faxes.PENDING,
            )
    except IntegrityError:
        if not fax.unique_id:
            raise
        return None
    job = {"source": source, "destination": fax.destination, "pages": fax.pages}
    queue_job(acct, KIND, fax.call_hash, job, due_at=fax.scheduled_at)
    return fax.call_hash


def sent(acct: AccountScope, fax: Row[Any], at: float, *, now: float) -> None:
    """The far end took every page."""
    _end(acct, fax, at, faxes.COMPLETED, "", now=now)


def failed(acct: AccountScope, fax: Row[Any], at: float, reason: str, *, now: float) -> bool:
    """An attempt failed: whether the fax is tried again (else it has failed for good)."""
    if fax.retry_count < fax.retry_limit:
        faxes.set_transmission(
            acct,
            fax.call_fax_id,
            transmission_status=faxes.PENDING,
            transmission_reason=reason,
            retry_count=fax.retry_count + 1,
        )
        return True
    _end(acct, fax, at, faxes.FAILED, reason, now=now)
    return False


def _end(
    acct: AccountScope, fax: Row[Any], at: float, status: str, reason: str, *, now: float
) -> None:
    faxes.set_transmission(
        acct,
        fax.call_fax_id,
        transmission_status=status,
        transmission_reason=reason,
        transmitted_at=at,
    )
    completed = status == faxes.COMPLETED
    started = fax.scheduled_at or fax.created_at
    call = CallInput(
        started_at=min(started, at),
        direction="outbound",
        source=fax.source_number,
        destination=fax.destination_number,
        duration=round(at - started) if completed else 0,
        disposition="answered" if completed else DISPOSITIONS.get(reason, "failed"),
        callerid_number=fax.source_number,
        client_subaccount_id=fax.client_subaccount_id,
        bindings=f"fax:{fax.client_fax_profile_id}",
        current_rate=0.0,  # the pages are billed, not the minutes
        destination_type="number",
        call_hash=fax.call_hash,
    )
    record_call(acct, call, charge=False)
    if completed:
        charge_pages(acct, call, fax.pages, fax.client_subaccount_id)
    row = faxes.by_id(acct, fax.call_fax_id)
    assert row is not None
    fax_notices.notify(acct, fax_profiles.find(acct, fax.client_fax_profile_id), row, now=now)


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
