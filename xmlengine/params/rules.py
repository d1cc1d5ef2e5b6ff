"""Conditional rules declared beside a parameter table ("date_to requires date_from", ...).

A rule reads the parsed values and returns the error codes it finds. Rules skip
parameters whose own value was refused, so one problem is reported once. Each rule and
condition says what it checks (`describe()`) and which codes it answers, for the
reference pages: the factories here describe theirs, a hand-written one is wrapped with
`described` or `when`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from xmlengine.params.table import Params, Rule


@dataclass(frozen=True, slots=True)
class Described:
    """A rule with what the reference says of it: a sentence and the codes it may answer."""

    check: Rule
    text: str
    codes: tuple[str, ...]

    def __call__(self, args: Params) -> list[str]:
        return self.check(args)

    def describe(self) -> str:
        return self.text


def described(text: str, *codes: str) -> Callable[[Rule], Described]:
    """Describe a hand-written rule: `@described("...", "prefix_invalid")`."""
    return lambda check: Described(check, text, codes)


@dataclass(frozen=True, slots=True)
class Condition:
    """When a `required_if` applies, with its words ("`mode` is create")."""

    holds: Callable[[Params], bool]
    text: str

    def __call__(self, args: Params) -> bool:
        return self.holds(args)

    def describe(self) -> str:
        return self.text


def when(text: str) -> Callable[[Callable[[Params], bool]], Condition]:
    """Describe a hand-written condition: `@when("the port is sent to staff")`."""
    return lambda holds: Condition(holds, text)


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def together(*names: str) -> Described:
    """If one is sent, all must be (`date_from` and `date_to`)."""

    def rule(args: Params) -> list[str]:
        if not any(args.sent(n) for n in names):
            return []
        return [f"{n}_required" for n in names if not args.sent(n)]

    codes = tuple(f"{n}_required" for n in names)
    return Described(rule, f"{_names(names)} are sent together, or none of them.", codes)


def requires(name: str, *needed: str) -> Described:
    """`name` needs each of `needed` (`date_to` needs `date_from`)."""

    def rule(args: Params) -> list[str]:
        if not args.sent(name):
            return []
        return [f"{n}_required" for n in needed if not args.sent(n)]

    codes = tuple(f"{n}_required" for n in needed)
    return Described(rule, f"`{name}` needs {_names(needed)}.", codes)


def one_of(*names: str, code: str | None = None) -> Described:
    """At least one of `names`; the code is the guide's, or the first name's `_required`."""

    def rule(args: Params) -> list[str]:
        if any(args.sent(n) for n in names):
            return []
        return [code or f"{names[0]}_required"]

    text = f"At least one of {_names(names)} is required."
    return Described(rule, text, (code or f"{names[0]}_required",))


def required_if(name: str, condition: Condition, code: str | None = None) -> Described:
    """`name` is required when `condition` holds (an option set, a mode, a usage type)."""

    def rule(args: Params) -> list[str]:
        if args.sent(name) or not condition(args):
            return []
        return [code or f"{name}_required"]

    text = f"`{name}` is required when {condition.describe()}."
    return Described(rule, text, (code or f"{name}_required",))


def has_option(option: str, name: str = "options") -> Condition:
    def condition(args: Params) -> bool:
        return option in (getattr(args, name) or ())

    return Condition(condition, f"`{name}` includes `{option}`")


def equals(name: str, value: Any) -> Condition:
    def condition(args: Params) -> bool:
        return bool(getattr(args, name) == value)

    shown = ("1" if value else "0") if isinstance(value, bool) else value
    return Condition(condition, f"`{name}` is `{shown}`")


def in_mode(mode: str) -> Condition:
    return equals("mode", mode)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def date_span(
    start: str, end: str, *, months: int | None, code: str = "date_range_invalid"
) -> Described:
    """`end` not before `start`, and at most `months` apart (`None`: no maximum span)."""

    def rule(args: Params) -> list[str]:
        first: dt.date | None = getattr(args, start)
        last: dt.date | None = getattr(args, end)
        if first is None or last is None:
            return []
        if last < first:
            return [code]
        return [code] if months is not None and last > add_months(first, months) else []

    span = f", and at most {months} months after it" if months is not None else ""
    return Described(rule, f"`{end}` is not before `{start}`{span}.", (code,))
