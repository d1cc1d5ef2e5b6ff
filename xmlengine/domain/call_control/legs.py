"""The calls a queued call places (a dispatch's two legs, a broadcast and its fork), as
the network reports them: each leg's progress kept in its network job's state, its
notifications, and its record in the call history when it ends.

A leg's state is plain JSON (the job's `state`), so that the next network owner can end
it after a restart (`hang_up`): an answered leg talked until the owner stopped, the others
failed.
"""

from __future__ import annotations

from typing import Any, Final

from xmlengine.domain import storage_usage
from xmlengine.domain.call_control.queueing import FETCHED_STORAGE
from xmlengine.domain.calls.notify import Notify, call_body
from xmlengine.domain.calls.records import CallInput, record_call
from xmlengine.network import interface as net
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_control_tables import ENDED, PLACED, queued_calls
from xmlengine.work.file_removal import enqueue_removal
from xmlengine.work.webhooks import enqueue_webhook

# The network's dispositions, as the history shows them.
DISPOSITIONS: Final = {
    net.ANSWERED: "answered",
    net.BUSY: "busy",
    net.NO_ANSWER: "no_answer",
    net.FAILED: "failed",
}

Leg = dict[str, Any]  # call_hash, source, destination, caller id, times, ...


def new_leg(call_hash: str, source: str, destination: str, **fields: Any) -> Leg:
    return {"call_hash": call_hash, "source": source, "destination": destination, **fields}


def placed(acct: AccountScope, call_hash: str) -> None:
    """The network began the queued call."""
    c = queued_calls.c
    acct.execute(
        acct.update(queued_calls)
        .where(c.call_hash == call_hash, c.status != ENDED)
        .values(status=PLACED)
    )


def ended(acct: AccountScope, call_hash: str, at: float, *, media_bytes: int = 0) -> None:
    """The queued call is over: its fetched audio (`media_bytes` long) is removed once this
    commits, and leaves the account's storage now."""
    c = queued_calls.c
    row = acct.execute(acct.select(queued_calls, c.media_path).where(c.call_hash == call_hash))
    media = row.scalar_one_or_none()
    if media:
        storage_usage.record(
            acct,
            subaccount_id=None,
            storage_type=FETCHED_STORAGE,
            at=at,
            removed=media_bytes,
            files_removed=1,
        )
        enqueue_removal(acct, paths=[media])
    acct.execute(
        acct.update(queued_calls)
        .where(c.call_hash == call_hash)
        .values(status=ENDED, ended_at=at, media_path="")
    )


def record_leg(
    acct: AccountScope,
    leg: Leg,
    *,
    disposition: str,
    duration: int,
    metadata: str | None,
    subaccount_id: int | None,
) -> None:
    """The leg's line in the call history, rated and billed like any outbound call."""
    peer_id = leg.get("peer_id")
    record_call(
        acct,
        CallInput(
            call_hash=leg["call_hash"],
            started_at=float(leg["created"]),
            direction="outbound",
            source=leg["callerid_number"] or leg["source"],
            destination=leg["destination"],
            duration=duration if disposition == "answered" else 0,
            disposition=disposition,
            callerid_name=leg.get("callerid_name", ""),
            callerid_number=leg["callerid_number"],
            client_peer_id=peer_id,
            client_subaccount_id=subaccount_id,
            bindings=f"peer:{peer_id}" if peer_id else "",
            destination_type=leg.get("type", "number"),
            source_details=leg.get("placed_for", ""),
            metadata=metadata,
        ),
    )


def hang_up(leg: Leg, at: float) -> tuple[str, int]:
    """End a leg the network never reported ended: its disposition and seconds talked."""
    leg["hangup"] = at
    answer = leg.get("answer")
    if answer is None:
        return "failed", 0
    return "answered", max(round(at - float(answer)), 0)


def notify(
    acct: AccountScope,
    target: Notify | None,
    leg: Leg,
    trigger: str,
    at: float,
    *,
    outbox_now: float,
    **details: Any,
) -> None:
    """A call notification of the leg (docs/sandbox.md, "Call notifications")."""
    if target is None or not target.wants(trigger):
        return
    enqueue_webhook(
        acct,
        trigger=trigger,
        subject=f"call:{leg['call_hash']}",
        payload=body(acct, leg, trigger, at, details),
        callback_url=target.url,
        occurred_at=at,
        now=outbox_now,
    )


_MOMENTS: Final = {"create": "created", "ring": "ring", "answer": "answer", "hangup": "hangup"}


def body(
    acct: AccountScope, leg: Leg, trigger: str, at: float, details: dict[str, Any]
) -> dict[str, Any]:
    return call_body(
        acct,
        trigger=trigger,
        call_hash=leg["call_hash"],
        direction="outbound",
        source=leg["callerid_number"] or leg["source"],
        destination=leg["destination"],
        at=at,
        times={name: leg.get(key) for name, key in _MOMENTS.items()},
        peer_id=leg.get("peer_id"),
        subaccount_id=leg.get("subaccount_id"),
        details=details,
    )
