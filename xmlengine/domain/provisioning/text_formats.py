"""Makes provisioned with `key = value` text files: Yealink and Fanvil."""

from __future__ import annotations

import re
from collections.abc import Iterable

from xmlengine.domain.provisioning import Format, Phone, on_off

Settings = Iterable[tuple[str, str | int | None]]

# Yealink line key types of the button_config features (the rest are left as they are).
YEALINK_KEYS = {"line": 15, "speed_dial": 13, "presence": 16, "blf": 16, "park": 10}


def _value(value: str | int) -> str:
    """One line's worth: a value may not start a setting of its own on the next line."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", str(value))


def _text(first: str, settings: Settings, separator: str, last: str = "") -> bytes:
    lines = [first]
    lines += [f"{key}{separator}{_value(v)}" for key, v in settings if v is not None]
    return ("\n".join([*lines, last] if last else lines) + "\n").encode()


def _yealink_settings(phone: Phone) -> Settings:
    for n, line in enumerate(phone.lines, 1):
        yield f"account.{n}.enable", 1
        yield f"account.{n}.label", line.display_name
        yield f"account.{n}.display_name", line.display_name
        yield f"account.{n}.auth_name", line.username
        yield f"account.{n}.user_name", line.username
        yield f"account.{n}.password", line.password
        yield f"account.{n}.sip_server.1.address", phone.proxy_host
        yield f"account.{n}.sip_server.1.port", phone.proxy_port
    if phone.admin_password:
        yield "static.security.user_password", f"admin:{phone.admin_password}"
    if phone.phone_password:
        yield "static.security.user_password", f"user:{phone.phone_password}"
    yield "lang.gui", {"en": "English", "fr": "French"}.get(phone.language)
    yield "local_time.time_format", on_off(phone.time_24h)
    if phone.vlan is not None:
        yield "static.network.vlan.internet_port_enable", 1
        yield "static.network.vlan.internet_port_vid", phone.vlan
    yield "call_waiting.enable", on_off(phone.call_waiting)
    yield "features.fwd.allow", on_off(phone.call_forwarding)
    for key, button in sorted((phone.buttons or {}).items(), key=lambda kv: int(kv[0])):
        kind = YEALINK_KEYS.get(str(button.get("feature", "")))
        if kind is None:
            continue
        yield f"linekey.{key}.type", kind
        yield f"linekey.{key}.line", button.get("line")
        yield f"linekey.{key}.value", button.get("feature_value")
        yield f"linekey.{key}.label", button.get("label")


def _yealink(phone: Phone) -> bytes:
    return _text("#!version:1.0.0.1", _yealink_settings(phone), " = ")


def _fanvil_settings(phone: Phone) -> Settings:
    for n, line in enumerate(phone.lines, 1):
        yield f"SIP{n} Phone Number       :", line.username
        yield f"SIP{n} Display Name       :", line.display_name
        yield f"SIP{n} Register Addr      :", phone.proxy_host
        yield f"SIP{n} Register Port      :", phone.proxy_port
        yield f"SIP{n} Register User      :", line.username
        yield f"SIP{n} Register Pswd      :", line.password
        yield f"SIP{n} Enable Reg         :", 1
    if phone.vlan is not None:
        yield "<NET CONFIG MODULE>", ""
        yield "Enable VLAN        :", 1
        yield "VLAN ID            :", phone.vlan


def _fanvil(phone: Phone) -> bytes:
    first = "<<VOIP CONFIG FILE>>Version:2.0000000000\n<SIP CONFIG MODULE>"
    return _text(first, _fanvil_settings(phone), "", "<<END OF FILE>>")


YEALINK = Format(lambda mac: f"{mac}.cfg", "text/plain; charset=utf-8", _yealink, 16)
FANVIL = Format(lambda mac: f"{mac}.cfg", "text/plain; charset=utf-8", _fanvil, 20)
