"""Arrays of records: plain mappings (`Records`), or records whose fields are a parameter
table of their own (`RecordsOf`).

The guide nests tables: `action[0][usage_type]=forward`, `sources[1][value]=...`,
`shift[0][days]=2`. Each record is parsed against a `Params` subclass, so a record's
fields are declared like any request's parameters (types, needs, rules) and the guide
comparison can read them. The guide also shows these arrays sent as a JSON string.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from xmlengine.params.describing import Schema
from xmlengine.params.rules import declared_rules
from xmlengine.params.table import Params
from xmlengine.params.types import Invalid, Owner, ParamType


@dataclass
class Records(ParamType):
    """A nested array of records, `action[0][usage_type]=...`, each parsed by `item`."""

    item: Callable[[Mapping[str, Any]], Any] | None = None
    min_count: int = 0
    max_count: int | None = None
    doc = "array"

    def parse(self, raw: Any) -> list[Any]:
        rows = list(raw.values()) if isinstance(raw, Mapping) else raw
        if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
            raise Invalid
        if len(rows) < self.min_count or (self.max_count and len(rows) > self.max_count):
            raise Invalid
        return [self.item(row) if self.item else dict(row) for row in rows]

    def words(self) -> str:
        return "array of records, as PHP form keys (`name[0][field]=...`)"

    def item_schema(self) -> Schema:
        return {"type": "object"}


@dataclass
class RecordsOf(ParamType):
    """A list of records, each parsed by `record`; `codes` renames a record's error codes
    to the guide's (`type_invalid` of a dispatch source is `source_type_invalid`)."""

    record: type[Params] = Params
    min_count: int = 0
    max_count: int | None = None
    codes: Mapping[str, str] = field(default_factory=dict)
    doc = "array"

    def parse(self, raw: Any) -> list[Params]:
        rows = _rows(raw)
        if len(rows) < self.min_count or (self.max_count and len(rows) > self.max_count):
            raise Invalid
        records: list[Params] = []
        errors: list[str] = []
        for row in rows:
            parsed, found = self.record.parse(row)
            records.append(parsed)
            errors.extend(self.codes.get(code, code) for code in found)
        if errors:
            # One code per parameter reaches the answer: the first problem, in record order.
            raise Invalid(errors[0])
        return records

    def words(self) -> str:
        return "array of records (`name[0][field]=...`, or a JSON array)"

    def schema(self) -> Schema:
        return {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": {"type": "array", "items": self.record.schema()},
        }

    def error_codes(self, invalid_code: str) -> tuple[str, ...]:
        found = (code for param in self.record.table.values() for code in param.error_codes())
        rules = (code for rule in declared_rules(self.record) for code in rule.codes)
        return tuple(dict.fromkeys(self.codes.get(c, c) for c in (invalid_code, *found, *rules)))

    @property
    def has_check(self) -> bool:
        return any(param.type.has_check for param in self.record.table.values())

    def check(self, value: Any, owner: Owner) -> bool:
        return all(
            param.type.check(item, owner)
            for record in value
            for param, item in record.parsed.checks
        )


def _rows(raw: Any) -> list[Mapping[str, Any]]:
    """Records from `a[0][b]=` (a mapping of mappings), a list, or a JSON array string."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise Invalid from None
        if isinstance(raw, list):
            raw = [_text_values(row) for row in raw]
    rows = list(raw.values()) if isinstance(raw, Mapping) else raw
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise Invalid
    return rows


def _text_values(row: Any) -> Any:
    """JSON numbers as the text a form would carry, so one parser reads both."""
    if not isinstance(row, Mapping):
        return row
    return {
        key: value if isinstance(value, str | list | Mapping) or value is None else str(value)
        for key, value in row.items()
    }
