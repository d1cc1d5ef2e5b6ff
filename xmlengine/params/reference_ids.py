"""Ids of the reference catalogs (countries, states, rate centers), checked against the
catalog itself."""

from __future__ import annotations

from typing import Any

from xmlengine.params.types import Int, Invalid
from xmlengine.reference import geography, nanp


class CountryId(Int):
    def __init__(self) -> None:
        super().__init__(minimum=1)

    def parse(self, raw: Any) -> int:
        value = super().parse(raw)
        if not isinstance(value, int) or geography.country(value) is None:
            raise Invalid
        return value

    def words(self) -> str:
        return "id of a country that `get_countries` lists"


class StateId(Int):
    def __init__(self) -> None:
        super().__init__(minimum=1)

    def parse(self, raw: Any) -> int:
        value = super().parse(raw)
        if not isinstance(value, int) or geography.state(value) is None:
            raise Invalid
        return value

    def words(self) -> str:
        return "id of a state that `get_states` lists"


class RatecenterId(Int):
    def __init__(self) -> None:
        super().__init__(minimum=1)

    def parse(self, raw: Any) -> int:
        value = super().parse(raw)
        if not isinstance(value, int) or nanp.ratecenter(value) is None:
            raise Invalid
        return value

    def words(self) -> str:
        return "id of a rate center that `get_ratecenters` lists"
