"""The registry declares every request type of the guide, with the guide's parameters.

The parameter tables are read from the guide itself (`guide_tables`) and compared with
the declarations: the same names, sub-fields of arrays included, the same need
(Required, Optionally required, Optional, Deprecated), and for each parameter a type the
guide's type word can mean, its default and its allowed values (`guide_compare`). Where
the project decided against the letter of the guide (WIRE.md, "Errata in the guide"),
the decision is an entry of `guide_errata.DECIDED` with its reason.

Without the guide these tests skip, or fail when `CI=true`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import guide_tables
from tests.guide_compare import problems
from tests.guide_errata import ASPECTS, BEYOND, DECIDED
from tests.guide_tables import (
    GUIDE,
    GuideParam,
    GuideRequestType,
    guide_request_types,
    require_guide,
)
from xmlengine.params.modes import CreateOrUpdate, updated_ids
from xmlengine.params.table import Param, Params, p
from xmlengine.params.types import Date, Int, Text, choice
from xmlengine.protocol.registry import RequestType
from xmlengine.request_types import build_registry

# The guide's request types; without the guide, those registered (each test then skips).
NAMES = (
    list(guide_request_types())
    if GUIDE.is_file()
    else sorted(rt.name for rt in build_registry() if not rt.extension)
)


def guide() -> dict[str, GuideRequestType]:
    return guide_request_types()


def declared_params(rt: RequestType) -> dict[str, Param]:
    """Every declared parameter and record field of `rt`."""
    found: dict[str, Param] = {}
    for name, param in rt.params.table.items():
        found[name] = param
        found.update((f"{name}[{field}]", sub) for field, sub in _record_fields(param).items())
    return found


def declared(rt: RequestType) -> dict[str, str]:
    """Every declared parameter and record field of `rt` with its need."""
    return {name: param.need for name, param in declared_params(rt).items()}


def _record_fields(param: Param) -> dict[str, Param]:
    record = getattr(param.type, "record", None)
    return dict(record.table) if record is not None else {}


def expected(name: str) -> dict[str, str]:
    """The guide's parameters of `name` with their need, after the project's decisions."""
    rows: list[GuideParam] = guide()[name].params
    needs = {row.name: DECIDED.get((name, row.name, "need"), (row.need, ""))[0] for row in rows}
    # A parent the guide only names through its fields (`sources[n][type]`): no need of its own.
    for row in rows:
        needs.setdefault(row.parent, "")
    needs.update({param: need for (rt, param), (need, _) in BEYOND.items() if rt == name})
    return needs


def value_problems(name: str, rt: RequestType) -> dict[tuple[str, str], str]:
    """(parameter, aspect) -> how its type, default or values differ from the guide's row."""
    params = declared_params(rt)
    return {
        (row.name, aspect): text
        for row in guide()[name].params
        if row.name in params
        for aspect, text in problems(row.name, params[row.name], row).items()
    }


def mismatches(name: str, rt: RequestType | None) -> list[str]:
    if rt is None:
        return [f"{name}: not declared"]
    have, want = declared(rt), expected(name)
    found = [f"{name}: missing parameter {p}" for p in want if p not in have]
    found += [f"{name}: parameter {p} is not in the guide" for p in have if p not in want]
    found += [
        f"{name}: {p} is {have[p]}, the guide says {want[p]}"
        for p in want
        if p in have and want[p] and have[p] != want[p]
    ]
    found += [
        f"{name}: {text}"
        for (param, aspect), text in value_problems(name, rt).items()
        if (name, param, aspect) not in DECIDED
    ]
    return found


def test_the_guide_has_97_request_types() -> None:
    assert len(guide()) == 97


def test_parser_reads_every_row_shape() -> None:
    calls = guide()["get_calls"]
    assert calls.names()[:5] == ["date_from", "date_to", "latest_hours", "call_hash", "unique_id"]
    assert [p.need for p in calls.params[:5]] == ["conditional"] * 4 + ["deprecated"]
    # Name alone on its line, type and requirement on the next.
    fax = {p.name: p for p in guide()["update_fax_profile"].params}
    assert (fax["client_fax_profile_id"].type, fax["client_fax_profile_id"].need) == (
        "integer",
        "conditional",
    )
    # Name and type on one line, requirement on the next.
    assert {p.name: p.need for p in guide()["dispatch_call"].params}["wait_time"] == "optional"
    # Description text continues on further lines.
    assert "12 months" in guide()["get_calls_stats"].params[0].description
    # A table with `- - - -` and an entry without a table have no parameters.
    assert guide()["get_countries"].params == []
    assert guide()["get_tts_voice_name"].params == []


def test_parser_reads_nested_tables() -> None:
    director = guide()["update_call_director_profile"].names()
    assert "action" in director and "action[usage_type]" in director
    assert "action[comments]" in director and "comments" in director
    assert director[-2:] == ["status", "comments"]  # back in the outer table after the example
    schedule = guide()["update_schedule"].names()
    assert schedule[-4:] == ["shift", "shift[status]", "shift[days]", "status"]
    dispatch = guide()["dispatch_call"].names()
    assert "sources[type]" in dispatch and "destinations[reject_key]" in dispatch


