"""The provisioning file of a device endpoint: who may fetch it, and what it holds.

`/provisioning/{client_device_endpoint_id}/{secret}/{file}`: the endpoint's random
secret (compared in constant time) opens its file; its MAC address alone never does.
The file holds the SIP accounts of the endpoint's peers (username and password) and the
proxy they register to.
"""

from __future__ import annotations

import hmac
import json
import secrets
from typing import Any

from sqlalchemy import Connection, Row, select

from xmlengine.domain.provisioning import Format, Line, Phone
from xmlengine.domain.provisioning.text_formats import FANVIL, YEALINK
from xmlengine.domain.provisioning.xml_formats import (
    CISCO,
    GIGASET,
    GRANDSTREAM,
    OBIHAI,
    POLY,
    SNOM,
)
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.catalog_tables import devices, proxies
from xmlengine.storage.device_tables import device_endpoint_peers, device_endpoints
from xmlengine.storage.peer_tables import peers

# The catalog's makes (lower case) -> their format.
FORMATS: dict[str, Format] = {
    "yealink": YEALINK,
    "poly": POLY,
    "polycom": POLY,
    "grandstream": GRANDSTREAM,
    "cisco": CISCO,
    "linksys": CISCO,
    "snom": SNOM,
    "fanvil": FANVIL,
    "obihai": OBIHAI,
    "gigaset": GIGASET,
}
PATH = "/provisioning/{endpoint_id}/{secret}/{file}"
NO_MAC = "device"  # the file's stem until the endpoint's MAC address is known


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def format_of(make: str) -> Format | None:
    return FORMATS.get(make.lower())


def file_name(make: str, mac: str | None) -> str:
    """The file a phone of `make` asks for; "" for a make without a format."""
    found = format_of(make)
    return found.file_name(mac or NO_MAC) if found else ""


def path(endpoint_id: int, secret: str, make: str, mac: str | None) -> str:
    name = file_name(make, mac)
    return PATH.format(endpoint_id=endpoint_id, secret=secret, file=name) if name else ""


def owner(conn: Connection, endpoint_id: int, secret: str) -> int | None:
    """The account of an enabled endpoint whose secret is `secret`, else None.

    Read before any account is known, as the credentials of a request are.
    """
    e = device_endpoints.c
    row = conn.execute(
        select(e.account_id, e.provisioning_secret).where(
            e.client_device_endpoint_id == endpoint_id, e.status == "enabled"
        )
    ).first()
    if row is None or not hmac.compare_digest(row.provisioning_secret.encode(), secret.encode()):
        return None
    return int(row.account_id)


def provisioning_file(acct: AccountScope, endpoint_id: int, name: str) -> tuple[bytes, str] | None:
    """The file `name` of the endpoint (content and type), None when it has no such file."""
    e = device_endpoints
    query = acct.select(e, e, devices.c.make, devices.c.model).join_from(
        e, devices, devices.c.device_id == e.c.device_id
    )
    endpoint = acct.execute(query.where(e.c.client_device_endpoint_id == endpoint_id)).first()
    found = format_of(endpoint.make) if endpoint is not None else None
    if endpoint is None or found is None or name != found.file_name(endpoint.device_mac or NO_MAC):
        return None
    return found.render(_phone(acct, endpoint)), found.content_type


def _phone(acct: AccountScope, endpoint: Row[Any]) -> Phone:
    proxy = acct.execute(
        select(proxies.c.hostname, proxies.c.port)
        .where(proxies.c.status == "enabled")
        .order_by(proxies.c.proxy_id)
        .limit(1)
    ).first()
    return Phone(
        mac=endpoint.device_mac or "",
        model=endpoint.model,
        proxy_host=proxy.hostname if proxy else "",
        proxy_port=proxy.port if proxy else 5060,
        lines=tuple(_lines(acct, endpoint.client_device_endpoint_id)),
        admin_password=endpoint.admin_password or "",
        phone_password=endpoint.phone_password or "",
        language=endpoint.language or "",
        time_24h=endpoint.is_time_format24h,
        vlan=endpoint.vlan if endpoint.is_vlan_enabled else None,
        call_waiting=None if endpoint.call_waiting is None else endpoint.call_waiting == "active",
        call_forwarding=(
            None if endpoint.call_forwarding is None else endpoint.call_forwarding == "allow"
        ),
        buttons=json.loads(endpoint.button_config) if endpoint.button_config else None,
    )


def _lines(acct: AccountScope, endpoint_id: int) -> list[Line]:
    lines, p = device_endpoint_peers, peers.c
    query = acct.also(
        acct.select(lines, lines.c.label, p.username, p.password, p.friendly_name)
        .join_from(lines, peers, p.client_peer_id == lines.c.client_peer_id)
        .where(lines.c.client_device_endpoint_id == endpoint_id)
        .order_by(lines.c.line),
        peers,
    )
    return [
        Line(row.username, row.password, row.label or row.friendly_name or row.username)
        for row in acct.execute(query)
    ]
