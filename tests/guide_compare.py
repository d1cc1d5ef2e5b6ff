"""A declared parameter beside the guide's row: its type, default and allowed values.

The guide's type words are loose ("string" for ids and dates, "integer" for phone numbers
and 1/0 switches), so each word stands for the kinds of our types it may mean; a row
that lists its values may also be an enum (or a switch, for "1" or "0"). Defaults are
compared as the guide words them: "NULL", an empty text and, for an id, 0 are none; a
default the guide says is decided when the request runs ("today", "account preferred
language") is declared as none.
"""

from __future__ import annotations

import re
from typing import Any

from tests.guide_tables import GuideParam
from xmlengine.params.addresses import Phone
from xmlengine.params.json_text import Json
from xmlengine.params.metadata import PhpSerializedArray
from xmlengine.params.records import Records, RecordsOf
from xmlengine.params.table import Param
from xmlengine.params.types import (
    Bool,
    Choice,
    Date,
    DateTime,
    Digits,
    Hash,
    Hex,
    Int,
    ParamType,
    Text,
    Upload,
    YesNo,
)

SCALARS = {"text", "enum", "digits", "integer", "bool", "yesno", "date", "datetime", "hash"}
WORDS: dict[str, set[str]] = {
    "string": SCALARS,  # the guide's word for any single value
    "alphanum": {"text", "hash"},
    "hex": {"hash"},
    "digits": {"digits"},
    "integer": {"integer", "digits", "bool"},  # ids, counts, phone numbers, 1 = enabled
    "int": {"integer", "digits", "bool"},
    "number": {"integer", "digits"},
    "enum": {"enum", "many"},  # one of a list, or a list of ids
    "array": {"many", "records"},
    "json": {"json", "records"},
    "json/array": {"records"},
    "date": {"date"},
    "datetime": {"datetime"},
    "bool": {"bool"},
    "boolean": {"bool"},
    "file": {"file"},
    "serialized array": {"serialized"},
}
# Defaults the guide states as what the request finds when it runs: declared as none.
DECIDED_WHEN_RUN = (
    "today",
    "current date",
    "time",
    "account",
    "based on account",
    "fax profile",
    "main_account",
    "all status",
    "both",
    "as soon as possible",
    "provided",
    "0000-00-00 00:00:00",  # "not suspended" (update_queue)
)


def kind(declared: ParamType) -> str:
    """What a type of ours is, in the words the comparison uses."""
    kinds: list[tuple[type | tuple[type, ...], str]] = [
        (Choice, "enum"),
        (Bool, "bool"),
        (YesNo, "yesno"),
        (Int, "integer"),
        ((Digits, Phone), "digits"),
        ((Hash, Hex), "hash"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Upload, "file"),
        (Json, "json"),
        ((RecordsOf, Records), "records"),
        (PhpSerializedArray, "serialized"),
    ]
    for types, name in kinds:
        if isinstance(declared, types):
            return name
    return "datetime" if declared.doc == "datetime" else "text"


def declared_kinds(declared: ParamType) -> set[str]:
    found = {kind(declared)}
    return found | {"many"} if getattr(declared, "many", False) else found


def guide_kinds(row: GuideParam) -> set[str]:
    """The kinds the row's type word and values allow."""
    words = row.word.split() if row.word != "serialized array" else [row.word]
    allowed = set().union(*(WORDS.get(word, set()) for word in words))
    values = guide_values(row)
    if values:
        allowed.add("enum")
        if set(values) <= {"0", "1"}:
            allowed |= {"bool", "integer"}
        if set(values) == {"yes", "no"}:
            allowed.add("yesno")
    return allowed


def guide_values(row: GuideParam) -> set[str] | None:
    """The allowed values; an empty one ("" (empty)) is the parameter left out."""
    values = row.values
    return None if values is None else {v for v in values if v}


