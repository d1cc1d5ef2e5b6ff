"""Requests derived from the declarations, for the error matrix (tests/test_error_matrix.py).

For a parameter table: a value each parameter's type refuses, a value it accepts (or
one that parses to a wanted value), and, for each rule, the rule's own cases turned into
raw request values. A rule of a record table (`action[0][...]`) is reached through the
parameter holding the records: the rest of the record is filled with values that keep
every other rule, so that the record's first problem, the one answered, is the rule's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from xmlengine.params.records import RecordsOf
from xmlengine.params.rules import ANY_VALUE, Case, Declared
from xmlengine.params.table import Param, Params
from xmlengine.params.types import Choice, Invalid, Upload

# Values that some type or other refuses; the first one a parameter's type refuses is used.
GARBAGE: tuple[Any, ...] = (
    "\x00<not valid>\x00",
    "-1",
    "99999999999999999999",
    "x" * 5000,
    "0000-13-45",
    "0",
    "a",
    {"0": {"x": "1"}},
    ["a", "b"],
)

# Values that some type or other accepts; the first one a parameter's type accepts is used.
ACCEPTABLE: tuple[str, ...] = (
    "1",
    "5",
    "10",
    "1234",
    "2000",
    "514555",
    "2024-01-31",
    "2024-01-31 10:00:00",
    "5145550123",
    "a@example.com",
    "https://example.com/hook",
    "100@pbx.example.com",
    "192.0.2.1",
    "0123456789abcdef0123456789abcdef",
    "pbx.example.com",
    "peer_1234",
    "ABCD-1234-EFGH-5678",
    "H2X 1Y4",
    "QC",
    "CA",
    "Some text",
)


@dataclass(frozen=True)
class File:
    """An uploaded file: sent as a multipart part (a page of text a fax takes)."""

    name: str = "page.txt"
    content: bytes = b"A page to send.\n"
    content_type: str = "text/plain"


def refused(param: Param) -> tuple[Any, str] | None:
    """A value the parameter's type refuses, with the code it is refused with."""
    for value in GARBAGE:
        try:  # a type refuses with Invalid, never crashes: anything else fails the test
            param.type.parse(value)
        except Invalid as problem:
            return value, problem.code or param.invalid_code
    return None  # a free-text parameter: every value is acceptable


def _texts(wanted: Any) -> tuple[Any, ...]:
    """Raw forms that may parse to `wanted`."""
    if isinstance(wanted, bool):
        return ("1", "yes", "true") if wanted else ("0", "no", "false")
    if isinstance(wanted, dt.date):
        return (wanted.isoformat(),)
    if isinstance(wanted, list):
        return (",".join(str(v) for v in wanted),)
    return (str(wanted),)


def accepted(param: Param, wanted: Any = ANY_VALUE) -> Any:
    """A raw value the parameter's type accepts: any, or one that parses to `wanted`."""
    kind = param.type
    if isinstance(kind, Upload):
        return File()
    if isinstance(kind, RecordsOf) and wanted is ANY_VALUE:
        return {"0": valid_values(kind.record)}
    if wanted is not ANY_VALUE:
        candidates = _texts(wanted)
    elif isinstance(kind, Choice):
        candidates = kind.values
    else:
        candidates = ACCEPTABLE
    for raw in candidates:
        try:
            parsed = kind.parse(raw)
        except Invalid:
            continue
        if wanted is ANY_VALUE or parsed == wanted:
            return raw
    raise AssertionError(f"no value of {kind!r} found for {param.name} = {wanted!r}")


def raw_values(table: type[Params], values: Mapping[str, Any]) -> dict[str, Any]:
    """A rule case's parsed values as a request would send them."""
    unknown = set(values) - set(table.table)
    assert not unknown, f"{table.__name__}: a rule's case names {unknown}"
    return {name: accepted(table.table[name], wanted) for name, wanted in values.items()}


def _repaired(table: type[Params], values: dict[str, Any], keep: frozenset[str]) -> dict[str, Any]:
    """`values` with what the other rules need merged in, never touching `keep`."""
    for _ in table.all_rules:
        _, errors = table.parse(values)
        fixes = [
            case.values
            for rule in table.all_rules
            if isinstance(rule, Declared) and set(rule.codes) & set(errors)
            for case in rule.cases
            if not case.codes and not set(case.values) & keep
        ]
        if not errors or not fixes:
            return values
        values = {**values, **raw_values(table, fixes[0])}
    return values


