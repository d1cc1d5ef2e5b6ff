"""HTTP transports whose connections go only to the addresses that were checked.

A webhook target's name is resolved once, when a connection to it is opened: every
address must be acceptable (`targets.acceptable`), and the connection is made to one of
those very addresses. Resolving once to check and again to connect would let a hostile
name answer a public address to the check and a refused one to the connection (DNS
rebinding). The request itself is untouched: its Host header, and for https the TLS
server name and the certificate check, are the URL's own name. A connection kept alive
for reuse was opened to a checked address.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable

import httpcore
import httpx

from xmlengine.work import targets
from xmlengine.work.targets import Address

Resolve = Callable[[str, int], Awaitable[list[Address]]]
ResolveBlocking = Callable[[str, int], list[Address]]
SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class PinnedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, *, allow_private: bool, resolve: Resolve | None = None) -> None:
        self.allow_private = allow_private
        self.resolve = resolve or targets.resolve
        self.inner = httpcore.AnyIOBackend()  # what httpx uses under asyncio

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        targets.check_name(host, allow_private=self.allow_private)
        try:
            found = await asyncio.wait_for(self.resolve(host, port), timeout)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        failure: Exception | None = None
        for address in targets.acceptable(host, found, allow_private=self.allow_private):
            try:
                stream: httpcore.AsyncNetworkStream = await self.inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
                return stream
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error  # the next address, if any
        assert failure is not None
        raise failure

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class PinnedBlockingBackend(httpcore.NetworkBackend):
    def __init__(self, *, allow_private: bool, resolve: ResolveBlocking | None = None) -> None:
        self.allow_private = allow_private
        self.resolve = resolve or targets.resolve_blocking
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.NetworkStream:
        targets.check_name(host, allow_private=self.allow_private)
        failure: Exception | None = None
        found = self.resolve(host, port)
        for address in targets.acceptable(host, found, allow_private=self.allow_private):
            try:
                return self.inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        assert failure is not None
        raise failure

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (no proxy, no environment), over a `PinnedBackend`."""

    def __init__(self, backend: PinnedBackend, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )


class PinnedBlockingTransport(httpx.HTTPTransport):
    """The same for blocking code, over a `PinnedBlockingBackend`."""

    def __init__(self, backend: PinnedBlockingBackend, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
