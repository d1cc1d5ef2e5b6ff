"""The reusable parameter types: each parses one raw value or raises `Invalid`.

A raw value is a string, or — for PHP-style keys — a list (`a[]=`) or a mapping
(`a[0][b]=`). Types that name an entity of the account also declare a `check`
that the pipeline runs inside the request's transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from xmlengine.params.describing import Schema, anchored, lengths, schema_of


class Invalid(Exception):
    """The value does not have the type's shape; `code` overrides `{parameter}_invalid`."""

    def __init__(self, code: str | None = None) -> None:
        super().__init__(code)
        self.code = code


class Owner(Protocol):
    """What a type's database check may ask of the caller's account."""

    def owns(self, kind: str, ids: Sequence[int]) -> bool: ...


class ParamType:
    doc = "string"
    invalid_code: str | None = None
    kind: str | None = None  # an entity of the account that ids must name
    many = False  # a list: `a[]=x&a[]=y`, `a[0]=x`, or comma-separated
    file = False  # uploaded: only a multipart body can carry it

    def describe(self) -> str:
        """The value's shape in words, for the reference pages."""
        return f"comma list, each {self.words()}" if self.many else self.words()

    def schema(self) -> Schema:
        """The JSON schema of the value as sent, for the API description."""
        return {"type": "array", "items": self.item_schema()} if self.many else self.item_schema()

    def words(self) -> str:
        return "text"

    def item_schema(self) -> Schema:
        return {"type": "string"}

    def error_codes(self, invalid_code: str) -> tuple[str, ...]:
        """The codes a refused value is reported with (the parameter's, unless the type's)."""
        return (invalid_code,)

    def wire(self, value: Any) -> Any:
        """A parsed value (a default) as a client sends it: booleans as 1 and 0."""
        if isinstance(value, list | tuple):
            return [self.wire(v) for v in value]
        return ("1" if value else "0") if isinstance(value, bool) else value

    @property
    def keeps_spaces(self) -> bool:
        """Free text: white space around the value is part of it. A typed value gets its
        surrounding white space dropped before `parse` (`params.table`)."""
        return False

    @property
    def has_check(self) -> bool:
        return self.kind is not None

    def parse(self, raw: Any) -> Any:
        return _scalar(raw)

    def check(self, value: Any, owner: Owner) -> bool:
        ids = value if isinstance(value, list) else [value]
        ids = [i for i in ids if i]  # 0 stands for "none" where the guide allows it
        return not ids or owner.owns(self.kind or "", ids)


def _scalar(raw: Any) -> str:
    if not isinstance(raw, str) or "\x00" in raw:  # no database keeps a NUL in text
        raise Invalid
    return raw


def _items(raw: Any) -> list[str]:
    """A list from `a[]=x&a[]=y`, `a[0]=x`, or the comma-separated string the guide allows."""
    if isinstance(raw, str):
        values = raw.split(",")
    elif isinstance(raw, list):
        values = raw
    elif isinstance(raw, Mapping):
        values = list(raw.values())
    else:
        raise Invalid
    if not all(isinstance(v, str) and "\x00" not in v for v in values):
        raise Invalid
    return [v.strip() for v in values if v.strip()]


@dataclass
class Text(ParamType):
    """Free text; with a `pattern`, a typed value (a username, a code)."""

    doc = "string"
    min_len: int = 0
    max_len: int | None = None
    pattern: str | None = None

    @property
    def keeps_spaces(self) -> bool:
        return self.pattern is None

    def parse(self, raw: Any) -> str:
        value = _scalar(raw)
        if len(value) < self.min_len or (self.max_len is not None and len(value) > self.max_len):
            raise Invalid
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise Invalid
        return value

    def words(self) -> str:
        words = lengths("text", self.min_len, self.max_len, " characters")
        return f"{words}, matching `{self.pattern}`" if self.pattern else words

    def item_schema(self) -> Schema:
        pattern = anchored(self.pattern) if self.pattern else None
        return schema_of(
            "string", minLength=self.min_len or None, maxLength=self.max_len, pattern=pattern
        )


