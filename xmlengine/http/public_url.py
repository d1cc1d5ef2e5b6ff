"""The scheme and host written into answers (download URLs), never taken blindly from `Host`.

The service answers on any host name, but a URL it writes into an answer is followed by
the client with its credentials: a `Host` the operator did not allow would send them to
whoever forged it. So the base URL is the request's own host only when the operator
allowed that name (`XMLENGINE_ALLOWED_HOSTS`: white-label domains, `*.example.com` for
every name under one); otherwise the configured public URL (`XMLENGINE_PUBLIC_URL`), or,
without one, the address the server is bound to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# host[:port], the host a DNS name, an IPv4 address or a bracketed IPv6 address.
_HOST = re.compile(r"(?P<name>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_DEFAULT_PORTS = {"http": 80, "https": 443}
KNOWN_HOSTS = 1000


class PublicUrl:
    def __init__(self, public_url: str, allowed_hosts: Iterable[str]) -> None:
        self.public_url = public_url.strip().rstrip("/")
        names = [name.strip().lower().rstrip(".") for name in allowed_hosts]
        self.exact = frozenset(name for name in names if name and not name.startswith("*."))
        # "*.example.com" allows every name that ends in ".example.com".
        self.suffixes = tuple(name[1:] for name in names if name.startswith("*."))
        # The answer for each host, scheme and bound address seen: a few, asked every request.
        self._known: dict[tuple[str | None, str, Any], str] = {}

    def allowed(self, name: str) -> bool:
        name = name.lower().rstrip(".")
        return name in self.exact or (bool(self.suffixes) and name.endswith(self.suffixes))

    def base_url(self, scope: dict[str, Any], host: str | None) -> str:
        """Where the answer to the request of `scope` (whose `Host` is `host`) points."""
        server = scope.get("server")  # a list from some servers: not a key as it is
        key = (host, scope["scheme"], tuple(server) if server else None)
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= KNOWN_HOSTS:  # any Host a client sends: keep it bounded
                self._known.clear()
            known = self._known[key] = self._base_url(scope, host)
        return known

    def _base_url(self, scope: dict[str, Any], host: str | None) -> str:
        if host is not None:
            match = _HOST.fullmatch(host)
            if match is not None and self.allowed(match["name"]):
                return f"{scope['scheme']}://{host}"
        if self.public_url:
            return self.public_url
        return _bound(scope)


def _bound(scope: dict[str, Any]) -> str:
    """The address the server answered on, from the socket (not from the request)."""
    scheme: str = scope["scheme"]
    server, port = scope.get("server") or ("localhost", None)
    if ":" in server:
        server = f"[{server}]"
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{server}"
    return f"{scheme}://{server}:{port}"