def test_parser_applies_the_metadata_table() -> None:
    for name in ("update_did", "update_port_request", "update_ivr_profile", "update_peer"):
        assert guide()[name].names()[-2:] == ["serialized_metadata", "raw_metadata"]
    assert "raw_metadata" not in guide()["get_dids"].names()
    device = guide()["update_device_endpoint"].names()
    assert device.count("is_vlan_enabled") == 1  # listed twice; WIRE.md keeps the first


def test_registry_holds_the_guide_and_its_marked_extensions() -> None:
    registry = build_registry()
    extensions = {rt.name for rt in registry if rt.extension}
    assert not extensions & guide().keys(), "a guide request type is marked as extension"
    missing = sorted(guide().keys() - registry.by_name.keys())
    unmarked = sorted(registry.by_name.keys() - guide().keys() - extensions)
    assert (missing, unmarked) == ([], [])


@pytest.mark.parametrize("name", NAMES)
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


def test_the_diff_reports_types_defaults_and_values() -> None:
    class Drifted(Params):
        direction: object = p(choice("inbound", "sideways"))  # "inbound" or "outbound"
        result_limit: object = p(Int(1, 1000), default=50)  # default 25
        date_from: object = p(Text())  # a date
        client_subaccount_id: object = p(Int(minimum=1), default=0)  # (default is NULL)

    rt = RequestType("get_sms", "sms", Drifted)
    found = {m for m in mismatches("get_sms", rt) if "missing" not in m}
    assert found == {
        "get_sms: direction: declared values ['inbound', 'sideways'], the guide "
        "['inbound', 'outbound']",
        "get_sms: date_from: declared text, the guide says date",
        "get_sms: result_limit: declared default '50', the guide '25 with date_to and date_from "
        "setd, 1 with sms_hash set'",
        "get_sms: client_subaccount_id: declared default '0', the guide 'NULL'",
    }


def test_parser_reads_what_a_row_says_of_its_value() -> None:
    rows = {row.name: row for row in guide()["update_fax_profile"].params}
    assert (rows["mode"].default, rows["mode"].values) == ("update", ["update", "create"])
    assert rows["callerid_number"].word == "digits"
    assert rows["callerid_number"].lengths == (10, 10)
    assert rows["retry_limit"].default == "2"
    assert rows["friendly_name"].default is None and rows["friendly_name"].values is None
    # A list broken over lines, quoted with either quote.
    dids = {row.name: row for row in guide()["get_dids"].params}
    assert dids["options"].values is not None and dids["options"].values[-1] == "enable_queue"
    assert dids["exclude_e411_list"].values == ["0", "1"]  # "Value must be 0 or 1"
    # Unquoted values; a default on the requirement's line; values in the type.
    new_dids = {row.name: row for row in guide()["get_new_dids"].params}
    assert new_dids["order"].values == ["default", "random"]
    subaccount = {row.name: row for row in guide()["update_subaccount"].params}
    assert subaccount["international_call_limit"].default == "1"
    dispatch = {row.name: row for row in guide()["dispatch_call"].params}
    assert dispatch["sources[language]"].values == ["en", "fr"]
    assert dispatch["callerid_name"].lengths == (3, 15)
    assert {row.name: row for row in guide()["update_did"].params}[
        "serialized_metadata"
    ].word == "serialized array"


def test_every_decision_names_a_guide_parameter() -> None:
    for name, param, aspect in DECIDED:
        assert param in guide()[name].names(), (name, param)
        assert aspect in ASPECTS, (name, param, aspect)


def test_every_parameter_beyond_the_guide_is_declared_and_not_in_it() -> None:
    registry = build_registry()
    for (name, param), (need, _) in BEYOND.items():
        rt = registry.find(name)
        assert rt is not None and declared(rt).get(param) == need, (name, param)
        assert param not in guide()[name].names(), (name, param)


def test_every_decision_is_still_needed() -> None:
    """A decision whose declaration now matches the guide is dead: the entry goes."""
    registry = build_registry()
    for name, param, aspect in DECIDED:
        rt = registry.find(name)
        assert rt is not None
        if aspect == "need":
            row = next(row for row in guide()[name].params if row.name == param)
            assert declared(rt)[param] != row.need, (name, param)
        else:
            assert (param, aspect) in value_problems(name, rt), (name, param, aspect)


def test_a_missing_guide_skips_and_fails_on_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(guide_tables, "GUIDE", tmp_path / "missing.txt")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="missing"):
        require_guide()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_guide()


def test_every_create_or_update_table_inherits_the_group() -> None:
    """A `mode` of "update" or "create": the table is a CreateOrUpdate, and its updated id
    is the row the guide requires "If mode is "update"."""
    registry = build_registry()
    for name, found in guide().items():
        rows = {row.name: row for row in found.params}
        rt = registry.find(name)
        assert rt is not None
        creates = "mode" in rows and rows["mode"].values == ["update", "create"]
        assert creates == issubclass(rt.params, CreateOrUpdate), name
        if creates:
            ids = [n for n, row in rows.items() if 'If mode is "update"' in row.description]
            assert ids == updated_ids(rt.params), name