def valid_values(table: type[Params]) -> dict[str, Any]:
    """A request (or a record) the table accepts: its required parameters and what its
    rules then need."""
    required = {n: accepted(p) for n, p in table.table.items() if p.need == "required"}
    values = _repaired(table, required, frozenset())
    assert not table.parse(values)[1], f"no valid {table.__name__} found"
    return values


@dataclass(frozen=True)
class RuleCase:
    """One case of one rule, as a request: its values and the codes expected or refused."""

    label: str
    values: dict[str, Any]
    expected: tuple[str, ...]  # each must be in the answer
    absent: tuple[str, ...]  # none may be in the answer


def _top_level(table: type[Params], rule: Declared, case: Case) -> Iterator[RuleCase]:
    label = f"{rule.kind}{rule.names}: {dict(case.values)}"
    values = raw_values(table, case.values)
    yield RuleCase(label, values, case.codes, () if case.codes else rule.codes)
    # A parameter the case leaves missing, sent a refused value instead: reported as
    # refused, not as missing.
    for param in table.table.values():
        if param.required_code in case.codes and (bad := refused(param)) is not None:
            yield RuleCase(
                f"{label} with {param.name} = {bad[0]!r}",
                {**values, param.name: bad[0]},
                (bad[1],),
                (param.required_code,),
            )


def _in_record(param: Param, kind: RecordsOf, rule: Declared, case: Case) -> RuleCase:
    record_table = kind.record
    required = {
        n: accepted(p)
        for n, p in record_table.table.items()
        if p.need == "required" and n not in rule.names
    }
    values = _repaired(
        record_table, {**required, **raw_values(record_table, case.values)}, frozenset(rule.names)
    )
    first = record_table.parse(values)[1][:1]
    assert first == list(case.codes[:1]), f"{rule.kind} in {param.name}: {values} gives {first}"
    renamed = tuple(kind.codes.get(code, code) for code in (case.codes or rule.codes))
    return RuleCase(
        f"{param.name}[0] {rule.kind}{rule.names}: {dict(case.values)}",
        {param.name: {"0": values}},
        renamed[:1] if case.codes else (),
        () if case.codes else renamed,
    )


def rule_cases(table: type[Params]) -> Iterator[RuleCase]:
    """Every case of every rule of the table and of the records it holds."""
    for rule in (_described(table, r) for r in table.all_rules):
        for case in rule.cases:
            yield from _top_level(table, rule, case)
    for param in table.table.values():
        if isinstance(param.type, RecordsOf):
            record = param.type.record
            for rule in (_described(record, r) for r in record.all_rules):
                for case in rule.cases:
                    yield _in_record(param, param.type, rule, case)


def _described(table: type[Params], rule: object) -> Declared:
    """A rule says what it is, with a case that breaks it and one that keeps it."""
    assert isinstance(rule, Declared), f"{table.__name__}: {rule!r} does not describe itself"
    assert any(c.codes for c in rule.cases), f"{table.__name__}: no case breaks {rule.kind}"
    assert any(not c.codes for c in rule.cases), f"{table.__name__}: no case keeps {rule.kind}"
    stray = {code for c in rule.cases for code in c.codes} - set(rule.codes)
    assert not stray, f"{table.__name__}: {rule.kind} cases answer undeclared {stray}"
    return rule


def form(values: Mapping[str, Any]) -> tuple[dict[str, list[str]], list[tuple[str, Any]]]:
    """Fields as PHP-style keys (`a[0][b]`, `a[]`) and the uploaded files."""
    fields: dict[str, list[str]] = {}
    files: list[tuple[str, Any]] = []

    def put(key: str, value: Any) -> None:
        if isinstance(value, File):
            files.append((key, (value.name, value.content, value.content_type)))
        elif isinstance(value, Mapping):
            for sub, item in value.items():
                put(f"{key}[{sub}]", item)
        elif isinstance(value, list):
            for item in value:
                put(f"{key}[]", item)
        else:
            fields.setdefault(key, []).append(value)

    for name, value in values.items():
        put(name, value)
    return fields, files
