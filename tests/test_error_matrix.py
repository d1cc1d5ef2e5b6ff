"""The error matrix, generated from the declarations and sent to the app over HTTP.

For every request type, through both URL generations and both formats: each required
parameter missing, each parameter given a value its type refuses, and each case of each
rule (tests/error_cases.py derives them from the rules' own descriptions) must be
answered with the expected codes; a case that keeps a rule must not get its codes; a
request type without a handler answers a request its table accepts with
`request_type_not_implemented` alone. One app and one account serve the whole module;
the codes are read from the XML (lxml) and from the JSON
(`response_details.response_messages.message[].code`). Every code the declarations can
emit has its own English and French text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import codes, make_settings, mid_hour_clock, new_account, parse_xml, status
from tests.error_cases import RuleCase, form, refused, rule_cases, valid_values
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.domain.accounts import Credentials
from xmlengine.params.records import RecordsOf
from xmlengine.params.rules import Declared
from xmlengine.params.table import Params
from xmlengine.protocol.messages import describe
from xmlengine.request_types import build_registry

REGISTRY = build_registry()
REQUEST_TYPES = sorted(REGISTRY.by_name)
UNBUILT = [name for name in REQUEST_TYPES if REGISTRY.by_name[name].handler is None]
NOT_IMPLEMENTED = "request_type_not_implemented"
WAYS = (("v1.1", "xml"), ("v1.1", "json"), ("v1.0", "xml"), ("v1.0", "json"))
# Read by the pipeline before any table (the answer's language and currency, the v1.1
# login, which `username` names when sent): a table's parameter of that name cannot be
# sent a refused value.
GLOBAL_NAMES = frozenset({"language", "currency", "username"})


@dataclass
class Matrix:
    client: TestClient
    clock: ManualClock
    account: Credentials

    def answer(self, generation: str, fmt: str, name: str, values: dict[str, Any]) -> Any:
        if generation == "v1.1":
            url = f"/api/v1.1/{fmt}/{name}"
            # client_user_id, not username: update_peer declares a `username` of its own.
            auth = {"client_user_id": str(self.account.client_user_id)}
        else:
            url = "/xml_engine/xml_engine.php"
            auth = {"client_account_id": str(self.account.client_account_id)}
            auth |= {"request_type": name, "output_format": fmt}
        fields, files = form(values)
        response = self.client.post(
            url, params={**auth, "auth_token": self.account.auth_token}, data=fields, files=files
        )
        assert response.status_code == 200
        # Quota headers come only once the login passed: the request type's table answered.
        assert "retry-after" not in response.headers
        if int(response.headers["ratelimit-remaining"]) <= 1:
            self.clock.advance(3600)  # a new clock hour: the budgets start again
        if fmt == "json":
            assert response.headers["content-type"] == "application/json"
            return response.json()
        assert response.headers["content-type"] == "text/xml; charset=utf-8"
        return parse_xml(response.content)

    def codes(self, name: str, values: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
        """The answer's codes, for each URL generation and format."""
        for generation, fmt in WAYS:
            answer = self.answer(generation, fmt, name, values)
            found = codes(answer)
            assert status(answer) in ("error", "success")
            assert not [c for c in found if c.startswith("internal_error")], (name, values)
            yield f"{generation} {fmt}", found


@pytest.fixture(scope="module")
def matrix(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    clock = mid_hour_clock()
    app = create_app(make_settings(database_url, tmp_path_factory.mktemp("matrix")), clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        yield Matrix(client, clock, new_account(app))


@pytest.mark.parametrize("name", REQUEST_TYPES)
def test_a_missing_required_parameter_is_reported(matrix: Matrix, name: str) -> None:
    table = REGISTRY.by_name[name].params
    required = [p.required_code for p in table.table.values() if p.need == "required"]
    for way, found in matrix.codes(name, {}):
        missing = [code for code in required if code not in found]
        assert not missing, f"{way} {name}: {missing} not in {found}"
        assert not required or NOT_IMPLEMENTED not in found, f"{way} {name}: {found}"


@pytest.mark.parametrize("name", UNBUILT)
def test_an_unbuilt_request_type_answers_a_valid_request_not_implemented(
    matrix: Matrix, name: str
) -> None:
    """Parameter errors come first (docs/adding-a-request-type.md); then this one code."""
    values = valid_values(REGISTRY.by_name[name].params)
    for way, found in matrix.codes(name, values):
        assert found == [NOT_IMPLEMENTED], f"{way} {name} {values}: {found}"


@pytest.mark.parametrize("name", REQUEST_TYPES)
def test_every_refused_value_is_reported_with_its_code(matrix: Matrix, name: str) -> None:
    """All of a request type's refused values at once: every one is reported, none as missing."""
    table = REGISTRY.by_name[name].params
    cases = {
        param.name: (*bad, param.required_code)
        for param in table.table.values()
        if param.name not in GLOBAL_NAMES and (bad := refused(param)) is not None
    }
    values = {n: value for n, (value, _, _) in cases.items()}
    for way, found in matrix.codes(name, values):
        for param_name, (value, code, required_code) in cases.items():
            assert code in found, f"{way} {name}.{param_name} = {value!r}: {found}"
            assert required_code not in found, f"{way} {name}.{param_name} reported missing"


@pytest.mark.parametrize("name", REQUEST_TYPES)
def test_every_rule_case_is_answered_as_the_rule_says(matrix: Matrix, name: str) -> None:
    for case in rule_cases(REGISTRY.by_name[name].params):
        for way, found in matrix.codes(name, case.values):
            _assert_case(f"{way} {name} {case.label}", case, found)


def _assert_case(label: str, case: RuleCase, found: list[str]) -> None:
    missing = [code for code in case.expected if code not in found]
    assert not missing, f"{label}: {missing} not in {found}"
    wrong = [code for code in case.absent if code in found]
    assert not wrong, f"{label}: keeps the rule, yet answered {wrong}"


def _emittable(table: type[Params]) -> set[str]:
    """Every code the table's parameters and rules (its records' included) can answer."""
    found = {p.required_code for p in table.table.values() if p.need == "required"}
    for param in table.table.values():
        if (value := refused(param)) is not None:
            found.add(value[1])
        if isinstance(param.type, RecordsOf):
            inner = _emittable(param.type.record)
            found |= {param.type.codes.get(code, code) for code in inner}
    for rule in table.all_rules:
        assert isinstance(rule, Declared)
        found.update(rule.codes)
    return found


@pytest.mark.parametrize("name", REQUEST_TYPES)
def test_every_code_emitted_has_its_own_text(name: str) -> None:
    for code in _emittable(REGISTRY.by_name[name].params):
        for language, fallback in (("en", f"Error: {code}."), ("fr", f"Erreur\u00a0: {code}.")):
            text = describe(code, language)
            assert text and text != fallback, f"{name}: {code} has no {language} text"
