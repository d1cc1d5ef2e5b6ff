"""Declaring parameter tables and parsing a request's values against them.

A request type's parameters are a `Params` subclass whose attributes are `p(...)`
declarations mirroring the guide's table. `parse` checks every parameter's shape and
every rule, collecting all the error codes before refusing; checks that need the
database (ids of the caller's account) run later, inside the request's transaction.

White space around a typed value (a date, a number, an id, a choice, a hash...) is not
part of it: clients send `date +%Y-%m-%d` with its newline. It is dropped here, once,
before the type reads the value; free text (`ParamType.keeps_spaces`) is kept as sent.

A parameter may bring its own rules and a default that depends on the other values:
that is how a shared group (`params/modes.py`, `paging.py`, `date_ranges.py`) is
declared once, with its rules, and placed in any table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

from xmlengine.params.describing import Schema
from xmlengine.params.types import Invalid, ParamType

Need = Literal["required", "optional", "conditional", "deprecated"]


@dataclass(slots=True)
class Param:
    type: ParamType
    need: Need = "optional"
    default: Any = None
    code: str = ""  # error-code stem; the parameter's name unless the guide says otherwise
    doc: str = ""
    name: str = ""
    # Rules that come with the parameter, each made from it once its name is known.
    rules: tuple[Callable[[Param], Rule], ...] = ()
    # When not given: the default computed from the other values (after `default` is set).
    default_of: Callable[[Params], Any] | None = None

    def __set_name__(self, owner: object, name: str) -> None:
        self.name = name
        self.code = self.code or name

    @property
    def required_code(self) -> str:
        return f"{self.code}_required"

    @property
    def invalid_code(self) -> str:
        return self.type.invalid_code or f"{self.code}_invalid"

    def error_codes(self) -> tuple[str, ...]:
        """The codes this parameter alone may answer (a rule may add its `_required`)."""
        required = (self.required_code,) if self.need == "required" else ()
        return (*required, *self.type.error_codes(self.invalid_code))

    @property
    def has_default(self) -> bool:
        return self.default not in (None, "")

    def default_text(self) -> str:
        shown = self.type.wire(self.default)
        return ",".join(map(str, shown)) if isinstance(shown, list) else str(shown)

    def describe(self) -> str:
        """The value in words, with its need and default: "integer from 1 to 5; optional"."""
        default = f", default {self.default_text()}" if self.has_default else ""
        return f"{self.value_text()}; {self.need}{default}"

    def value_text(self) -> str:
        """The value in words, and what the declaration adds (`doc`)."""
        return f"{self.type.describe()}; {self.doc}" if self.doc else self.type.describe()

    def schema(self) -> Schema:
        schema = self.type.schema()
        if self.has_default and self._sendable(self.default_text()):
            schema = {**schema, "default": self.type.wire(self.default)}
        if self.need == "deprecated":
            schema = {**schema, "deprecated": True}
        return schema

    def _sendable(self, text: str) -> bool:
        """Some of the guide's defaults mean "none" and cannot be sent (a duration of 0)."""
        try:
            self.type.parse(text)
        except Invalid:
            return False
        return True


def p(
    kind: ParamType,
    *,
    required: bool = False,
    conditional: bool = False,
    deprecated: bool = False,
    default: Any = None,
    code: str = "",
    doc: str = "",
) -> Any:
    """Declare a parameter. Typed `Any` so that `name: int = p(...)` reads as the value's type."""
    need: Need = (
        "required"
        if required
        else "conditional"
        if conditional
        else "deprecated"
        if deprecated
        else "optional"
    )
    return Param(kind, need, default, code, doc)


Rule = Callable[["Params"], list[str]]


@dataclass(frozen=True, slots=True)
class Parsed:
    """What the pipeline needs besides the values: which were given, which need the database."""

    given: frozenset[str]
    failed: frozenset[str] = frozenset()
    checks: tuple[tuple[Param, Any], ...] = ()
    generation: str = "v1.1"  # of the URL the request came to: a few rules differ on v1.0


# What a table without parameters parses to (many `get_*`): the same every time.
_NOTHING_GIVEN = {
    generation: Parsed(frozenset(), generation=generation) for generation in ("v1.0", "v1.1")
}


class Params:
    """Base of every parameter table; a subclass's `p()` attributes are its parameters.

    `rules` are the table's own; `all_rules` adds, first, those its parameters bring.
    """

    table: ClassVar[dict[str, Param]] = {}
    rules: ClassVar[tuple[Rule, ...]] = ()
    all_rules: ClassVar[tuple[Rule, ...]] = ()
    derived: ClassVar[tuple[Param, ...]] = ()
    parsed: Parsed

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        table: dict[str, Param] = {}
        for klass in reversed(cls.__mro__):
            table.update({k: v for k, v in vars(klass).items() if isinstance(v, Param)})
        cls.table = table
        brought = tuple(make(param) for param in table.values() for make in param.rules)
        cls.all_rules = (*brought, *cls.rules)
        cls.derived = tuple(param for param in table.values() if param.default_of is not None)

    @classmethod
    def schema(cls) -> Schema:
        """The table as a JSON schema object (a record's fields, a request's parameters)."""
        required = [name for name, param in cls.table.items() if param.need == "required"]
        properties = {name: param.schema() for name, param in cls.table.items()}
        return {"type": "object", "properties": properties, "required": required}

    def given(self, name: str) -> bool:
        return name in self.parsed.given

    def sent(self, name: str) -> bool:
        """Given, valid or not: rules about presence must not report a refused value as missing."""
        return name in self.parsed.given or name in self.parsed.failed

    @classmethod
    def parse(cls, raw: Mapping[str, Any], *, generation: str = "v1.1") -> tuple[Self, list[str]]:
        """The parsed values and every error code found (shape and rules, not the database)."""
        args = cls()
        if not cls.table and not cls.all_rules:
            args.parsed = _NOTHING_GIVEN[generation]
            return args, []
        errors: list[str] = []
        given: set[str] = set()
        failed: set[str] = set()
        checks: list[tuple[Param, Any]] = []
        for name, param in cls.table.items():
            value = raw.get(name)
            if isinstance(value, str) and not param.type.keeps_spaces:
                value = value.strip()
            if _absent(value):
                if param.need == "required":
                    errors.append(param.required_code)
                setattr(args, name, param.default)
                continue
            try:
                parsed = param.type.parse(value)
            except Invalid as problem:
                errors.append(problem.code or param.invalid_code)
                failed.add(name)
                setattr(args, name, param.default)
                continue
            given.add(name)
            setattr(args, name, parsed)
            if param.type.has_check:
                checks.append((param, parsed))
        args.parsed = Parsed(frozenset(given), frozenset(failed), tuple(checks), generation)
        for param in cls.derived:
            if param.name not in given and param.default_of is not None:
                setattr(args, param.name, param.default_of(args))
        for rule in cls.all_rules:
            errors.extend(rule(args))
        return args, list(dict.fromkeys(errors))


def _absent(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}
