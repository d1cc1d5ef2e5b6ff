"""Values one database would keep and the other refuse are refused by the parameter types,
the same on SQLite and PostgreSQL (docs/parameters.md): integers past 32 bits (ids are
PostgreSQL `integer` columns) and NUL characters in text. Generated from the
declarations: every parameter of every built request type, over HTTP, on the real
database."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, codes
from xmlengine.params.table import Param
from xmlengine.params.types import Int, Invalid, Text
from xmlengine.request_types import build_registry

REGISTRY = build_registry()
TOO_BIG = "2147483648"
WITH_NUL = "ab\x00cd"


def _code(param: Param, value: str) -> str:
    """The code the parameter's type refuses `value` with."""
    with pytest.raises(Invalid) as refused:
        param.type.parse(value)
    return refused.value.code or param.invalid_code


def _cases(kind: type, value: str) -> list[Any]:
    found = []
    for rt in REGISTRY:
        if rt.handler is None:
            continue
        for name, param in rt.params.table.items():
            if not isinstance(param.type, kind) or name == "username":
                continue  # `username`: the v1.1 login (update_peer's on v1.0: test_peers.py)
            if isinstance(param.type, Int) and param.type.maximum is not None:
                continue  # the guide's own bound
            found.append(pytest.param(rt.name, name, value, id=f"{rt.name}.{name}"))
    return found


CASES = _cases(Int, TOO_BIG) + _cases(Text, WITH_NUL)


def test_the_cases_cover_ids_and_text() -> None:
    ids = {c.id for c in CASES}
    assert {"get_calls.client_channel_id", "update_subaccount.friendly_name"} <= ids
    assert len(ids) > 50


@pytest.mark.parametrize(("name", "parameter", "value"), CASES)
def test_a_value_no_database_would_keep_is_refused_as_invalid(
    api: Api, name: str, parameter: str, value: str
) -> None:
    param = REGISTRY.by_name[name].params.table[parameter]
    found = codes(api.post(name, **{parameter: value}))
    assert _code(param, value) in found, found
    assert not [code for code in found if code.startswith("internal_error")]
