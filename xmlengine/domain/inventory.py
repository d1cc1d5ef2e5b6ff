"""The sandbox's inventory of new numbers: derived, not stored.

Each exchange of the numbering plan (reference/nanp.py) offers a few numbers drawn from
the exchange and a fixed seed, so every server offers the same ones; one exchange in ten
offers none (its `availability` is 0: those numbers are ordered). Only the numbers taken
out of it (activated or delivered by an order) are kept, in `inventory_taken`, shared by
every account of the server. The pattern classes of the guide are computed from the
digits of the line number (the last four; the trio from the last six).
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from sqlalchemy import select

from xmlengine.reference import nanp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.inventory_tables import inventory_taken

SEED: Final = "xmlengine sandbox inventory"
DRAWN: Final = 16  # random line numbers per exchange, besides one of each pattern
SLOTS: Final = 32  # did_id = exchange * SLOTS + position: more than an exchange offers
NXX_CODES: Final = 800  # 200 to 999
PATTERNS: Final = (
    "rare_number",
    "pattern_double_digits",
    "pattern_double_digits_pair",
    "pattern_double_digits_trio",
    "pattern_tripple_digits",
    "pattern_quadruple_digits",
)


@dataclass(frozen=True, slots=True)
class NewNumber:
    phone_number: str  # ten digits
    exchange: nanp.Exchange
    patterns: frozenset[str]
    t38_support: bool
    sms_support: bool
    did_id: int  # the inventory's id of the number (see `by_did_id`)


def patterns(number: str) -> frozenset[str]:
    """The pattern classes of a number, from its line number (and the trio its last six)."""
    six = number[-6:]
    trio = [len(run) for run in _runs(six)] == [2, 2, 2]
    return _line_patterns(six[2:]) | ({"pattern_double_digits_trio"} if trio else set())


@lru_cache(maxsize=10_000)
def _line_patterns(line: str) -> frozenset[str]:
    runs = [len(run) for run in _runs(line)]
    found = set()
    if max(runs) >= 2:
        found.add("pattern_double_digits")
    if runs == [2, 2]:
        found.add("pattern_double_digits_pair")
    if max(runs) == 3:
        found.add("pattern_tripple_digits")
    if max(runs) == 4:
        found.add("pattern_quadruple_digits")
    steps = {int(b) - int(a) for a, b in itertools.pairwise(line)}
    if steps in ({1}, {-1}) or (line[:2] == line[2:] and line[0] != line[1]):
        found.add("rare_number")  # a straight (1234, 8765) or a repeated pair (4545)
    return frozenset(found)


def _runs(digits: str) -> list[str]:
    runs: list[str] = []
    for d in digits:
        if runs and runs[-1][-1] == d:
            runs[-1] += d
        else:
            runs.append(d)
    return runs


def _hash(text: str) -> int:
    return zlib.crc32(f"{SEED}:{text}".encode())


def stocked(exchange: nanp.Exchange) -> bool:
    return _hash(exchange.prefix) % 10 != 0


@lru_cache(maxsize=8192)
def numbers_of(exchange: nanp.Exchange) -> tuple[NewNumber, ...]:
    """The numbers the exchange offers (none when it is not stocked), in order."""
    if not stocked(exchange):
        return ()
    rng = random.Random(f"{SEED}:{exchange.prefix}")
    d, e = rng.sample("0123456789", 2)
    start = rng.randrange(7)
    lines = {
        d * 4,  # quadruple
        d * 3 + e,  # triple
        d * 2 + e * 2,  # pair
        "".join(str(start + i) for i in range(4)),  # rare: a straight
        *(str(n).zfill(4) for n in rng.sample(range(10_000), DRAWN)),
    }
    base = ((int(exchange.npa) - 200) * NXX_CODES + int(exchange.nxx) - 200) * SLOTS
    return tuple(
        _number(exchange, line, base + position) for position, line in enumerate(sorted(lines))
    )


def _number(exchange: nanp.Exchange, line: str, did_id: int) -> NewNumber:
    digits = exchange.prefix + line
    bits = _hash(digits)
    return NewNumber(digits, exchange, patterns(digits), bits % 5 < 3, bits % 10 < 8, did_id)


def by_did_id(did_id: int) -> NewNumber | None:
    """The number of the inventory with this id: its exchange and position, in 32 bits."""
    code, position = divmod(did_id, SLOTS)
    npa, nxx = divmod(code, NXX_CODES)
    exchange = nanp.exchange(f"{npa + 200}{nxx + 200}")
    offered = numbers_of(exchange) if exchange else ()
    return offered[position] if position < len(offered) else None


def find(phone_number: str) -> NewNumber | None:
    """The number of the inventory with these ten digits (taken or not)."""
    digits = phone_number.removeprefix("1") if len(phone_number) == 11 else phone_number
    exchange = nanp.exchange(digits) if len(digits) == 10 else None
    if exchange is None:
        return None
    return next((n for n in numbers_of(exchange) if n.phone_number == digits), None)


def taken(acct: AccountScope) -> set[str]:
    """The numbers out of the inventory (a sandbox holds few)."""
    return set(acct.execute(select(inventory_taken.c.phone_number)).scalars())


def available(acct: AccountScope, number: NewNumber) -> bool:
    query = select(inventory_taken.c.phone_number).where(
        inventory_taken.c.phone_number == number.phone_number
    )
    return acct.execute(query).first() is None


def take(acct: AccountScope, phone_number: str, *, reason: str) -> None:
    acct.execute(
        inventory_taken.insert().values(
            phone_number=phone_number, reason=reason, taken_at=acct.clock.now()
        )
    )


def give_back(acct: AccountScope, phone_number: str) -> None:
    """A released number is in the inventory again (one that never was: nothing to do)."""
    acct.execute(inventory_taken.delete().where(inventory_taken.c.phone_number == phone_number))


def matching(
    numbers: Iterable[NewNumber], wanted: list[str], *, t38: bool, sms: bool
) -> Iterator[NewNumber]:
    """The numbers with one of the wanted patterns ('no_patterns': none at all) and the
    features required."""
    every = "all_numbers" in wanted
    for n in numbers:
        if (t38 and not n.t38_support) or (sms and not n.sms_support):
            continue
        if every or ("no_patterns" in wanted and not n.patterns) or n.patterns & set(wanted):
            yield n


def spare(
    exchange: nanp.Exchange,
    count: int,
    rng: random.Random,
    *,
    sequential: bool,
    unavailable: set[str],
) -> list[NewNumber]:
    """Up to `count` numbers of the exchange outside the inventory for an order: a block of
    consecutive ones, or drawn at random."""
    offered = {n.phone_number for n in numbers_of(exchange)}
    free = [
        line
        for line in (str(n).zfill(4) for n in range(10_000))
        if exchange.prefix + line not in offered and exchange.prefix + line not in unavailable
    ]
    if sequential:
        start = rng.randrange(max(1, len(free) - count + 1))
        lines = free[start : start + count]
    else:
        lines = sorted(rng.sample(free, min(count, len(free))))
    return [_number(exchange, line, 0) for line in lines]
