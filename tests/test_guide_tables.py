"""The registry declares every request type of the guide, with the guide's parameters.

The parameter tables are read from the guide itself (`guide_tables`) and compared with
the declarations: the same names, sub-fields of arrays included, and the same need
(Required, Optionally required, Optional, Deprecated). Where the project decided
against the letter of the guide (WIRE.md, "Errata in the guide"), the decision is an
entry of `DECIDED` below with its reason.
"""

from __future__ import annotations

import pytest

from tests.guide_tables import GUIDE, GuideParam, guide_request_types
from xmlengine.params.table import Param, Params, p
from xmlengine.params.types import Date, Text
from xmlengine.protocol.registry import RequestType
from xmlengine.request_types import build_registry

if not GUIDE.is_file():
    pytest.skip(f"guide not found at {GUIDE}", allow_module_level=True)

GUIDE_TYPES = guide_request_types()

# (request type, parameter) -> (need declared instead of the guide's, why).
DECIDED: dict[tuple[str, str], tuple[str, str]] = {
    ("get_dids", "usage_type"): (
        "optional",
        "WIRE.md errata: a filter on get_dids; existing clients never send it",
    ),
    ("update_did", "usage_type"): (
        "optional",
        "WIRE.md errata: a setting on update_did; existing clients never send it",
    ),
    ("get_call_issues", "call_hash"): (
        "optional",
        "WIRE.md errata: both filters are optional ('default is NULL')",
    ),
    ("get_call_issues", "call_issue_id"): (
        "optional",
        "WIRE.md errata: both filters are optional ('default is NULL')",
    ),
    **{
        ("dispatch_call", f"{array}[{name}]"): (
            "required",
            "the arrays are optional because the deprecated source/destination fields are "
            "the alternative, but a record without type or value is meaningless: the guide's "
            f"{array[:-1]}_type_required and {array[:-1]}_required say so",
        )
        for array in ("sources", "destinations")
        for name in ("type", "value")
    },
}


def declared(rt: RequestType) -> dict[str, str]:
    """Every declared parameter and record field of `rt` with its need."""
    found: dict[str, str] = {}
    for name, param in rt.params.table.items():
        found[name] = param.need
        found.update((f"{name}[{field}]", sub.need) for field, sub in _record_fields(param).items())
    return found


def _record_fields(param: Param) -> dict[str, Param]:
    record = getattr(param.type, "record", None)
    return dict(record.table) if record is not None else {}


def expected(name: str) -> dict[str, str]:
    """The guide's parameters of `name` with their need, after the project's decisions."""
    rows: list[GuideParam] = GUIDE_TYPES[name].params
    needs = {row.name: DECIDED.get((name, row.name), (row.need, ""))[0] for row in rows}
    # A parent the guide only names through its fields (`sources[n][type]`): no need of its own.
    for row in rows:
        needs.setdefault(row.parent, "")
    return needs


def mismatches(name: str, rt: RequestType | None) -> list[str]:
    if rt is None:
        return [f"{name}: not declared"]
    have, want = declared(rt), expected(name)
    problems = [f"{name}: missing parameter {p}" for p in want if p not in have]
    problems += [f"{name}: parameter {p} is not in the guide" for p in have if p not in want]
    problems += [
        f"{name}: {p} is {have[p]}, the guide says {want[p]}"
        for p in want
        if p in have and want[p] and have[p] != want[p]
    ]
    return problems


def test_the_guide_has_97_request_types() -> None:
    assert len(GUIDE_TYPES) == 97


def test_parser_reads_every_row_shape() -> None:
    calls = GUIDE_TYPES["get_calls"]
    assert calls.names()[:5] == ["date_from", "date_to", "latest_hours", "call_hash", "unique_id"]
    assert [p.need for p in calls.params[:5]] == ["conditional"] * 4 + ["deprecated"]
    # Name alone on its line, type and requirement on the next.
    fax = {p.name: p for p in GUIDE_TYPES["update_fax_profile"].params}
    assert (fax["client_fax_profile_id"].type, fax["client_fax_profile_id"].need) == (
        "integer",
        "conditional",
    )
    # Name and type on one line, requirement on the next.
    assert {p.name: p.need for p in GUIDE_TYPES["dispatch_call"].params}["wait_time"] == "optional"
    # Description text continues on further lines.
    assert "12 months" in GUIDE_TYPES["get_calls_stats"].params[0].description
    # A table with `- - - -` and an entry without a table have no parameters.
    assert GUIDE_TYPES["get_countries"].params == []
    assert GUIDE_TYPES["get_tts_voice_name"].params == []


def test_parser_reads_nested_tables() -> None:
    director = GUIDE_TYPES["update_call_director_profile"].names()
    assert "action" in director and "action[usage_type]" in director
    assert "action[comments]" in director and "comments" in director
    assert director[-2:] == ["status", "comments"]  # back in the outer table after the example
    schedule = GUIDE_TYPES["update_schedule"].names()
    assert schedule[-4:] == ["shift", "shift[status]", "shift[days]", "status"]
    dispatch = GUIDE_TYPES["dispatch_call"].names()
    assert "sources[type]" in dispatch and "destinations[reject_key]" in dispatch


def test_parser_applies_the_metadata_table() -> None:
    for name in ("update_did", "update_port_request", "update_ivr_profile", "update_peer"):
        assert GUIDE_TYPES[name].names()[-2:] == ["serialized_metadata", "raw_metadata"]
    assert "raw_metadata" not in GUIDE_TYPES["get_dids"].names()
    device = GUIDE_TYPES["update_device_endpoint"].names()
    assert device.count("is_vlan_enabled") == 1  # listed twice; WIRE.md keeps the first


def test_registry_holds_the_guide_and_its_marked_extensions() -> None:
    registry = build_registry()
    extensions = {rt.name for rt in registry if rt.extension}
    assert not extensions & GUIDE_TYPES.keys(), "a guide request type is marked as extension"
    missing = sorted(GUIDE_TYPES.keys() - registry.by_name.keys())
    unmarked = sorted(registry.by_name.keys() - GUIDE_TYPES.keys() - extensions)
    assert (missing, unmarked) == ([], [])


@pytest.mark.parametrize("name", list(GUIDE_TYPES))
def test_declared_like_the_guide(name: str) -> None:
    problems = mismatches(name, build_registry().find(name))
    assert not problems, "\n".join(problems)


def test_the_diff_reports_each_kind_of_mismatch() -> None:
    class Drifted(Params):
        date_from: object = p(Date())  # Optionally Required in the guide
        color: object = p(Text())

    rt = RequestType("get_billing_activity", "billing", Drifted)
    assert mismatches("get_billing_activity", rt) == [
        "get_billing_activity: missing parameter date_to",
        "get_billing_activity: parameter color is not in the guide",
    ]
    rt = RequestType("get_faxes", "faxes", Drifted)
    assert "get_faxes: date_from is optional, the guide says conditional" in mismatches(
        "get_faxes", rt
    )
    assert mismatches("get_faxes", None) == ["get_faxes: not declared"]


def test_every_decision_names_a_guide_parameter() -> None:
    for name, param in DECIDED:
        assert param in GUIDE_TYPES[name].names(), (name, param)
