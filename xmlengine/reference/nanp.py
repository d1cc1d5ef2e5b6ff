"""The North American numbering plan of Canada and the United States: area codes (NPA),
exchanges (NPA-NXX) and the rate centers they belong to.

Built from the prefixes `phonenumbers` geocodes ("1604248" -> "Richmond, BC"): a shorter
prefix ("1212" -> "New York, NY") stands for every exchange under it that no longer
prefix names, and a rate center is a locality of a state or province; a prefix the data
places only in a state names no exchange. The geocoder's data is loaded by the
process anyway (domain/calls/geography.py), so the plan is built from it on first use instead of at
start or in the database. Rate center ids are six digits derived from the locality's
name, so an upgrade of the data keeps the ids of the rate centers it keeps.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Final, NamedTuple

from phonenumbers.geodata import GEOCODE_DATA

from xmlengine.reference import geography

COUNTRIES: Final = (geography.CANADA, geography.UNITED_STATES)
# The date the plan's rows are dated (`date_updated`, `updated_since`): the sandbox's plan
# changes only with the pinned phonenumbers release.
DATA_DATE: Final = dt.date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class Ratecenter:
    ratecenter_id: int
    name: str  # the locality: "Richmond"
    state_id: int
    country_id: int


@dataclass(frozen=True, slots=True)
class Exchange:
    npa: str
    nxx: str
    ratecenter: Ratecenter

    @property
    def prefix(self) -> str:
        return self.npa + self.nxx


@dataclass(frozen=True, slots=True)
class Areacode:
    npa: str
    state_id: int
    country_id: int


class Plan(NamedTuple):
    exchanges: tuple[Exchange, ...]  # by NPA, then NXX
    by_prefix: dict[str, Exchange]
    ratecenters: dict[int, Ratecenter]
    areacodes: tuple[Areacode, ...]


def _state(code: str) -> geography.State | None:
    for country_id in COUNTRIES:
        found = geography.state_by_code(country_id, code)
        if found is not None:
            return found
    return None


def _localities() -> dict[str, tuple[str, geography.State]]:
    """Every NANP exchange the data names a locality for: prefix -> (locality, state)."""
    found: dict[str, tuple[str, geography.State]] = {}
    # Shorter prefixes first, so that a longer one overrides the span it refines.
    for key in sorted((k for k in GEOCODE_DATA if k[0] == "1" and 4 <= len(k) <= 7), key=len):
        city, _, code = GEOCODE_DATA[key].get("en", "").rpartition(", ")
        state = _state(code) if city else None
        if state is None:
            continue
        span = 10 ** (7 - len(key))
        for n in range(span):
            prefix = key[1:] + (str(n).zfill(7 - len(key)) if span > 1 else "")
            if prefix[3] not in "01":  # an NXX starts with 2-9
                found[prefix] = (city, state)
    return found


def _ratecenters(places: set[tuple[str, geography.State]]) -> dict[tuple[str, int], Ratecenter]:
    """Ids of six digits from the locality's name; a clash takes the next free id."""
    centers: dict[tuple[str, int], Ratecenter] = {}
    taken: set[int] = set()
    for city, state in sorted(places, key=lambda item: (item[1].state_id, item[0])):
        rid = zlib.crc32(f"{state.code}:{city}".encode()) % 900_000 + 100_000
        while rid in taken:
            rid = rid + 1 if rid < 999_999 else 100_000
        taken.add(rid)
        centers[(city, state.state_id)] = Ratecenter(rid, city, state.state_id, state.country_id)
    return centers


@cache
def plan() -> Plan:
    localities = _localities()
    centers = _ratecenters(set(localities.values()))
    exchanges = tuple(
        Exchange(prefix[:3], prefix[3:], centers[(city, state.state_id)])
        for prefix, (city, state) in sorted(localities.items())
    )
    areacodes: dict[str, Areacode] = {}
    for e in exchanges:
        areacodes.setdefault(e.npa, Areacode(e.npa, e.ratecenter.state_id, e.ratecenter.country_id))
    return Plan(
        exchanges,
        {e.prefix: e for e in exchanges},
        {c.ratecenter_id: c for c in centers.values()},
        tuple(areacodes.values()),
    )


def exchange(prefix: str) -> Exchange | None:
    """The exchange of a number's first six digits (NPA and NXX), when the data has it."""
    return plan().by_prefix.get(prefix[:6])


def ratecenter(ratecenter_id: int) -> Ratecenter | None:
    return plan().ratecenters.get(ratecenter_id)


def exchanges(
    *,
    npa: str | None = None,
    nxx: str | None = None,
    ratecenter_id: int | None = None,
    state_id: int | None = None,
    country_id: int | None = None,
) -> list[Exchange]:
    """The exchanges matching every filter given, by NPA then NXX."""
    return [
        e
        for e in plan().exchanges
        if (npa is None or e.npa == npa)
        and (nxx is None or e.nxx == nxx)
        and (ratecenter_id is None or e.ratecenter.ratecenter_id == ratecenter_id)
        and (state_id is None or e.ratecenter.state_id == state_id)
        and (country_id is None or e.ratecenter.country_id == country_id)
    ]


def ratecenters(found: list[Exchange]) -> list[Ratecenter]:
    """The rate centers of these exchanges, once each, in the order of their first exchange."""
    return list({e.ratecenter.ratecenter_id: e.ratecenter for e in found}.values())


def areacodes(found: list[Exchange]) -> list[Areacode]:
    npas = {e.npa for e in found}
    return [a for a in plan().areacodes if a.npa in npas]
