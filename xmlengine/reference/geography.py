"""Countries and states/provinces with the production service's ids.

Country ids are those of the classic osCommerce ``countries`` table (38 is Canada,
223 the United States); state ids put Canada's provinces and territories first
(British Columbia is 2), then the US states, DC and territories.
The data lives in ``data/countries.csv`` and ``data/states.csv``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final, NamedTuple

CANADA: Final = 38
UNITED_STATES: Final = 223


@dataclass(frozen=True, slots=True)
class Country:
    country_id: int
    iso2: str
    iso3: str
    name_en: str
    name_fr: str
    dialing_code: str

    def name(self, language: str) -> str:
        return self.name_fr if language.lower().startswith("fr") else self.name_en


@dataclass(frozen=True, slots=True)
class State:
    state_id: int
    country_id: int
    code: str
    name_en: str
    name_fr: str

    def name(self, language: str) -> str:
        return self.name_fr if language.lower().startswith("fr") else self.name_en


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def countries() -> tuple[Country, ...]:
    return tuple(
        Country(
            int(r["country_id"]),
            r["iso2"],
            r["iso3"],
            r["name_en"],
            r["name_fr"],
            r["dialing_code"],
        )
        for r in _rows("countries.csv")
    )


@cache
def _all_states() -> tuple[State, ...]:
    return tuple(
        State(int(r["state_id"]), int(r["country_id"]), r["code"], r["name_en"], r["name_fr"])
        for r in _rows("states.csv")
    )


class _Index(NamedTuple):
    country_by_id: dict[int, Country]
    country_by_iso2: dict[str, Country]
    state_by_id: dict[int, State]
    states_by_country: dict[int, tuple[State, ...]]


@cache
def _index() -> _Index:
    by_country: dict[int, list[State]] = {}
    for s in _all_states():
        by_country.setdefault(s.country_id, []).append(s)
    return _Index(
        {c.country_id: c for c in countries()},
        {c.iso2: c for c in countries()},
        {s.state_id: s for s in _all_states()},
        {cid: tuple(items) for cid, items in by_country.items()},
    )


def country(country_id: int) -> Country | None:
    return _index().country_by_id.get(country_id)


def country_by_iso2(iso2: str) -> Country | None:
    return _index().country_by_iso2.get(iso2.upper())


def states(country_id: int | None = None) -> tuple[State, ...]:
    if country_id is None:
        return _all_states()
    return _index().states_by_country.get(country_id, ())


def state(state_id: int) -> State | None:
    return _index().state_by_id.get(state_id)


def state_by_code(country_id: int, code: str) -> State | None:
    wanted = code.upper()
    return next((s for s in states(country_id) if s.code == wanted), None)
