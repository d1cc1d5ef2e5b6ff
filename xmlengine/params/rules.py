"""Conditional rules declared beside a parameter table ("date_to requires date_from", ...).

A rule reads the parsed values and returns the error codes it finds. Rules skip
parameters whose own value was refused, so one problem is reported once.

Each rule is a `Declared`: besides checking, it says what it is (its kind, the
parameters it reads, the codes it answers, a sentence for the reference pages and the
API description) and carries `cases`, requests that break and keep it, from which the
error matrix derives its tests. A `Condition` (when a `required_if` applies) likewise
has its words and values that make it hold.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from xmlengine.params.table import Params


class _AnyValue:
    def __repr__(self) -> str:
        return "ANY_VALUE"


ANY_VALUE: Any = _AnyValue()  # in a case: any value the parameter's type accepts


@dataclass(frozen=True, slots=True)
class Case:
    """Parsed values of a request (or ANY_VALUE) and the codes the rule answers them with;
    no codes: the values keep the rule."""

    values: Mapping[str, Any]
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Declared:
    """A rule and what it is: its kind, the parameters it reads, every code it can answer,
    requests that break and keep it, and what the reference says of it (a sentence)."""

    kind: str
    names: tuple[str, ...]
    codes: tuple[str, ...]
    check: Callable[[Params], list[str]]
    cases: tuple[Case, ...]
    text: str

    def __call__(self, args: Params) -> list[str]:
        return self.check(args)


@dataclass(frozen=True, slots=True)
class Condition:
    """When a `required_if` applies, with parsed values that make it apply and its words
    ("`mode` is `create`")."""

    check: Callable[[Params], bool]
    when: Mapping[str, Any]
    text: str

    def __call__(self, args: Params) -> bool:
        return self.check(args)


def declared_rules(table: type[Params]) -> tuple[Declared, ...]:
    """Every rule of `table`, those its parameters bring (a group's) first: what the
    reference pages and the API description show and the error matrix tests."""
    stray = [rule for rule in table.all_rules if not isinstance(rule, Declared)]
    if stray:
        raise TypeError(f"a rule of {table.__name__} is not a Declared: {stray[0]!r}")
    return tuple(rule for rule in table.all_rules if isinstance(rule, Declared))


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def together(*names: str) -> Declared:
    """If one is sent, all must be (`date_from` and `date_to`)."""

    def rule(args: Params) -> list[str]:
        if not any(args.sent(n) for n in names):
            return []
        return [f"{n}_required" for n in names if not args.sent(n)]

    alone = tuple(
        Case({n: ANY_VALUE}, tuple(f"{m}_required" for m in names if m != n)) for n in names
    )
    return Declared(
        "together",
        names,
        tuple(f"{n}_required" for n in names),
        rule,
        (*alone, Case({n: ANY_VALUE for n in names})),
        f"{_names(names)} are sent together, or none of them.",
    )


def date_pair(start: str, end: str) -> Declared:
    """The guide's "if set, the other must also be set", except that on v1.0 `start` alone
    is a period through today (WIRE.md: v1.0 pollers send `date_from` alone); the handler
    ends it today in the account's time zone."""
    both = together(start, end)

    def rule(args: Params) -> list[str]:
        if args.parsed.generation == "v1.0" and args.sent(start) and not args.sent(end):
            return []
        return both(args)

    # The cases hold on both generations (`start` alone is refused on v1.1 only).
    cases = (
        Case({end: ANY_VALUE}, (f"{start}_required",)),
        Case({start: ANY_VALUE, end: ANY_VALUE}),
    )
    text = (
        f"`{start}` and `{end}` are sent together, or none of them; on v1.0 `{start}` alone "
        "is a period through today."
    )
    return Declared("date_pair", (start, end), both.codes, rule, cases, text)


def requires(name: str, *needed: str) -> Declared:
    """`name` needs each of `needed` (`date_to` needs `date_from`)."""

    def rule(args: Params) -> list[str]:
        if not args.sent(name):
            return []
        return [f"{n}_required" for n in needed if not args.sent(n)]

    codes = tuple(f"{n}_required" for n in needed)
    return Declared(
        "requires",
        (name, *needed),
        codes,
        rule,
        (Case({name: ANY_VALUE}, codes), Case({n: ANY_VALUE for n in (name, *needed)})),
        f"`{name}` needs {_names(needed)}.",
    )


def one_of(*names: str, code: str | None = None) -> Declared:
    """At least one of `names`; the code is the guide's, or the first name's `_required`."""
    answer = code or f"{names[0]}_required"

    def rule(args: Params) -> list[str]:
        if any(args.sent(n) for n in names):
            return []
        return [answer]

    return Declared(
        "one_of",
        names,
        (answer,),
        rule,
        (Case({}, (answer,)), *(Case({n: ANY_VALUE}) for n in names)),
        f"At least one of {_names(names)} is required.",
    )


def required_if(name: str, condition: Condition, code: str | None = None) -> Declared:
    """`name` is required when `condition` holds (an option set, a mode, a usage type)."""
    answer = code or f"{name}_required"

    def rule(args: Params) -> list[str]:
        if args.sent(name) or not condition(args):
            return []
        return [answer]

    return Declared(
        "required_if",
        (name, *condition.when),
        (answer,),
        rule,
        (Case(condition.when, (answer,)), Case({**condition.when, name: ANY_VALUE})),
        f"`{name}` is required when {condition.text}.",
    )


def has_option(option: str, name: str = "options") -> Condition:
    def condition(args: Params) -> bool:
        return option in (getattr(args, name) or ())

    return Condition(condition, {name: [option]}, f"`{name}` includes `{option}`")


def equals(name: str, value: Any) -> Condition:
    def condition(args: Params) -> bool:
        return bool(getattr(args, name) == value)

    shown = ("1" if value else "0") if isinstance(value, bool) else value
    return Condition(condition, {name: value}, f"`{name}` is `{shown}`")


def in_mode(mode: str) -> Condition:
    """The given or default `mode`; a refused one is no mode, so its own error stands alone."""

    def condition(args: Params) -> bool:
        return getattr(args, "mode", None) == mode and "mode" not in args.parsed.failed

    return Condition(condition, {"mode": mode}, f"`mode` is `{mode}`")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the end of a shorter month, and to the
    calendar's last day (9999-12-31) when it would fall after it: no date is later."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > dt.MAXYEAR:
        return dt.date.max
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# The first day of the date_span cases: a month's last day, so the span is clamped.
_SPAN_START = dt.date(2024, 1, 31)


def date_span(
    start: str, end: str, *, months: int | None, code: str = "date_range_invalid"
) -> Declared:
    """`end` not before `start`, and at most `months` apart (None: no longest range)."""

    def rule(args: Params) -> list[str]:
        first: dt.date | None = getattr(args, start)
        last: dt.date | None = getattr(args, end)
        if first is None or last is None:
            return []
        if last < first:
            return [code]
        return [code] if months is not None and last > add_months(first, months) else []

    first, day = _SPAN_START, dt.timedelta(days=1)
    ordered = (Case({start: first, end: first - day}, (code,)), Case({start: first, end: first}))
    longest: tuple[Case, ...]
    if months is None:
        longest = (Case({start: first, end: dt.date.max}),)
    else:
        last = add_months(first, months)
        longest = (Case({start: first, end: last + day}, (code,)), Case({start: first, end: last}))
    span = "" if months is None else f", and at most {months} months after it"
    return Declared(
        "date_span",
        (start, end),
        (code,),
        rule,
        (*ordered, *longest),
        f"`{end}` is not before `{start}`{span}.",
    )