@dataclass
class Digits(ParamType):
    doc = "digits"
    min_len: int = 1
    max_len: int | None = None

    def parse(self, raw: Any) -> str:
        value = _scalar(raw)
        top = self.max_len or self.min_len
        if not (value.isascii() and value.isdigit() and self.min_len <= len(value) <= top):
            raise Invalid
        return value

    def words(self) -> str:
        return lengths("digits", self.min_len, self.max_len or self.min_len)

    def item_schema(self) -> Schema:
        top = self.max_len or self.min_len
        return {"type": "string", "pattern": f"^[0-9]{{{self.min_len},{top}}}$"}


@dataclass
class Hex(ParamType):
    length: int = 32
    doc = "hex[32]"

    def parse(self, raw: Any) -> str:
        value = _scalar(raw).lower()
        if not re.fullmatch(f"[0-9a-f]{{{self.length}}}", value):
            raise Invalid
        return value

    def words(self) -> str:
        return f"hex, {self.length} digits"

    def item_schema(self) -> Schema:
        return {"type": "string", "pattern": f"^[0-9a-fA-F]{{{self.length}}}$"}


@dataclass
class Hash(ParamType):
    """A 32-hex hash, or its 36-character UUID form where the guide accepts both."""

    uuid_form: bool = False
    plain_form: bool = True
    many: bool = False
    doc = "alphanum[32]"

    def _one(self, value: str) -> str:
        value = value.lower()
        if self.plain_form and re.fullmatch("[0-9a-f]{32}", value):
            return value
        if self.uuid_form and re.fullmatch(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value
        ):
            return value
        raise Invalid

    def parse(self, raw: Any) -> str | list[str]:
        if self.many:
            return [self._one(v) for v in _items(raw)]
        return self._one(_scalar(raw))

    def _forms(self) -> list[tuple[str, str]]:
        forms = [("32 hex digits", "[0-9a-fA-F]{32}")] if self.plain_form else []
        if self.uuid_form:
            forms.append(("a UUID (8-4-4-4-12 hex digits)", _UUID))
        return forms

    def words(self) -> str:
        return "hash: " + " or ".join(words for words, _ in self._forms())

    def item_schema(self) -> Schema:
        return {"type": "string", "pattern": anchored("|".join(p for _, p in self._forms()))}


_UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"


# Integers of the API are 32-bit: ids are PostgreSQL `integer` columns, so a larger value
# is refused here like any out of range, the same on every database.
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


@dataclass
class Int(ParamType):
    """An integer within bounds (32-bit when none are declared); `many` takes a
    comma-separated list."""

    minimum: int | None = None
    maximum: int | None = None
    many: bool = False
    step: int = 1
    doc = "integer"

    def _one(self, value: str) -> int:
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            raise Invalid
        number = int(value)
        low, high = self.bounds()
        if not low <= number <= high:
            raise Invalid
        if number % self.step:
            raise Invalid
        return number

    def bounds(self) -> tuple[int, int]:
        """The declared bounds, or those of a 32-bit integer."""
        low = INT32_MIN if self.minimum is None else self.minimum
        return low, INT32_MAX if self.maximum is None else self.maximum

    def parse(self, raw: Any) -> int | list[int]:
        if self.many:
            return [self._one(v) for v in _items(raw)]
        return self._one(_scalar(raw))

    def words(self) -> str:
        low, high = self.minimum, self.maximum
        words = "integer" if low is None else f"integer of at least {low}"
        if high is not None:
            words = (
                f"integer from {low} to {high}" if low is not None else f"integer of at most {high}"
            )
        return words + (f", a multiple of {self.step}" if self.step > 1 else "")

    def item_schema(self) -> Schema:
        step = self.step if self.step > 1 else None
        low, high = self.bounds()  # the description states the 32-bit bounds it checks
        return schema_of("integer", minimum=low, maximum=high, multipleOf=step)


