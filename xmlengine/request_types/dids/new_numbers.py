"""The handlers of the inventory, its orders, the numbering plan and the lookups
(declared in `inventory`): the plan of reference/nanp.py, the inventory of
domain/inventory.py, the orders of domain/did_orders.py."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, TypeVar

from xmlengine.domain import billing, did_activation, did_orders, inventory
from xmlengine.domain.calls.geography import locate
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.reference import geography, nanp
from xmlengine.request_types.dids.family import family
from xmlengine.request_types.dids.inventory import (
    ActivateNewDid,
    GetDidAreacodes,
    GetDidExchanges,
    GetNewDids,
    GetRatecenters,
    LookupDid,
    OrderNewDids,
)
from xmlengine.storage.account_scope import AccountScope

NEW_DIDS_LIMIT: Final = 100  # numbers in one answer of get_new_dids
LOOKUP_FEE: Final = 0.01  # CAD, per lookup_did


def _place(state_id: int | None, country_id: int | None, show: Presentation) -> dict[str, Any]:
    state = geography.state(state_id) if state_id else None
    country = geography.country(country_id) if country_id else None
    return {
        "state_id": state_id or "",
        "state": state.name(show.language) if state else "",
        "country_id": country_id or "",
        "country": country.name(show.language) if country else "",
    }


def _center(center: nanp.Ratecenter, show: Presentation) -> dict[str, Any]:
    return {
        "ratecenter_id": center.ratecenter_id,
        "ratecenter": center.name,
        **_place(center.state_id, center.country_id, show),
    }


def _exchanges(args: GetDidAreacodes | GetDidExchanges | GetRatecenters) -> list[nanp.Exchange]:
    return nanp.exchanges(
        npa=args.npa,
        nxx=getattr(args, "nxx", None),
        ratecenter_id=int(args.ratecenter_id) if args.ratecenter_id else None,
        state_id=args.state_id,
        country_id=args.country_id,
    )


def _page(
    container: str, item: str, rows: list[dict[str, Any]], args: GetDidExchanges | GetRatecenters
) -> Reply:
    """One page of rows; the plan is dated by its data: `updated_since` later keeps none."""
    kept = rows if args.updated_since is None or args.updated_since <= nanp.DATA_DATE else []
    offset = args.result_offset or 0
    page = kept[offset : offset + args.result_limit]
    return Reply(
        [
            listing(
                container,
                item,
                page,
                result_count=len(page),
                result_total=len(kept),
                result_limit=args.result_limit,
                result_offset=offset,
            )
        ]
    )


@family.handler(GetDidAreacodes)
def get_did_areacodes(args: GetDidAreacodes, acct: AccountScope, show: Presentation) -> Reply:
    rows = [
        {"npa": a.npa, **_place(a.state_id, a.country_id, show)}
        for a in nanp.areacodes(_exchanges(args))
    ]
    return Reply([listing("areacodes", "areacode_details", rows, result_count=len(rows))])


@family.handler(GetDidExchanges)
def get_did_exchanges(args: GetDidExchanges, acct: AccountScope, show: Presentation) -> Reply:
    rows = [
        {
            "npa": e.npa,
            "nxx": e.nxx,
            **_center(e.ratecenter, show),
            "portability": 1,
            "availability": int(inventory.stocked(e)),
            "date_updated": nanp.DATA_DATE.isoformat(),
        }
        for e in _exchanges(args)
        if args.availability is None or int(inventory.stocked(e)) == args.availability
    ]
    if args.portability == 0:
        rows = []  # every exchange of the sandbox is portable
    return _page("exchanges", "exchange_details", rows, args)


@family.handler(GetRatecenters)
def get_ratecenters(args: GetRatecenters, acct: AccountScope, show: Presentation) -> Reply:
    found = _exchanges(args)
    npas: dict[int, list[str]] = {}
    for e in found:
        listed = npas.setdefault(e.ratecenter.ratecenter_id, [])
        if e.npa not in listed:
            listed.append(e.npa)
    rows = [
        {
            **_center(c, show),
            "npa": ",".join(npas[c.ratecenter_id]),
            "date_updated": nanp.DATA_DATE.isoformat(),
        }
        for c in nanp.ratecenters(found)
    ]
    return _page("ratecenters", "ratecenter_details", rows, args)


def _district_first(found: list[nanp.Exchange], district: str | None) -> list[nanp.Exchange]:
    """Exchanges whose rate center contains the district; complete matches first."""
    if district is None:
        return found
    wanted = district.casefold()
    kept = [e for e in found if wanted in e.ratecenter.name.casefold()]
    return sorted(kept, key=lambda e: e.ratecenter.name.casefold() != wanted)


def _new_dids(args: GetNewDids, acct: AccountScope) -> list[inventory.NewNumber]:
    taken = inventory.taken(acct)
    picked: list[inventory.NewNumber] = []
    for offered in _offered(args):
        numbers = (n for n in offered if n.phone_number not in taken)
        wanted = inventory.matching(
            numbers,
            args.included_patterns,
            t38=bool(args.t38_support),
            sms=bool(args.sms_support),
        )
        picked.extend(wanted)
        if len(picked) >= NEW_DIDS_LIMIT:
            break
    if args.order == "random":
        random.shuffle(picked)
    return picked[:NEW_DIDS_LIMIT]


def _offered(args: GetNewDids) -> Iterator[Sequence[inventory.NewNumber]]:
    """The numbers of each exchange or block the filters leave, type after type (local,
    toll-free, international, iNum without `type`). `npa` and `nxx` name a North American
    exchange (toll-free ones too); a rate center, a state and a district are those of a
    local number, the district also the place of a number abroad."""
    shuffled = args.order == "random"
    kinds = [args.type] if args.type else list(TYPES)
    local_only = args.ratecenter_id or args.state_id
    for kind in kinds:
        if kind == inventory.LOCAL:
            found = _district_first(
                nanp.exchanges(
                    npa=args.npa,
                    nxx=args.nxx,
                    ratecenter_id=int(args.ratecenter_id) if args.ratecenter_id else None,
                    state_id=args.state_id,
                ),
                args.district,
            )
            yield from map(inventory.numbers_of, _in_order(found, shuffled))
        elif kind == inventory.TOLLFREE and not (local_only or args.district):
            prefixes = [
                prefix
                for prefix in inventory.tollfree_exchanges()
                if (args.npa is None or prefix[:3] == args.npa)
                and (args.nxx is None or prefix[3:] == args.nxx)
            ]
            yield from map(inventory.tollfree_numbers_of, _in_order(prefixes, shuffled))
        elif kind in (inventory.INTERNATIONAL, inventory.INUM) and not (
            local_only or args.npa or args.nxx
        ):
            inum = kind == inventory.INUM
            regions = [r for r in inventory.ABROAD if (r == "001") == inum]
            blocks = [inventory.abroad_numbers_of(r) for r in _in_order(regions, shuffled)]
            yield _district_abroad([n for block in blocks for n in block], args.district)


TYPES: Final = (inventory.LOCAL, inventory.TOLLFREE, inventory.INTERNATIONAL, inventory.INUM)
T = TypeVar("T")


def _in_order(items: list[T], shuffled: bool) -> list[T]:
    if shuffled:
        random.shuffle(items)
    return items


def _district_abroad(
    numbers: list[inventory.NewNumber], district: str | None
) -> list[inventory.NewNumber]:
    """Numbers abroad whose place contains the district; complete matches first."""
    if district is None:
        return numbers
    wanted = district.casefold()
    kept = [n for n in numbers if wanted in n.locality.casefold()]
    return sorted(kept, key=lambda n: n.locality.casefold() != wanted)


def _number_rows(numbers: Iterable[inventory.NewNumber], show: Presentation) -> list[Any]:
    return [
        {
            "did_id": n.did_id,
            "did": n.phone_number,
            "npa": n.npa,
            "nxx": n.nxx,
            **(
                _center(n.exchange.ratecenter, show)
                if n.exchange
                else {
                    "ratecenter_id": "",
                    "ratecenter": n.locality,
                    **_place(None, n.country_id, show),
                }
            ),
            "type": n.type,
            "patterns": ",".join(p for p in inventory.PATTERNS if p in n.patterns),
            "t38_support": int(n.t38_support),
            "sms_support": int(n.sms_support),
            "setup": show.money(did_activation.FEES[n.type][0]),
            "monthly": show.money(did_activation.FEES[n.type][1]),
        }
        for n in numbers
    ]


@family.handler(GetNewDids)
def get_new_dids(args: GetNewDids, acct: AccountScope, show: Presentation) -> Reply:
    rows = _number_rows(_new_dids(args, acct), show)
    return Reply([listing("dids", "did_details", rows, result_count=len(rows))])


@family.handler(ActivateNewDid)
def activate_new_did(args: ActivateNewDid, acct: AccountScope, show: Presentation) -> Reply:
    if args.phone_number:
        number = inventory.find(args.phone_number)
    else:
        number = inventory.by_did_id(args.did_id or 0)
    if number is None or not inventory.available(acct, number):
        raise ApiError(["phone_number_not_found" if args.phone_number else "did_id_invalid"])
    did_id = did_activation.activate(acct, number, notify=not args.skip_notification)
    rows = _number_rows([number], show)
    return Reply([El("client_did_id", str(did_id)), listing("dids", "did_details", rows)])


@family.handler(LookupDid)
def lookup_did(args: LookupDid, acct: AccountScope, show: Presentation) -> Reply:
    place = locate(args.phone_number)
    if place.country_id is None:
        raise ApiError(["phone_number_invalid"])
    exchange = nanp.exchange(place.normalized[1:]) if place.region in ("US", "CA") else None
    center = (
        _center(exchange.ratecenter, show)
        if exchange
        else {
            "ratecenter_id": "",
            "ratecenter": place.district,
            **_place(place.state_id, place.country_id, show),
        }
    )
    billing.charge(
        acct,
        service="lookup_did",
        amount=LOOKUP_FEE,
        at=acct.clock.now(),
        reference=place.normalized,
        description=f"lookup {place.normalized}",
    )
    row = {
        "phone_number": args.phone_number,
        "normalized": place.normalized,
        **center,
        "type": "tollfree" if place.toll_free else "local" if exchange else "international",
        "portable": int(exchange is not None),
        "in_inventory": int(inventory.find(place.normalized) is not None),
        "cost": show.money(LOOKUP_FEE),
    }
    return Reply([listing("lookup", "lookup_details", [row], result_count=1)])


@family.handler(OrderNewDids)
def order_new_dids(args: OrderNewDids, acct: AccountScope, show: Presentation) -> Reply:
    ratecenter_id = int(args.ratecenter_id) if args.ratecenter_id else None
    if args.prefix and not did_orders.known_prefix(args.prefix, args.type):
        raise ApiError(["prefix_not_found"])
    if ratecenter_id is not None and nanp.ratecenter(ratecenter_id) is None:
        raise ApiError(["ratecenter_id_not_found"])
    features = [name for name in ("t38", "sms", "mms") if getattr(args, f"{name}_support")]
    order = did_orders.Order(
        prefix=args.prefix or "",
        ratecenter_id=None if args.prefix else ratecenter_id,
        type=args.type,
        quantity=args.quantity,
        prefix_preference=args.prefix_preference,
        sequential=args.sequential,
        features=features,
        capacity=args.capacity,
        comments=args.comments or "",
    )
    order_id = did_orders.place(acct, order)
    return Reply([El("did_order_id", str(order_id)), El("status", "pending")])
