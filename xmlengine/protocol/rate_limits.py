"""Hourly request budgets per account (guide, "Limitation"; WIRE.md "Rate limits").

Each listed request type has its own budget per clock hour; all others share the 1200
pool. The request that reaches a budget and those after it get the notice
`requests_soft_limit_reached` (the first of them records an abuse notification); past
the budget plus the hard margin, the account is refused for the next 60 minutes.
Counters live in this process for the embedded default (kept across a restart by
`counter_file`), in Redis when several processes share an account's budget; both count
exactly under concurrency. The same stores keep the tallies of failed authentications
(`auth_throttle`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from xmlengine.clock import Clock

BUDGETS: dict[str, int] = {
    "delete_faxes": 1500,
    "delete_recordings": 1500,
    "delete_voicemails": 1500,
    "dispatch_call": 900,
    "voicemail_broadcast": 900,
    "queue_fax": 600,
    "queue_sms": 600,
    "shared_pool": 1200,
}
HOUR = 3600
BLOCK_SECONDS = 3600


# One per request: not a NamedTuple (`Presentation` says why).
@dataclass(slots=True)
class Quota:
    pool: str
    limit: int
    used: int
    reset: int  # seconds until the counters start again
    retry_after: int = 0  # > 0: refused for that long

    @property
    def refused(self) -> bool:
        return self.retry_after > 0

    @property
    def soft_reached(self) -> bool:
        return self.used >= self.limit

    @property
    def first_soft(self) -> bool:
        """The one request that reached the budget: it records the abuse notification."""
        return self.used == self.limit


class Counter(Protocol):
    async def spend(
        self, account_id: int, pool: str, hour: int, hard: int, now: int
    ) -> tuple[int, int]:
        """Count one request; (count this hour, blocked-until epoch or 0)."""
        ...

    async def tally(self, keys: Sequence[str], now: int, ttl: int) -> None:
        """Count one more on each key; a key is forgotten `ttl` seconds after `now`."""
        ...

    async def tallies(self, keys: Sequence[str], now: int) -> list[int]:
        """The counts of `keys` (0 for a key never counted or forgotten)."""
        ...


class RateLimiter:
    def __init__(self, counter: Counter, clock: Clock, hard_margin: float) -> None:
        self.counter = counter
        self.clock = clock
        self.hard_margin = hard_margin
        # Each pool's hard limit, worked out once: the margin is fixed for the process.
        self._hard = {pool: self.hard_limit(budget) for pool, budget in BUDGETS.items()}
        # This process's counters answer at once: no coroutine to make and await for them.
        self._count_here = counter.count if isinstance(counter, MemoryCounter) else None
        self.counts_here = self._count_here is not None  # `spend_here` answers

    def hard_limit(self, budget: int) -> int:
        return budget + math.ceil(budget * self.hard_margin)

    def spend_here(self, account_id: int, pool: str) -> Quota | None:
        """`spend`, at once, when this process keeps the counters (the embedded default);
        None when they are shared (Redis): then `spend` is awaited."""
        if self._count_here is None:
            return None
        now = int(self.clock.now())
        hour = now - now % HOUR
        used, blocked_until = self._count_here(account_id, pool, hour, self._hard[pool], now)
        return _quota(pool, now, hour, used, blocked_until)

    async def spend(self, account_id: int, pool: str) -> Quota:
        quota = self.spend_here(account_id, pool)
        if quota is not None:
            return quota
        now = int(self.clock.now())
        hour = now - now % HOUR
        used, blocked_until = await self.counter.spend(
            account_id, pool, hour, self._hard[pool], now
        )
        return _quota(pool, now, hour, used, blocked_until)


def _quota(pool: str, now: int, hour: int, used: int, blocked_until: int) -> Quota:
    retry_after = blocked_until - now if blocked_until > now else 0
    return Quota(pool, BUDGETS[pool], used, hour + HOUR - now, retry_after)


class MemoryCounter:
    """Counters of this process: exact because the event loop runs one spend at a time."""

    def __init__(self) -> None:
        self.counts: dict[tuple[int, str, int], int] = {}
        self.blocked: dict[int, int] = {}
        self.tallied: dict[str, tuple[int, int]] = {}  # key -> (count, expires_at)
        self.changes = 0  # grows with every change: what `counter_file` saves after
        self._hour = 0
        self._purge_at = 0

    async def spend(
        self, account_id: int, pool: str, hour: int, hard: int, now: int
    ) -> tuple[int, int]:
        return self.count(account_id, pool, hour, hard, now)

    def count(self, account_id: int, pool: str, hour: int, hard: int, now: int) -> tuple[int, int]:
        """`spend`, at once."""
        if hour != self._hour:  # a new hour: forget the old counters
            self.counts = {k: v for k, v in self.counts.items() if k[2] >= hour}
            self._hour = hour
        blocked_until = self.blocked.get(account_id, 0)
        if blocked_until > now:
            return self.counts.get((account_id, pool, hour), 0), blocked_until
        key = (account_id, pool, hour)
        used = self.counts[key] = self.counts.get(key, 0) + 1
        self.changes += 1
        if used > hard:
            self.blocked[account_id] = now + BLOCK_SECONDS
            return used, now + BLOCK_SECONDS
        return used, 0

    async def tally(self, keys: Sequence[str], now: int, ttl: int) -> None:
        for key in keys:
            count, _ = self.tallied.get(key, (0, 0))
            self.tallied[key] = (count + 1, now + ttl)
        self.changes += 1

    async def tallies(self, keys: Sequence[str], now: int) -> list[int]:
        if now >= self._purge_at:  # forget what expired, once a minute at most
            self.tallied = {k: v for k, v in self.tallied.items() if v[1] > now}
            self._purge_at = now + 60
        found = [self.tallied.get(key) for key in keys]
        return [tally[0] if tally is not None and tally[1] > now else 0 for tally in found]

    def snapshot(self, now: int) -> dict[str, Any]:
        """What a restart needs to go on counting: this hour's counts, running blocks."""
        hour = now - now % HOUR
        return {
            "counts": [[*key, used] for key, used in self.counts.items() if key[2] >= hour],
            "blocked": [[account, until] for account, until in self.blocked.items() if until > now],
            "tallied": [[key, *tally] for key, tally in self.tallied.items() if tally[1] > now],
        }

    def restore(self, snapshot: dict[str, Any]) -> None:
        for account_id, pool, hour, used in snapshot.get("counts", ()):
            self.counts[int(account_id), str(pool), int(hour)] = int(used)
        for account_id, until in snapshot.get("blocked", ()):
            self.blocked[int(account_id)] = int(until)
        for key, count, expires_at in snapshot.get("tallied", ()):
            self.tallied[str(key)] = (int(count), int(expires_at))


