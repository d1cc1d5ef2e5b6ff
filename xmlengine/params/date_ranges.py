"""The local date range group: `date_from` and `date_to`, days in the account's time zone.

One declaration parameterised as the guide words it per request type:

- `months`: the longest range ("Max date range ... is 12 months"), checked with the order
  of the bounds (`date_range_invalid`); `UNLIMITED` checks the order only; None checks
  nothing (listings that answer a reversed range with no rows).
- `pairing`: "both" when each bound needs the other ("If set, date_to must also be set":
  both are then Optionally required), "v1_0_from_alone" the same except that on v1.0
  `date_from` alone is a period through today (`rules.date_pair`), "to_needs_from" when
  only `date_to` needs `date_from`.

    date_from, date_to = date_range(months=12)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final, Literal, cast

from xmlengine.params.rules import date_pair, date_span, requires, together
from xmlengine.params.table import Need, Param, Rule
from xmlengine.params.types import Date

UNLIMITED: Final = "unlimited"  # no longest range: only the order of the bounds is checked

Pairing = Literal["both", "v1_0_from_alone", "to_needs_from", "none"]

# Each pairing's rule, from the names of the start and the end.
_PAIRED: dict[Pairing, Callable[[str, str], Rule]] = {
    "both": together,
    "v1_0_from_alone": date_pair,
    "to_needs_from": lambda start, end: requires(end, start),
}


def date_range(
    months: int | Literal["unlimited"] | None = UNLIMITED, *, pairing: Pairing = "none"
) -> tuple[dt.date | None, dt.date | None]:
    need: Need = "conditional" if pairing in ("both", "v1_0_from_alone") else "optional"
    start = Param(Date(), need)
    # The rules come with `date_to`, made once both bounds are named.
    rules: list[Callable[[Param], Rule]] = []
    if (paired := _PAIRED.get(pairing)) is not None:
        rules.append(lambda end: paired(start.name, end.name))
    if months is not None:
        longest = months if isinstance(months, int) else None  # UNLIMITED: none
        rules.append(lambda end: date_span(start.name, end.name, months=longest))
    end = Param(Date(), need, rules=tuple(rules))
    return cast(tuple[dt.date | None, dt.date | None], (start, end))
