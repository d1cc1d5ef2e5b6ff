"""Requests generated from the served description, against the app in process.

A bounded run (a few examples per operation, a fixed seed): every answer must be an
HTTP 200 envelope, and none an `internal_error*`. Requests that fit the description come
first, then requests that break it (wrong types, values out of bounds or of the pattern,
missing required parameters): the latter only to the JSON paths, since both formats read
their parameters alike. URLs are pinned to a refused loopback address so that nothing
generated is ever called (no network beyond this process).
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from lxml import etree
from schemathesis import GenerationMode
from starlette.testclient import TestClient

from tests.conftest import codes, parse_xml
from xmlengine.clock import ManualClock
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp

EXAMPLES = 2
URL = {"type": "string", "enum": ["http://127.0.0.1:9/hook"]}  # refused: not a public host

BOUNDED = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same examples every run
    database=None,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _local_urls(node: Any) -> Any:
    """The description with every URL schema replaced by the refused loopback one."""
    if isinstance(node, dict):
        if node.get("format") == "uri":
            return URL
        return {key: _local_urls(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_local_urls(value) for value in node]
    return node


def test_generated_requests_are_answered_with_envelopes(
    app: XmlEngineApp, client: TestClient, account: Credentials, clock: ManualClock
) -> None:
    description = client.get("/openapi.json").json()
    schema = schemathesis.openapi.from_dict(_local_urls(description))
    v11 = {"username": account.username, "auth_token": account.auth_token}
    v10 = {"client_account_id": str(account.client_account_id), "auth_token": account.auth_token}
    failures: list[str] = []

    def answer(case: Any) -> None:
        auth = v10 if case.path == "/xml_engine/xml_engine.php" else v11
        case.query = {**(case.query or {}), **auth}  # a real user's, not generated ones
        response = case.call(app=app)
        label = f"{case.method} {case.formatted_path} {case.query} {case.body!r}"
        if response.status_code != 200:
            failures.append(f"HTTP {response.status_code}: {label}")
            return
        json = response.headers.get("content-type") == ["application/json"]
        try:
            found = codes(response.json() if json else parse_xml(response.content))
        except (ValueError, etree.XMLSyntaxError):
            failures.append(f"not an envelope {response.content[:200]!r}: {label}")
            return
        if any(code.startswith("internal_error") for code in found):
            failures.append(f"{found}: {label}")

    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        modes = [GenerationMode.POSITIVE]
        if "/xml/" not in operation.path:
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            BOUNDED(given(case=operation.as_strategy(generation_mode=mode))(answer))()
        operations += 1
        clock.advance(3600)  # a new clock hour: the run never reaches a rate limit
    assert operations == len(description["paths"]) * 2
    assert failures == []
