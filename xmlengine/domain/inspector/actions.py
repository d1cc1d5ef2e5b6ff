"""What the inspector does: place traffic, send a webhook delivery again.

Placing is an inbound call, SMS or fax toward one of the account's DIDs, now.

The page may be served by any process while the network runs in one: placing writes a
network job of kind `placed` (docs/network-jobs.md), in the request's transaction, and
the network owner hands it to the traffic generator's own path (domain/sandbox/placed.py):
the call, message or fax then lives exactly as generated traffic does.

The caller's number chooses the outcome (docs/sandbox.md, "Magic numbers"): the presets
are numbers ending in each magic suffix.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Final

from xmlengine.domain import fax_profiles
from xmlengine.domain.sandbox.placed import KIND
from xmlengine.domain.sms.settings import sms_line
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids
from xmlengine.work.network_jobs import queue_job
from xmlengine.work.webhooks import redeliver

WHAT: Final = ("call", "sms", "fax")
TEXT_LIMIT: Final = 160

# The caller's number for each outcome the page offers (the last four digits choose).
PRESETS: Final = (
    ("answered", "5145557342"),
    ("busy", "5145550001"),
    ("no answer", "5145550002"),
    ("failed", "5145550003"),
    ("voicemail (call) / no fax tone (fax)", "5145550004"),
)


@dataclass(frozen=True, slots=True)
class Did:
    client_did_id: int
    number: str
    sms: bool  # receives SMS
    fax: bool  # receives faxes (an enabled fax profile)


class Refused(ValueError):
    """What was asked cannot be placed; the message says why, for the page."""


def dids_of(acct: AccountScope) -> list[Did]:
    """The account's enabled DIDs, with what each can receive."""
    d = dids.c
    rows = acct.execute(
        acct.select(dids, d.client_did_id, d.phone_number)
        .where(d.status == "enabled")
        .order_by(d.client_did_id)
    ).all()
    found = []
    for row in rows:
        line = sms_line(acct, client_did_id=row.client_did_id)
        fax = fax_profiles.for_did(acct, row.client_did_id) is not None
        found.append(
            Did(row.client_did_id, row.phone_number, line is not None and line.receives, fax)
        )
    return found


def place(acct: AccountScope, what: str, did_id: int, caller: str, text: str = "") -> str:
    """Queue an inbound `what` from `caller` to the DID for the network owner; its job ref."""
    if what not in WHAT:
        raise Refused("choose a call, an SMS or a fax")
    digits = "".join(ch for ch in caller if ch.isdigit())
    if len(digits) != 10:
        raise Refused("the caller's number has ten digits")
    did = next((d for d in dids_of(acct) if d.client_did_id == did_id), None)
    if did is None:
        raise Refused("choose one of your enabled DIDs")
    if what == "sms" and not did.sms:
        raise Refused(f"{did.number} does not receive SMS (update_did: enable_sms)")
    if what == "fax" and not did.fax:
        raise Refused(f"{did.number} does not receive faxes (update_did: enable_fax)")
    if what == "sms" and not 0 < len(text.strip()) <= TEXT_LIMIT:
        raise Refused(f"an SMS has a text of 1 to {TEXT_LIMIT} characters")
    ref = uuid.uuid4().hex
    payload = {"what": what, "did_id": did.client_did_id, "number": did.number, "caller": digits}
    if what == "sms":
        payload["text"] = text.strip()
    queue_job(acct, KIND, ref, payload)
    return ref


def redeliver_webhook(acct: AccountScope, delivery_id: str) -> bool:
    """Send one of the account's deliveries again (as `redeliver_webhook` does); whether
    it is one of them."""
    return len(delivery_id) == 32 and redeliver(acct, delivery_id)