def lengths(declared: ParamType) -> set[tuple[int, int]]:
    """The (shortest, longest) values a text, digits or hash type takes."""
    if isinstance(declared, Hash):
        return {(n, n) for n, on in ((32, declared.plain_form), (36, declared.uuid_form)) if on}
    if isinstance(declared, Hex):
        return {(declared.length, declared.length)}
    if isinstance(declared, Digits):
        return {(declared.min_len, declared.max_len or declared.min_len)}
    if isinstance(declared, Phone | Text):
        return {(declared.min_len, declared.max_len or 0)}
    return set()


def guide_default(row: GuideParam, param: Param) -> str | None:
    """The default in the words of a declared one: None for NULL and what the request finds."""
    text = row.default
    if text is None or text.lower() == "null" or text.lower().startswith(DECIDED_WHEN_RUN):
        return None
    if param.type.kind is not None and text == "0":
        return None  # an id of 0 stands for none
    if number := re.match(r"(\d+) with ", text):  # "25 with date_to and date_from set, 1 ..."
        return number[1]
    return {"FALSE": "0", "TRUE": "1"}.get(text, text)


def declared_default(param: Param) -> str | None:
    value: Any = param.default
    if value is None or value in ("", [], ()):
        return None
    if param.type.kind is not None and value == 0:
        return None  # an id of 0 stands for none
    if isinstance(value, bool):
        return ("yes" if value else "no") if isinstance(param.type, YesNo) else str(int(value))
    if isinstance(value, list | tuple):
        return ",".join(value)
    return str(value)


def problems(name: str, param: Param, row: GuideParam) -> dict[str, str]:
    """Each aspect ("type", "default", "values") in which `param` is not the guide's `row`."""
    found: dict[str, str] = {}
    ours = declared_kinds(param.type)
    if not ours & guide_kinds(row):
        found["type"] = f"{name}: declared {'/'.join(sorted(ours))}, the guide says {row.type}"
    elif (wanted := row.text_lengths) and not _fits(wanted, lengths(param.type)):
        found["type"] = (
            f"{name}: declared lengths {sorted(lengths(param.type))}, the guide {wanted}"
        )
    switched_off = row.default is None and param.default is False  # a switch left out is off
    if declared_default(param) != guide_default(row, param) and not switched_off:
        said = repr(row.default) if row.default is not None else "none"
        found["default"] = f"{name}: declared default {declared_default(param)!r}, the guide {said}"
    values = guide_values(row)
    if values and not _allows(param.type, values):
        found["values"] = (
            f"{name}: declared values {_shown(param.type)}, the guide {sorted(values)}"
        )
    elif row.bounds and kind(param.type) == "integer" and param.type.kind is None:
        assert isinstance(param.type, Int)
        ours = (param.type.minimum, param.type.maximum)
        if ours != row.bounds:
            found["values"] = (
                f"{name}: declared from {ours[0]} to {ours[1]}, the guide {row.bounds}"
            )
    return found


def _fits(guide: tuple[int, int], ours: set[tuple[int, int]]) -> bool:
    """`[10-15]` is both bounds; `[15]` and "15 or less" the longest value only. A type
    without lengths (an id, a choice) is not compared."""
    if not ours:
        return True
    low, high = guide
    return any(high == top and low in (0, high, bottom) for bottom, top in ours)


def _allows(declared: ParamType, values: set[str]) -> bool:
    if isinstance(declared, Choice):
        return set(declared.values) == values
    if isinstance(declared, Bool):
        return values <= {"0", "1"}
    if isinstance(declared, YesNo):
        return values == {"yes", "no"}
    if isinstance(declared, Int) and declared.minimum is not None and declared.maximum is not None:
        return values == {str(n) for n in range(declared.minimum, declared.maximum + 1)}
    return False


def _shown(declared: ParamType) -> str:
    if isinstance(declared, Choice):
        return str(sorted(declared.values))
    return type(declared).__name__
