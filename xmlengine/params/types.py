"""The reusable parameter types: each parses one raw value or raises `Invalid`.

A raw value is a string, or — for PHP-style keys — a list (`a[]=`) or a mapping
(`a[0][b]=`). Types that name an entity of the account also declare a `check`
that the pipeline runs inside the request's transaction.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit


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


@dataclass
class Hex(ParamType):
    length: int = 32
    doc = "hex[32]"

    def parse(self, raw: Any) -> str:
        value = _scalar(raw).lower()
        if not re.fullmatch(f"[0-9a-f]{{{self.length}}}", value):
            raise Invalid
        return value


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
        low = INT32_MIN if self.minimum is None else self.minimum
        high = INT32_MAX if self.maximum is None else self.maximum
        if not low <= number <= high:
            raise Invalid
        if number % self.step:
            raise Invalid
        return number

    def parse(self, raw: Any) -> int | list[int]:
        if self.many:
            return [self._one(v) for v in _items(raw)]
        return self._one(_scalar(raw))


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


class YesNo(ParamType):
    doc = "string"

    def parse(self, raw: Any) -> bool:
        value = _scalar(raw).lower()
        if value not in ("yes", "no"):
            raise Invalid
        return value == "yes"


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


@dataclass
class Phone(ParamType):
    """Digits only; a leading `+` and the usual separators are accepted and dropped.

    Where the guide wants a 10-digit North American number, the E.164 form `+1NXXNXXXXXX`
    that PBXs send is accepted too and written as its 10 digits.
    """

    min_len: int = 10
    max_len: int = 15
    many: bool = False
    doc = "digits"

    def _one(self, value: str) -> str:
        digits = re.sub(r"[\s().\-]", "", value).removeprefix("+")
        if not (digits.isascii() and digits.isdigit()):
            raise Invalid
        if self.max_len == 10 and len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
        if not self.min_len <= len(digits) <= self.max_len:
            raise Invalid
        return digits

    def parse(self, raw: Any) -> str | list[str]:
        if self.many:
            return [self._one(v) for v in _items(raw)]
        return self._one(_scalar(raw))


_EMAIL = re.compile(r"[^@\s,;]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)+")


@dataclass
class Email(ParamType):
    max_len: int = 255
    many: bool = False
    doc = "string"

    def _one(self, value: str) -> str:
        if len(value) > self.max_len or not _EMAIL.fullmatch(value):
            raise Invalid
        return value

    def parse(self, raw: Any) -> str | list[str]:
        if self.many:
            return [self._one(v) for v in _items(raw)]
        return self._one(_scalar(raw))


@dataclass
class Url(ParamType):
    """An http(s) URL; webhook targets are checked for safety when they are called."""

    max_len: int = 2048
    doc = "string"

    def parse(self, raw: Any) -> str:
        value = _scalar(raw)
        try:
            parts = urlsplit(value)
        except ValueError:  # e.g. an unclosed IPv6 bracket
            raise Invalid from None
        if len(value) > self.max_len or parts.scheme not in ("http", "https") or not parts.hostname:
            raise Invalid
        return value


class Dtmf(ParamType):
    doc = "string"

    def parse(self, raw: Any) -> str:
        value = _scalar(raw)
        if not re.fullmatch(r"[0-9a-dA-D*#wW]{1,64}", value):
            raise Invalid
        return value


@dataclass
class SipUri(ParamType):
    max_len: int = 240
    doc = "string"

    def parse(self, raw: Any) -> str:
        value = _scalar(raw)
        if len(value) > self.max_len or not re.fullmatch(
            r"(sips?:)?[A-Za-z0-9_.!~*'()&=+$,;?/%\-]+@[A-Za-z0-9.\-\[\]:]+(;[^\s]*)?", value
        ):
            raise Invalid
        return value


class Ip(ParamType):
    doc = "string"

    def parse(self, raw: Any) -> str:
        value = _scalar(raw)
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            raise Invalid from None


class Port(Int):
    def __init__(self) -> None:
        super().__init__(minimum=1, maximum=65535)


class Mac(ParamType):
    doc = "string"

    def parse(self, raw: Any) -> str:
        value = re.sub(r"[:\-.]", "", _scalar(raw)).lower()
        if not re.fullmatch(r"[0-9a-f]{12}", value):
            raise Invalid
        return value


class Anything(ParamType):
    """Free text kept as given (raw metadata, comments)."""

    keeps_spaces = True

    def parse(self, raw: Any) -> str:
        return _scalar(raw)


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


class Upload(ParamType):
    """Uploaded files of a multipart body."""

    doc = "file"

    def parse(self, raw: Any) -> list[Any]:
        if isinstance(raw, Mapping):
            raw = list(raw.values())
        files = raw if isinstance(raw, list) else [raw]
        if not files or any(isinstance(f, str) for f in files):
            raise Invalid
        return files
