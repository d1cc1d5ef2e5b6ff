"""The reference pages and the OpenAPI description are generated from the declarations,
and what is committed or served is what the generator writes now."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from xmlengine.cli import main
from xmlengine.params.addresses import Phone
from xmlengine.params.rules import date_span, in_mode, required_if
from xmlengine.params.table import Params, p
from xmlengine.params.types import Choice, Date, Digits, Int, Ref, Upload, YesNo, choice
from xmlengine.protocol.openapi import V10_PATH, describe_api
from xmlengine.protocol.reference_pages import COMMAND, readme_block, reference_pages
from xmlengine.request_types import build_registry

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "reference"


def test_the_reference_pages_are_what_the_declarations_generate() -> None:
    pages = reference_pages(build_registry())
    committed = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    stale = sorted(
        name for name in set(pages) | set(committed) if pages.get(name) != committed.get(name)
    )
    assert stale == [], f"docs/reference/ is out of date ({', '.join(stale)}): run `{COMMAND}`"


def test_the_readme_lines_about_request_types_are_generated() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_block(build_registry()) in readme, f"README.md is out of date: run `{COMMAND}`"


def test_the_index_lists_every_request_type_with_its_family_and_status() -> None:
    index = reference_pages(build_registry())["README.md"]
    for rt in build_registry():
        status = "implemented" if rt.handler else "not implemented"
        assert f"| [`{rt.name}`]({rt.family}.md#{rt.name}) | {rt.family} | {status} |" in index


def test_a_family_page_has_parameters_rules_and_codes() -> None:
    sms = reference_pages(build_registry())["sms.md"]
    assert "## queue_sms" in sms
    assert "- Rate-limit pool: `queue_sms`, 600 requests an hour" in sms
    assert (
        "| `destination_number` | phone number in digits, 10 (or +1 and 10 digits) | required |"
        "  | `destination_number_required`, `destination_number_invalid` |"
    ) in sms
    assert "| `retry_limit` | integer from 0 to 5 | optional | `0` | `retry_limit_invalid` |" in sms
    assert (
        "- At least one of `message`, `attachments`, `attachment` is required. (`message_required`)"
        in sms
    )
    assert "- `date_to` is not before `date_from`, and at most 12 months after it." in sms


def test_types_and_rules_describe_themselves() -> None:
    assert Digits(10).describe() == "digits, 10"
    assert Digits(4, 8).describe() == "digits, 4 to 8"
    assert choice("a", "b").describe() == "one of: a, b"
    assert Choice(values=("a", "b"), many=True).describe() == "comma list, each one of: a, b"
    assert Date().describe() == "date YYYY-MM-DD"
    assert Ref(kind="did", many=True, max_count=5).describe() == (
        "comma list, each id of the account's did (at most 5)"
    )
    assert Int(1, 1000).schema() == {"type": "integer", "minimum": 1, "maximum": 1000}
    # Without declared bounds, those of the 32-bit integers that are checked.
    assert Int().schema() == {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
    assert Ref(kind="did").schema() == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
    assert Phone(10, 10, many=True).schema() == {
        "type": "array",
        "items": {"type": "string", "pattern": r"^\+?1?[0-9]{10,10}$"},
    }
    assert required_if("client_queue_id", in_mode("update")).text == (
        "`client_queue_id` is required when `mode` is `update`."
    )
    assert date_span("date_from", "date_to", months=3).codes == ("date_range_invalid",)
    assert date_span("date_from", "date_to", months=None).text == (
        "`date_to` is not before `date_from`."
    )


def test_the_rules_of_parameter_groups_are_in_the_pages() -> None:
    pages = reference_pages(build_registry())
    assert (
        "- `client_queue_id` is required when `mode` is `update`, given or by default. "
        "(`client_queue_id_required`)"
    ) in pages["queues.md"]
    calls = pages["calls.md"].split("## get_calls\n", 1)[1].split("\n## ", 1)[0]
    assert (
        "- `date_from` and `date_to` are sent together, or none of them; on v1.0 `date_from` "
        "alone is a period through today. (`date_from_required`, `date_to_required`)"
    ) in calls
    assert "- `date_to` is not before `date_from`. (`date_range_invalid`)" in calls
    assert (
        "| `result_limit` | integer from 1 to 1000; 1 by default when `call_hash` or "
        "`unique_id` is sent without a date range | optional | `25` |"
    ) in calls


def test_the_description_has_every_rule_with_its_codes() -> None:
    operations = describe_api(build_registry())["paths"]
    sms = operations["/api/v1.1/json/get_sms_stats"]["get"]
    span = {
        "rule": "`date_to` is not before `date_from`, and at most 12 months after it.",
        "codes": ["date_range_invalid"],
    }
    assert span in sms["x-rules"]
    assert f"- {span['rule']} (`date_range_invalid`)" in sms["description"]
    director = operations["/api/v1.1/xml/update_call_director_profile"]["post"]["x-rules"]
    assert {
        "rule": "`offset` plus `duration` is at most 120 seconds.",
        "codes": ["duration_invalid"],
        "record": "action",
    } in director
    for rt in build_registry():
        rules = operations[f"/api/v1.1/json/{rt.name}"]["get"]["x-rules"]
        assert len(rules) >= len(rt.params.all_rules)


def test_a_default_is_shown_as_a_client_sends_it() -> None:
    class Table(Params):
        answer: bool = p(YesNo(), default=False)
        limit: int = p(Int(1, 9), default=5)
        duration: int = p(Int(5, 60), default=0)  # the guide's "none": not a value to send

    assert Table.table["answer"].describe() == "yes or no; optional, default no"
    assert Table.table["answer"].schema() == {
        "type": "string",
        "enum": ["yes", "no"],
        "default": "no",
    }
    assert Table.table["limit"].schema()["default"] == 5
    assert "default" not in Table.table["duration"].schema()
    assert Table.table["duration"].describe().endswith("default 0")


def test_the_description_is_valid_openapi_3_1() -> None:
    description = describe_api(build_registry())
    assert description["openapi"] == "3.1.0"
    validate(description)  # every default and example is checked against its schema too


def test_the_description_has_every_request_type_and_parameter() -> None:
    description = describe_api(build_registry())
    paths, parameters = description["paths"], description["components"]["parameters"]
    schemas = description["components"]["schemas"]
    for rt in build_registry():
        for fmt in ("json", "xml"):
            operations = paths[f"/api/v1.1/{fmt}/{rt.name}"]
            assert set(operations) == {"get", "post"}
            query = {
                parameters[ref["$ref"].rsplit("/", 1)[1]]["name"]
                for ref in operations["get"]["parameters"]
            }
            files = {n for n, param in rt.params.table.items() if param.type.file}
            assert set(rt.params.table) - files <= query
        assert set(schemas[f"{rt.name}.multipart"]["properties"]) == set(rt.params.table)
        required = [n for n, param in rt.params.table.items() if param.need == "required"]
        assert schemas[f"{rt.name}.multipart"].get("required", []) == required
    ids = [op["operationId"] for ops in paths.values() for op in ops.values()]
    assert len(ids) == len(set(ids)) == 4 * len(build_registry()) + 2
    v10 = paths[V10_PATH]["get"]["parameters"]
    request_types = next(param for param in v10 if param.get("name") == "request_type")
    assert request_types["schema"]["enum"] == [rt.name for rt in build_registry()]


def test_upload_parameters_are_only_in_multipart_bodies() -> None:
    description = describe_api(build_registry())
    schemas = description["components"]["schemas"]
    assert isinstance(
        build_registry().by_name["queue_sms"].params.table["attachments"].type, Upload
    )
    assert "attachments" in schemas["queue_sms.multipart"]["properties"]
    assert "attachments" not in schemas["queue_sms.form"]["properties"]
    assert "queue_sms.attachments" not in description["components"]["parameters"]


def test_the_server_serves_the_description(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == describe_api(build_registry())
    assert client.head("/openapi.json").headers["content-length"] == str(len(response.content))
    assert client.post("/openapi.json").status_code == 405


def test_the_command_prints_the_description_and_writes_the_pages(tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(main, ["api-description"])
    assert printed.exit_code == 0, printed.output
    assert json.loads(printed.output) == describe_api(build_registry())

    (tmp_path / "removed-family.md").write_text("stale", encoding="utf-8")
    checked = runner.invoke(main, ["api-description", "--docs", str(tmp_path), "--check"])
    assert checked.exit_code == 1
    assert COMMAND in checked.output
    written = runner.invoke(main, ["api-description", "--docs", str(tmp_path)])
    assert written.exit_code == 0, written.output
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        reference_pages(build_registry())
    )
    again = runner.invoke(main, ["api-description", "--docs", str(tmp_path), "--check"])
    assert again.exit_code == 0, again.output