# Check the block, count, and block past the hard limit: one atomic step in Redis.
_SPEND = """
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
local now = tonumber(ARGV[1])
if blocked > now then
  return {tonumber(redis.call('GET', KEYS[1]) or '0'), blocked}
end
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
if used > tonumber(ARGV[2]) then
  blocked = now + tonumber(ARGV[4])
  redis.call('SET', KEYS[2], blocked, 'EX', ARGV[4])
  return {used, blocked}
end
return {used, 0}
"""


class RedisCounter:
    """Counters shared by every process and node through Redis."""

    def __init__(self, url: str, prefix: str = "xmlengine:rl:") -> None:
        import redis.asyncio

        # Many concurrent requests wait for a free connection rather than fail.
        pool = redis.asyncio.BlockingConnectionPool.from_url(url, max_connections=50, timeout=10)
        self.redis = redis.asyncio.Redis.from_pool(pool)
        self.prefix = prefix
        self._script = self.redis.register_script(_SPEND)

    async def spend(
        self, account_id: int, pool: str, hour: int, hard: int, now: int
    ) -> tuple[int, int]:
        keys = [f"{self.prefix}{account_id}:{pool}:{hour}", f"{self.prefix}{account_id}:blocked"]
        used, blocked = await self._script(keys=keys, args=[now, hard, 2 * HOUR, BLOCK_SECONDS])
        return int(used), int(blocked)

    async def tally(self, keys: Sequence[str], now: int, ttl: int) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.incr(f"{self.prefix}{key}")
                pipe.expire(f"{self.prefix}{key}", ttl)
            await pipe.execute()

    async def tallies(self, keys: Sequence[str], now: int) -> list[int]:
        found = await self.redis.mget([f"{self.prefix}{key}" for key in keys])
        return [int(value) if value is not None else 0 for value in found]

    async def close(self) -> None:
        await self.redis.aclose()
