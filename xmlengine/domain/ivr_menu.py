"""An inbound call routed to an IVR profile (docs/sandbox.md, "An IVR's menu").

The IVR's `pre_ivr_extension` rings first, for `pre_ivr_delay` seconds; then the IVR
answers and plays its menu: the account's extensions, dialled by their number, and with
`enable_directory` the directory (by name). The sandbox caller presses the keys
`magic.menu_keys` gives; the extension chosen rings as update_extension configured it
(its queues, else its peers, else its forward number; its mailbox takes what nobody
answers). Nothing pressed, or a number that is no extension, plays the menu again, three
times in all; then the DID's mailbox takes the call, or the IVR hangs up.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from sqlalchemy import Row

from xmlengine.domain.office_hours import is_open
from xmlengine.domain.ringing import (
    NOBODY,
    Route,
    Target,
    forward,
    ids,
    in_queues,
    peers,
    seconds,
)
from xmlengine.network import magic
from xmlengine.network.interface import Attendant, Leg
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.routing_tables import extensions, ivr_profiles

ANSWER_AFTER: Final = 1.0  # the IVR picks up as the call first rings
MENU_SECONDS: Final = 10.0  # the menu plays and the caller presses its keys
MENU_PLAYS: Final = 3  # nothing pressed, or a wrong number: the menu again, this often
DIRECTORY: Final = "enable_directory"


def route(acct: AccountScope, base: Route, profile_id: int, caller: str, at: float) -> Route:
    """The IVR answers during its office hours (always without a schedule); outside them
    it rings nothing, and the DID's mailbox takes the call when enabled."""
    table = ivr_profiles
    found = acct.execute(acct.select(table).where(table.c.client_ivr_profile_id == profile_id))
    ivr = found.first()
    if ivr is None or ivr.status != "enabled":
        return base
    through = (f"ivr:{profile_id}",)
    if ivr.client_office_hour_id and not is_open(acct, ivr.client_office_hour_id, at):
        return replace(base, legs=(NOBODY,), targets=(Target(),), through=through)
    menu = _extensions(acct)
    legs: list[Leg] = []
    targets: list[Target] = []
    answers = ANSWER_AFTER
    first = menu.get(ivr.pre_ivr_extension) if ivr.pre_ivr_extension else None
    if first is not None:
        delay = float(ivr.pre_ivr_delay)
        ringing = _rings(acct, first, (f"extension:{first.client_extension_id}",), at)
        for leg, target in zip(ringing.legs, ringing.targets, strict=True):
            if leg.start < delay:  # a leg still ringing when the IVR answers is dropped
                rest = delay - leg.start
                legs.append(
                    replace(leg, timeout=rest if leg.timeout is None else min(leg.timeout, rest))
                )
                targets.append(target)
        answers += delay
    attended = replace(base, through=through)
    keys, chosen = _choice(ivr, menu, magic.menu_keys(caller))
    if chosen is None:
        until = answers + MENU_SECONDS * MENU_PLAYS
        return replace(
            attended,
            legs=tuple(legs),
            targets=tuple(targets),
            unanswered=(f"menu:{keys}",),
            attendant=Attendant(answers, until),
        )
    steps = (f"menu:{keys}", f"extension:{chosen.client_extension_id}")
    dialled = _rings(acct, chosen, steps, at)
    start = answers + MENU_SECONDS
    legs += [replace(leg, start=leg.start + start) for leg in dialled.legs]
    return replace(
        attended,
        legs=tuple(legs),
        targets=(*targets, *dialled.targets),
        unanswered=dialled.unanswered,
        voicemail=bool(chosen.enable_voicemail),
        mailbox=chosen.client_mailbox_id or 0,
        attendant=Attendant(answers, start),
    )


def _extensions(acct: AccountScope) -> dict[int, Row[Any]]:
    """The account's enabled extensions by id, in the order of their numbers."""
    query = acct.select(extensions).where(extensions.c.status == "enabled")
    rows = acct.execute(query.order_by(extensions.c.extension)).all()
    return {row.client_extension_id: row for row in rows}


def _choice(ivr: Row[Any], menu: dict[int, Row[Any]], keys: str) -> tuple[str, Row[Any] | None]:
    """What the caller's keys choose: an extension's number (1000-9999) dials it; with the
    directory, a line number from 0100 to 0999 picks by name the extension whose rank is
    its second digit (0100: the first, wrapping around); anything else presses nothing."""
    if keys.isdigit() and int(keys) >= 1000:
        found = [row for row in menu.values() if row.extension == int(keys)]
        return (keys, found[0]) if found else ("invalid", None)
    named = sorted(menu.values(), key=lambda row: (row.friendly_name.casefold(), row.extension))
    if DIRECTORY in ivr.options.split(",") and named and keys.isdigit() and int(keys) >= 100:
        return "directory", named[(int(keys) // 100 - 1) % len(named)]
    return "timeout", None


def _rings(acct: AccountScope, ext: Row[Any], steps: tuple[str, ...], at: float) -> Route:
    """What an extension rings, each target's binding led by `steps` and the queues
    passed: its queues, else its peers (together, for `peer_timeout`), else its forward
    number. An extension with none of these rings nothing."""
    found = Route()
    if ids(ext.client_queue_ids):
        found = in_queues(acct, found, ids(ext.client_queue_ids), at)
    elif ext.enable_peer and ids(ext.client_peer_ids):
        found = peers(found, ids(ext.client_peer_ids), seconds(ext.peer_timeout), together=True)
    elif ext.enable_forwarding and ext.forward_number:
        found = forward(found, ext.forward_number, ext.forward_timeout)
    lead = (*steps, *found.through)
    targets = tuple(
        Target(",".join((*lead, target.binding)).rstrip(","), target.peer_id)
        for target in found.targets
    )
    return Route(legs=found.legs, targets=targets, unanswered=lead)
