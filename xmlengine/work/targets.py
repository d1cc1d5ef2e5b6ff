"""Which URLs a webhook may be sent to.

Only http and https. A host that resolves to a loopback, private, link-local (cloud
metadata services live there), multicast, reserved or unspecified address is refused,
unless the operator allows such targets (`XMLENGINE_WEBHOOK_ALLOW_PRIVATE`, for tests
and local development). Every address a name resolves to must be acceptable. The
connection itself is opened to a checked address (`pinned`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from typing import Any
from urllib.parse import urlsplit

import httpx

# Names of metadata services that answer on addresses refused anyway, listed so that a
# resolver that maps them elsewhere changes nothing.
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata", "instance-data"})

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# A DNS name in ASCII: labels of 1 to 63 characters, 253 in all (a final dot allowed).
_NAME = re.compile(rb"(?=.{1,253}\.?$)[^.]{1,63}(\.[^.]{1,63})*\.?", re.DOTALL)


class RefusedTarget(Exception):
    """The URL may not be called; the message says why (kept in the delivery log)."""


def refused_address(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def check_shape(url: str) -> str:
    """The URL's host name, if its shape is acceptable.

    Whatever passes here is a URL the HTTP client takes and a name the resolver takes: they
    refuse with their own exceptions ("0177.0.0.1", a bad IDNA name, an empty or 64-letter
    label), which would otherwise escape as a traceback instead of a refusal.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
        parsed = httpx.URL(url)
        parsed.host  # noqa: B018 - raises on an A-label that does not decode
        host = parsed.raw_host  # the name in ASCII, as it is resolved
    except (ValueError, httpx.InvalidURL):  # UnicodeError (IDNA) is a ValueError
        raise RefusedTarget("malformed URL") from None
    if parts.scheme not in ("http", "https"):
        raise RefusedTarget("only http and https URLs are called")
    if not parts.hostname or not host:
        raise RefusedTarget("the URL has no host")
    if _literal(parts.hostname) is None and not _NAME.fullmatch(host):
        raise RefusedTarget("malformed host name")
    return parts.hostname


def check_name(host: str, *, allow_private: bool) -> None:
    """Refuse a host name that is not acceptable whatever it resolves to."""
    if not allow_private and host.lower().rstrip(".") in METADATA_HOSTS:
        raise RefusedTarget("metadata service")


def acceptable(host: str, addresses: list[Address], *, allow_private: bool) -> list[Address]:
    """`addresses` if every one of them may be called."""
    if not addresses:
        raise RefusedTarget(f"{host} does not resolve")
    if not allow_private:
        for address in addresses:
            if refused_address(address):
                raise RefusedTarget(f"{host} is a non-public address ({address})")
    return addresses


async def resolve(host: str, port: int) -> list[Address]:
    """The addresses of `host`, in the resolver's order (a literal address: itself)."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise RefusedTarget(f"{host} does not resolve") from error
    return _addresses(infos)


def resolve_blocking(host: str, port: int) -> list[Address]:
    """`resolve` for code that may block (a thread, not the event loop)."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise RefusedTarget(f"{host} does not resolve") from error
    return _addresses(infos)


async def check_target(url: str, *, allow_private: bool) -> None:
    """Refuse `url` unless it may be called (resolving its host name).

    Deliveries do not call this: they check the addresses of the connection itself
    (`pinned`), so that the name is resolved once, not once to check and once to connect.
    """
    host = check_shape(url)
    check_name(host, allow_private=allow_private)
    if not allow_private:
        acceptable(host, await resolve(host, 0), allow_private=False)


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _addresses(infos: list[tuple[Any, ...]]) -> list[Address]:
    addresses: list[Address] = []
    for info in infos:
        raw = str(info[4][0]).split("%", 1)[0]  # an IPv6 zone index
        address = ipaddress.ip_address(raw)
        if address not in addresses:
            addresses.append(address)
    return addresses
