"""Smart caller ID: the name and number a caller ID profile's conditions give a call.

The conditions of an enabled profile are tried in `order_index` order (then by id); the
first whose match methods all hold gives the caller ID: its DID's number or its
`callerid_number`, its `callerid_name`, each falling back to the profile's own
(`default_client_did_id`, then `callerid_number`; `callerid_name`). A condition without
match methods holds for every call; when none holds, the profile's own caller ID is used.
Numbers are compared in their national form (10 digits in North America).

`radius_from_destination` holds when the destination's rate center lies within
`radius_distance` km of the condition's rate center (reference/positions.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Row

from xmlengine.domain.calls.geography import digits_only, e164_digits, locate
from xmlengine.reference import positions
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.callerid_tables import callerid_conditions, callerid_profiles
from xmlengine.storage.did_tables import dids
from xmlengine.storage.peer_tables import peers

# Each match method of the guide and the condition values it compares the call with.
METHOD_NEEDS: Final[Mapping[str, tuple[str, ...]]] = {
    "local_to_destination": (),
    "radius_from_destination": ("ratecenter_id", "radius_distance"),
    "source_number_match": ("source_number",),
    "destination_number_match": ("destination_number",),
    "region": ("country_id",),
    "source_regexp": ("source_regexp",),
    "destination_regexp": ("destination_regexp",),
}


@dataclass(frozen=True, slots=True)
class CallerId:
    number: str
    name: str


@dataclass(frozen=True, slots=True)
class Call:
    """What a condition looks at: the caller's number, the dialed one, the number it
    would show."""

    source: str
    destination: str
    shown: str


def national(number: str) -> str:
    digits = e164_digits(digits_only(number))
    if len(digits) == 11 and digits.startswith("1"):
        return digits[1:]
    return digits or number


def _local(condition: Any, call: Call) -> bool:
    """The shown number is in the destination's locality (same area code when either
    has none in the numbering data)."""
    here, there = locate(call.shown), locate(call.destination)
    if here.district and there.district:
        return (here.district, here.state_id) == (there.district, there.state_id)
    return bool(call.shown) and national(call.shown)[:3] == national(call.destination)[:3]


def _region(condition: Any, call: Call) -> bool:
    place = locate(call.destination)
    if place.country_id != condition.country_id:
        return False
    return condition.state_id is None or place.state_id == condition.state_id


def _radius(condition: Any, call: Call) -> bool:
    """The destination's rate center is within `radius_distance` km of the condition's
    (a destination outside the numbering plan's exchanges is at no known place)."""
    center = positions.of_ratecenter(condition.ratecenter_id)
    there = positions.of_number(national(call.destination))
    if center is None or there is None:
        return False
    return positions.distance_km(center, there) <= int(condition.radius_distance)


MATCHES: Final[Mapping[str, Callable[[Any, Call], bool]]] = {
    "local_to_destination": _local,
    "radius_from_destination": _radius,
    "source_number_match": lambda c, call: national(call.source).startswith(c.source_number),
    "destination_number_match": (
        lambda c, call: national(call.destination).startswith(c.destination_number)
    ),
    "region": _region,
    "source_regexp": lambda c, call: re.search(c.source_regexp, national(call.source)) is not None,
    "destination_regexp": (
        lambda c, call: re.search(c.destination_regexp, national(call.destination)) is not None
    ),
}


def ordered(rows: Iterable[Row[Any]]) -> list[Row[Any]]:
    """Conditions in the order they are tried."""
    return sorted(rows, key=lambda r: (r.order_index, r.client_callerid_profile_data_id))


def _did_numbers(acct: AccountScope, ids: set[int]) -> dict[int, str]:
    query = acct.select(dids, dids.c.client_did_id, dids.c.phone_number)
    rows = acct.execute(query.where(dids.c.client_did_id.in_(ids)))
    return {int(row.client_did_id): str(row.phone_number) for row in rows}


def choose(acct: AccountScope, profile_id: int, source: str, destination: str) -> CallerId | None:
    """The caller ID the profile gives a call; None when the profile is gone, disabled or
    gives no number."""
    p = callerid_profiles.c
    profile = acct.execute(
        acct.select(callerid_profiles).where(
            p.client_callerid_profile_id == profile_id, p.status == "enabled"
        )
    ).first()
    if profile is None:
        return None
    c = callerid_conditions.c
    found = acct.execute(
        acct.select(callerid_conditions).where(c.client_callerid_profile_id == profile_id)
    )
    candidates = ordered(found)
    wanted = {r.client_did_id for r in candidates if r.client_did_id}
    numbers = _did_numbers(acct, wanted | {profile.default_client_did_id or 0})
    default = numbers.get(profile.default_client_did_id or 0) or profile.callerid_number
    for condition in candidates:
        shown = numbers.get(condition.client_did_id or 0) or condition.callerid_number or default
        call = Call(source, destination, shown)
        methods = [m for m in condition.match_methods.split(",") if m]
        if all(MATCHES[m](condition, call) for m in methods):
            name = condition.callerid_name or profile.callerid_name
            return CallerId(shown, name) if shown else None
    return CallerId(default, profile.callerid_name) if default else None


def for_peer(acct: AccountScope, peer_id: int, source: str, destination: str) -> CallerId | None:
    """A `smart` peer's caller ID for a call it places; None for the other modes (the
    peer's own caller ID stands)."""
    c = peers.c
    peer = acct.execute(
        acct.select(peers, c.callerid_mode, c.client_callerid_profile_id).where(
            c.client_peer_id == peer_id
        )
    ).first()
    if peer is None or peer.callerid_mode != "smart" or not peer.client_callerid_profile_id:
        return None
    return choose(acct, peer.client_callerid_profile_id, source, destination)
