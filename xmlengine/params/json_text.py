"""A JSON document sent as one parameter's text (`business_hours={"month4": ...}`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from xmlengine.params.describing import Schema
from xmlengine.params.types import Invalid, ParamType


@dataclass
class Json(ParamType):
    """JSON text whose top level is an object (or an array, with `array=True`).

    A PHP-style nested form (`business_hours[month4][day22][0][start]=...`) arrives as a
    mapping and is taken as the object it spells.
    """

    array: bool = False
    max_len: int = 65536
    doc = "json"

    def parse(self, raw: Any) -> Any:
        if isinstance(raw, dict | list):
            value: Any = raw
        elif isinstance(raw, str) and len(raw) <= self.max_len:
            try:
                value = json.loads(raw)
            except ValueError:
                raise Invalid from None
        else:
            raise Invalid
        if not isinstance(value, list if self.array else dict):
            raise Invalid
        return value

    def words(self) -> str:
        top = "array" if self.array else "object"
        return f"JSON {top}, as text or as PHP form keys, at most {self.max_len} characters"

    def item_schema(self) -> Schema:
        return {"type": "string", "contentMediaType": "application/json"}