@dataclass
class Ref(Int):
    """The id of an entity of the caller's account; another account's id is just as invalid."""

    kind: str | None = None
    minimum: int | None = 0
    max_count: int | None = None

    def parse(self, raw: Any) -> int | list[int]:
        value = super().parse(raw)
        if isinstance(value, list) and self.max_count and len(value) > self.max_count:
            raise Invalid
        return value

    def words(self) -> str:
        return f"id of the account's {(self.kind or 'entity').replace('_', ' ')}"

    def describe(self) -> str:
        words = super().describe()
        return f"{words} (at most {self.max_count})" if self.many and self.max_count else words

    def schema(self) -> Schema:
        schema = super().schema()
        return {**schema, "maxItems": self.max_count} if self.many and self.max_count else schema


@dataclass
class Choice(ParamType):
    """One of a fixed set of values, or several (`many`) as a list or comma-separated."""

    doc = "enum"
    values: tuple[str, ...] = ()
    many: bool = False
    case_sensitive: bool = True

    def _one(self, value: str) -> str:
        if not self.case_sensitive:
            value = value.lower()
        if value not in self.values:
            raise Invalid
        return value

    def parse(self, raw: Any) -> str | list[str]:
        if self.many:
            return list(dict.fromkeys(self._one(v) for v in _items(raw)))
        return self._one(_scalar(raw))

    def words(self) -> str:
        return "one of: " + ", ".join(self.values)

    def item_schema(self) -> Schema:
        return {"type": "string", "enum": list(self.values)}


def choice(*values: str, many: bool = False) -> Choice:
    return Choice(values=values, many=many)


class Bool(ParamType):
    """ "1" or "0" (also true/false, as PHP clients send them)."""

    doc = "bool"

    def parse(self, raw: Any) -> bool:
        value = _scalar(raw).lower()
        if value in ("1", "true"):
            return True
        if value in ("0", "false"):
            return False
        raise Invalid

    def words(self) -> str:
        return "boolean: 1 or 0 (true or false)"

    def item_schema(self) -> Schema:
        return {"type": "string", "enum": ["1", "0", "true", "false"]}


class YesNo(ParamType):
    doc = "string"

    def parse(self, raw: Any) -> bool:
        value = _scalar(raw).lower()
        if value not in ("yes", "no"):
            raise Invalid
        return value == "yes"

    def words(self) -> str:
        return "yes or no"

    def wire(self, value: Any) -> Any:
        return "yes" if value else "no"

    def item_schema(self) -> Schema:
        return {"type": "string", "enum": ["yes", "no"]}


class Date(ParamType):
    doc = "date"

    def parse(self, raw: Any) -> dt.date:
        value = _scalar(raw)
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise Invalid
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise Invalid from None

    def words(self) -> str:
        return "date YYYY-MM-DD"

    def item_schema(self) -> Schema:
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


class DateTime(ParamType):
    doc = "datetime"

    def parse(self, raw: Any) -> dt.datetime:
        value = _scalar(raw)
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}", value):
            raise Invalid
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise Invalid from None

    def words(self) -> str:
        return "date and time YYYY-MM-DD HH:MM:SS"

    def item_schema(self) -> Schema:
        return {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}$"}


class Dtmf(ParamType):
    doc = "string"

    def parse(self, raw: Any) -> str:
        value = _scalar(raw)
        if not re.fullmatch(r"[0-9a-dA-D*#wW]{1,64}", value):
            raise Invalid
        return value

    def words(self) -> str:
        return "DTMF: 1 to 64 of 0-9, A-D, *, # and w (a pause)"

    def item_schema(self) -> Schema:
        return {"type": "string", "pattern": "^[0-9a-dA-D*#wW]{1,64}$"}


class Anything(ParamType):
    """Free text kept as given (raw metadata, comments)."""

    keeps_spaces = True

    def parse(self, raw: Any) -> str:
        return _scalar(raw)

    def words(self) -> str:
        return "text, kept as given"


class Upload(ParamType):
    """Uploaded files of a multipart body."""

    doc = "file"
    file = True

    def parse(self, raw: Any) -> list[Any]:
        if isinstance(raw, Mapping):
            raw = list(raw.values())
        files = raw if isinstance(raw, list) else [raw]
        if not files or any(isinstance(f, str) for f in files):
            raise Invalid
        return files

    def words(self) -> str:
        return "file, uploaded in a multipart/form-data body"

    def item_schema(self) -> Schema:
        return {"type": "string", "contentMediaType": "application/octet-stream"}
