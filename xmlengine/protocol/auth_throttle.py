"""Failed authentications, counted so that a source that guesses is refused for a while.

Failures are counted per window of `window` seconds, in the rate limits' counter store
(this process's memory, or Redis shared by every node): per address, per login (the
`username`, `client_user_id` or `client_account_id` sent) from each address, and per
login from every address together. Before its credentials are looked at, a request is
refused until the window ends when

- its address failed `per_address` times, whatever the logins; or
- its login failed `per_login` times from its address; or
- its login failed `per_login_anywhere` times in all, and its address is one of those
  that failed for it.

So a guesser at one address is stopped there and the owner elsewhere is not; a guesser
spread over many addresses is stopped at each one after its first failure there, while
the owner, at an address that has not failed, goes on logging in. An IPv6 address
counts as its /64 network: one host holds them all. A budget of 0 is not applied.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from xmlengine.clock import Clock
from xmlengine.protocol.rate_limits import Counter


@dataclass(frozen=True, slots=True)
class Budgets:
    per_login: int = 10
    per_address: int = 100
    per_login_anywhere: int = 100
    window: int = 900  # seconds


class AuthThrottle:
    def __init__(self, counter: Counter, clock: Clock, budgets: Budgets) -> None:
        self.counter = counter
        self.clock = clock
        self.budgets = budgets

    async def refused(self, login: str, address: str) -> int:
        """Seconds `login` stays refused at `address`; 0: it may try."""
        now, start, end = self._window()
        keys = _keys(start, login, _source(address))
        from_address, login_here, login_anywhere = await self.counter.tallies(keys, now)
        b = self.budgets
        if (
            _past(from_address, b.per_address)
            or _past(login_here, b.per_login)
            or (login_here > 0 and _past(login_anywhere, b.per_login_anywhere))
        ):
            return end - now
        return 0

    async def failed(self, login: str, address: str) -> None:
        now, start, end = self._window()
        await self.counter.tally(_keys(start, login, _source(address)), now, end - now)

    def _window(self) -> tuple[int, int, int]:
        now = int(self.clock.now())
        start = now - now % self.budgets.window
        return now, start, start + self.budgets.window


def _past(count: int, budget: int) -> bool:
    return budget > 0 and count >= budget


def _keys(start: int, login: str, source: str) -> list[str]:
    """The tallies of a window: the address, the login at the address, the login anywhere."""
    prefix = f"authfail:{start}:"
    # "|" is in no login (auth.py's shapes) and in no address.
    return [f"{prefix}a:{source}", f"{prefix}la:{login}|{source}", f"{prefix}l:{login}"]


def _source(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "-"  # not an IP address (a Unix socket): counted as given
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
