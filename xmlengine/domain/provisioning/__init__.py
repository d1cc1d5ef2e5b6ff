"""Provisioning files of autoprovisioned SIP phones: one format per make of the catalog.

A `Phone` holds what a file says (the SIP accounts of its lines, the proxy they register
to, the endpoint's settings); each make's `Format` names the file a phone of that make
asks for (from its MAC address) and writes it. Which endpoint a file belongs to, and who
may fetch it, is `files.py`'s business.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Line:
    """One SIP account of the phone: a peer of the account."""

    username: str
    password: str
    display_name: str  # the line's label, else the peer's friendly name


@dataclass(frozen=True, slots=True)
class Phone:
    mac: str  # 12 lowercase hex digits, or "" when the endpoint has none yet
    model: str
    proxy_host: str
    proxy_port: int
    lines: tuple[Line, ...]
    admin_password: str = ""
    phone_password: str = ""
    language: str = ""  # "en", "fr" or "" (the phone's own)
    time_24h: bool | None = None
    vlan: int | None = None  # the VLAN id when the VLAN is enabled
    call_waiting: bool | None = None
    call_forwarding: bool | None = None
    buttons: Mapping[str, Mapping[str, Any]] | None = None  # button_config

    @property
    def proxy(self) -> str:
        return f"{self.proxy_host}:{self.proxy_port}"


@dataclass(frozen=True, slots=True)
class Format:
    """How phones of one make are provisioned."""

    file_name: Callable[[str], str]  # MAC address -> the file the phone asks for
    content_type: str
    render: Callable[[Phone], bytes]
    max_accounts: int  # SIP accounts the make's format has room for


def on_off(value: bool | None, yes: str = "1", no: str = "0") -> str | None:
    return None if value is None else (yes if value else no)
