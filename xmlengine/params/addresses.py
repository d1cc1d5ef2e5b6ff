"""Where things are reached: phone numbers, email addresses, URLs, SIP URIs, IP and MAC
addresses, ports."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from xmlengine.params.describing import Schema, lengths
from xmlengine.params.types import Int, Invalid, ParamType, _items, _scalar


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

    def words(self) -> str:
        words = lengths("phone number in digits", self.min_len, self.max_len)
        if self.max_len == 10:
            return f"{words} (or +1 and 10 digits)"
        return words

    def item_schema(self) -> Schema:
        prefix = r"\+?1?" if self.max_len == 10 else r"\+?"
        return {"type": "string", "pattern": f"^{prefix}[0-9]{{{self.min_len},{self.max_len}}}$"}

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

    def words(self) -> str:
        return f"email address, at most {self.max_len} characters"

    def item_schema(self) -> Schema:
        return {"type": "string", "format": "email", "maxLength": self.max_len}

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

    def words(self) -> str:
        return f"http or https URL, at most {self.max_len} characters"

    def item_schema(self) -> Schema:
        return {"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": 2048}


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

    def words(self) -> str:
        return f"SIP URI (sip:user@host), at most {self.max_len} characters"

    def item_schema(self) -> Schema:
        return {"type": "string", "pattern": "^(sips?:)?[^@]+@.+$", "maxLength": self.max_len}


class Ip(ParamType):
    doc = "string"

    def parse(self, raw: Any) -> str:
        value = _scalar(raw)
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            raise Invalid from None

    def words(self) -> str:
        return "IP address (IPv4 or IPv6)"

    def item_schema(self) -> Schema:
        return {"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]}


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

    def words(self) -> str:
        return "MAC address: 12 hex digits (separators : - . allowed)"

    def item_schema(self) -> Schema:
        return {"type": "string", "pattern": "^[0-9a-fA-F]{2}([:.-]?[0-9a-fA-F]{2}){5}$"}
