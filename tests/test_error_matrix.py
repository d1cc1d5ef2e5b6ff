"""The error matrix, generated from the declarations: for every request type, each
required parameter missing and each parameter given a value its type refuses must be
answered with the parameter's code; and every code the registry can emit this way has
its own English and French text (not the catalog's generic fallback)."""

from __future__ import annotations

from typing import Any

import pytest

from xmlengine.params.table import Param, Params
from xmlengine.params.types import Invalid
from xmlengine.protocol.messages import describe
from xmlengine.request_types import build_registry

REGISTRY = build_registry()
REQUEST_TYPES = sorted(REGISTRY.by_name)

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


def _refused(param: Param) -> tuple[Any, str] | None:
    """A value the parameter's type refuses, with the code it is refused with."""
    for value in GARBAGE:
        try:
            param.type.parse(value)
        except Invalid as problem:
            return value, problem.code or param.invalid_code
        except Exception:  # a type must refuse with Invalid, never crash
            pytest.fail(f"{param.name}: {param.type!r} raised on {value!r}")
    return None  # a free-text parameter: every value is acceptable


def _emitted(table: type[Params]) -> set[str]:
    codes = set(table.parse({})[1])
    for param in table.table.values():
        refused = _refused(param)
        if refused is not None:
            codes.update(table.parse({param.name: refused[0]})[1])
    return codes


@pytest.mark.parametrize("name", REQUEST_TYPES)
def test_a_missing_required_parameter_is_reported(name: str) -> None:
    table = REGISTRY.by_name[name].params
    _, errors = table.parse({})
    for param in table.table.values():
        if param.need == "required":
            assert param.required_code in errors, f"{name}.{param.name}"


@pytest.mark.parametrize("name", REQUEST_TYPES)
def test_a_refused_value_is_reported_with_its_code(name: str) -> None:
    table = REGISTRY.by_name[name].params
    for param in table.table.values():
        refused = _refused(param)
        if refused is None:
            continue
        value, code = refused
        _, errors = table.parse({param.name: value})
        assert code in errors, f"{name}.{param.name} = {value!r}: {errors}"
        assert param.required_code not in errors, f"{name}.{param.name} also reported missing"


@pytest.mark.parametrize("name", REQUEST_TYPES)
def test_every_code_emitted_has_its_own_text(name: str) -> None:
    for code in _emitted(REGISTRY.by_name[name].params):
        for language, fallback in (("en", f"Error: {code}."), ("fr", f"Erreur\u00a0: {code}.")):
            text = describe(code, language)
            assert text and text != fallback, f"{name}: {code} has no {language} text"
