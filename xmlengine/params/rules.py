"""Conditional rules declared beside a parameter table ("date_to requires date_from", ...).

A rule reads the parsed values and returns the error codes it finds. Rules skip
parameters whose own value was refused, so one problem is reported once.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any

from xmlengine.params.table import Params, Rule


def together(*names: str) -> Rule:
    """If one is sent, all must be (`date_from` and `date_to`)."""

    def rule(args: Params) -> list[str]:
        if not any(args.sent(n) for n in names):
            return []
        return [f"{n}_required" for n in names if not args.sent(n)]

    return rule


def requires(name: str, *needed: str) -> Rule:
    """`name` needs each of `needed` (`date_to` needs `date_from`)."""

    def rule(args: Params) -> list[str]:
        if not args.sent(name):
            return []
        return [f"{n}_required" for n in needed if not args.sent(n)]

    return rule


def one_of(*names: str, code: str | None = None) -> Rule:
    """At least one of `names`; the code is the guide's, or the first name's `_required`."""

    def rule(args: Params) -> list[str]:
        if any(args.sent(n) for n in names):
            return []
        return [code or f"{names[0]}_required"]

    return rule


def required_if(name: str, condition: Callable[[Params], bool], code: str | None = None) -> Rule:
    """`name` is required when `condition` holds (an option set, a mode, a usage type)."""

    def rule(args: Params) -> list[str]:
        if args.sent(name) or not condition(args):
            return []
        return [code or f"{name}_required"]

    return rule


def has_option(option: str, name: str = "options") -> Callable[[Params], bool]:
    def condition(args: Params) -> bool:
        return option in (getattr(args, name) or ())

    return condition


def equals(name: str, value: Any) -> Callable[[Params], bool]:
    def condition(args: Params) -> bool:
        return bool(getattr(args, name) == value)

    return condition


def in_mode(mode: str) -> Callable[[Params], bool]:
    """The given or default `mode`; a refused one is no mode, so its own error stands alone."""

    def condition(args: Params) -> bool:
        return getattr(args, "mode", None) == mode and "mode" not in args.parsed.failed

    return condition


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def date_span(start: str, end: str, *, months: int, code: str = "date_range_invalid") -> Rule:
    """`end` not before `start`, and at most `months` apart."""

    def rule(args: Params) -> list[str]:
        first: dt.date | None = getattr(args, start)
        last: dt.date | None = getattr(args, end)
        if first is None or last is None:
            return []
        if last < first:
            return [code]
        return [code] if last > add_months(first, months) else []

    return rule
