"""The sandbox's inventory of new numbers: derived, not stored.

Local numbers: each exchange of the numbering plan (reference/nanp.py) offers a few
numbers drawn from the exchange and a fixed seed, so every server offers the same ones;
one exchange in ten offers none (its `availability` is 0: those numbers are ordered).
Toll-free numbers: each exchange of the toll-free codes (800, 833, ... 888) likewise.
International numbers (and iNum): a block of numbers in each country of `ABROAD`, drawn
after the digits of the country's example fixed-line number in `phonenumbers`, and kept
only when the library says they are valid numbers. Only the numbers taken out of the
inventory (activated or delivered by an order) are kept, in `inventory_taken`, shared by
every account of the server. The pattern classes of the guide are computed from the
digits of the line number (the last four; the trio from the last six).
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Final

import phonenumbers
from phonenumbers import geocoder
from sqlalchemy import select

from xmlengine.reference import geography, nanp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.inventory_tables import inventory_taken

SEED: Final = "xmlengine sandbox inventory"
DRAWN: Final = 16  # random line numbers per exchange, besides one of each pattern
SLOTS: Final = 32  # did_id = exchange * SLOTS + position: more than an exchange offers
NXX_CODES: Final = 800  # 200 to 999
TOLLFREE_NPAS: Final = ("800", "833", "844", "855", "866", "877", "888")
# The countries whose numbers the inventory offers, a block each ("001": iNum, +883).
# Numbers are kept as digits: a country whose numbers have ten digits in E.164 (Germany's
# +49 30..., Belgium's) would read as a North American number, so none is here.
ABROAD: Final = ("GB", "FR", "ES", "IT", "NL", "CH", "PT", "AU", "JP", "MX", "BR", "001")
INUM_CODE: Final = 883
# did_id of a number abroad: this base, then the block's rank times SLOTS and its position
# (above every id of the NANP grid: (999-200)*800 + 799, times SLOTS, is about 20.5 M).
ABROAD_IDS: Final = 1 << 25
LOCAL, TOLLFREE, INTERNATIONAL, INUM = "local", "tollfree", "international", "inum"
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
    phone_number: str  # ten digits in North America, the E.164 digits elsewhere
    exchange: nanp.Exchange | None  # a local number's
    patterns: frozenset[str]
    t38_support: bool
    sms_support: bool
    did_id: int  # the inventory's id of the number (see `by_did_id`)
    type: str = LOCAL  # or TOLLFREE, INTERNATIONAL, INUM
    locality: str = ""  # the rate center of a local number; the place of one abroad
    country_id: int | None = None

    @property
    def npa(self) -> str:
        return self.phone_number[:3] if self.type in (LOCAL, TOLLFREE) else ""

    @property
    def nxx(self) -> str:
        return self.phone_number[3:6] if self.type in (LOCAL, TOLLFREE) else ""


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
    return _stocked(exchange.prefix)


def _stocked(prefix: str) -> bool:
    return _hash(prefix) % 10 != 0


def _lines(prefix: str) -> list[str]:
    """The line numbers a block offers: drawn at random from its prefix and the seed, plus
    one quadruple, one triple, one pair and one straight."""
    rng = random.Random(f"{SEED}:{prefix}")
    d, e = rng.sample("0123456789", 2)
    start = rng.randrange(7)
    return sorted(
        {
            d * 4,  # quadruple
            d * 3 + e,  # triple
            d * 2 + e * 2,  # pair
            "".join(str(start + i) for i in range(4)),  # rare: a straight
            *(str(n).zfill(4) for n in rng.sample(range(10_000), DRAWN)),
        }
    )


def _grid_id(prefix: str) -> int:
    """The first did_id of a North American exchange (local or toll-free)."""
    return ((int(prefix[:3]) - 200) * NXX_CODES + int(prefix[3:6]) - 200) * SLOTS


@lru_cache(maxsize=8192)
def numbers_of(exchange: nanp.Exchange) -> tuple[NewNumber, ...]:
    """The numbers the exchange offers (none when it is not stocked), in order."""
    if not stocked(exchange):
        return ()
    base = _grid_id(exchange.prefix)
    return tuple(
        _number(exchange, line, base + position)
        for position, line in enumerate(_lines(exchange.prefix))
    )


def _number(exchange: nanp.Exchange, line: str, did_id: int) -> NewNumber:
    center = exchange.ratecenter
    return _made(exchange.prefix + line, did_id, LOCAL, exchange, center.name, center.country_id)


def _made(
    digits: str,
    did_id: int,
    kind: str,
    exchange: nanp.Exchange | None,
    locality: str,
    country_id: int | None,
) -> NewNumber:
    """A number of the inventory; its features from a hash of its digits."""
    bits = _hash(digits)
    return NewNumber(
        digits,
        exchange,
        patterns(digits),
        t38_support=bits % 5 < 3,
        sms_support=bits % 10 < 8,
        did_id=did_id,
        type=kind,
        locality=locality,
        country_id=country_id,
    )


def tollfree_exchanges() -> Iterator[str]:
    """The toll-free exchanges (8YY-NXX), by code then NXX."""
    for npa in TOLLFREE_NPAS:
        for nxx in range(200, 1000):
            yield f"{npa}{nxx}"


@lru_cache(maxsize=8192)
def tollfree_numbers_of(prefix: str) -> tuple[NewNumber, ...]:
    if not _stocked(prefix):
        return ()
    base = _grid_id(prefix)
    country = geography.UNITED_STATES  # where phonenumbers places the toll-free codes
    return tuple(
        _made(prefix + line, base + position, TOLLFREE, None, "", country)
        for position, line in enumerate(_lines(prefix))
    )


@cache
def abroad_numbers_of(region: str) -> tuple[NewNumber, ...]:
    """The block of a country (or of iNum): numbers after its example fixed-line number's
    digits but the last four, those `phonenumbers` takes for valid."""
    rank = ABROAD.index(region)
    if region == "001":
        example = phonenumbers.example_number_for_non_geo_entity(INUM_CODE)
        kind, country = INUM, None
    else:
        example = phonenumbers.example_number_for_type(
            region, phonenumbers.PhoneNumberType.FIXED_LINE
        )
        found = geography.country_by_iso2(region)
        kind, country = INTERNATIONAL, found.country_id if found else None
    assert example is not None
    prefix = f"{example.country_code}{phonenumbers.national_significant_number(example)}"[:-4]
    numbers = []
    for position, line in enumerate(_lines(prefix)):
        parsed = phonenumbers.parse("+" + prefix + line)
        if phonenumbers.is_valid_number(parsed):
            place = geocoder.description_for_number(parsed, "en")
            did_id = ABROAD_IDS + rank * SLOTS + position
            numbers.append(_made(prefix + line, did_id, kind, None, place, country))
    return tuple(numbers)


def by_did_id(did_id: int) -> NewNumber | None:
    """The number of the inventory with this id: its exchange (or block abroad) and its
    position, in 32 bits."""
    if did_id >= ABROAD_IDS:
        rank = (did_id - ABROAD_IDS) // SLOTS
        offered = abroad_numbers_of(ABROAD[rank]) if rank < len(ABROAD) else ()
        return next((n for n in offered if n.did_id == did_id), None)
    code, position = divmod(did_id, SLOTS)
    npa, nxx = divmod(code, NXX_CODES)
    prefix = f"{npa + 200}{nxx + 200}"
    exchange = nanp.exchange(prefix)
    if exchange is not None:
        offered = numbers_of(exchange)
    else:
        offered = tollfree_numbers_of(prefix) if prefix[:3] in TOLLFREE_NPAS else ()
    return offered[position] if position < len(offered) else None


def find(phone_number: str) -> NewNumber | None:
    """The number of the inventory with these digits (taken or not): ten in North America
    (or eleven with the leading 1), the E.164 digits elsewhere."""
    nanp_digits = phone_number.removeprefix("1") if len(phone_number) == 11 else phone_number
    if len(nanp_digits) == 10 and phone_number[0] != "0":
        exchange = nanp.exchange(nanp_digits)
        if exchange is not None:
            offered = numbers_of(exchange)
        elif nanp_digits[:3] in TOLLFREE_NPAS:
            offered = tollfree_numbers_of(nanp_digits[:6])
        else:
            offered = ()
        found = next((n for n in offered if n.phone_number == nanp_digits), None)
        if found is not None:
            return found
    for region in ABROAD:
        for n in abroad_numbers_of(region):
            if n.phone_number == phone_number:
                return n
    return None


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


def spare_abroad(
    prefix: str, count: int, rng: random.Random, *, sequential: bool, unavailable: set[str]
) -> list[NewNumber]:
    """Up to `count` numbers under an international prefix (country code first) outside
    the inventory for an order: as long as the country's example fixed-line number, valid
    for `phonenumbers`; a block of consecutive ones, or drawn at random."""
    region = _region_of(prefix)
    example = (
        phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.FIXED_LINE)
        if region
        else None
    )
    if region is None or example is None:
        return []
    width = len(str(example.country_code)) + len(phonenumbers.national_significant_number(example))
    free = width - len(prefix)
    if free < 1 or width == 10:  # ten digits read as a North American number
        return []
    rank = ABROAD.index(region) if region in ABROAD else None
    offered = {n.phone_number for n in abroad_numbers_of(region)} if rank is not None else set()
    found = geography.country_by_iso2(region)
    country = found.country_id if found else None
    space = 10**free
    start = rng.randrange(space)
    tries = min(space, SPARE_TRIES)
    picks = ((start + i) % space if sequential else rng.randrange(space) for i in range(tries))
    numbers: list[NewNumber] = []
    seen: set[str] = set()
    for pick in picks:
        digits = prefix + str(pick).zfill(free)
        if digits in seen or digits in offered or digits in unavailable:
            continue
        seen.add(digits)
        parsed = phonenumbers.parse("+" + digits)
        if not phonenumbers.is_valid_number(parsed):
            continue
        place = geocoder.description_for_number(parsed, "en")
        numbers.append(_made(digits, 0, INTERNATIONAL, None, place, country))
        if len(numbers) == count:
            break
    return sorted(numbers, key=lambda n: n.phone_number)


SPARE_TRIES: Final = 20_000  # candidates an order abroad looks at before it gives up


def _region_of(prefix: str) -> str | None:
    """The country of an international prefix (its calling code first)."""
    for size in (1, 2, 3):
        if len(prefix) > size:
            region = phonenumbers.region_code_for_country_code(int(prefix[:size]))
            if region not in ("ZZ", "001"):
                return str(region)
    return None
