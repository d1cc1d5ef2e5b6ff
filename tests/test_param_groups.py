"""The shared parameter groups: create-or-update, paging, local date ranges, the
subaccount filter. Each is declared once and placed in the tables of the registry."""

from __future__ import annotations

import pytest

from xmlengine.params.date_ranges import UNLIMITED, date_range
from xmlengine.params.modes import CreateOrUpdate, updated_id, updated_ids
from xmlengine.params.paging import page_limit, paging
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Hash, Ref, Text
from xmlengine.request_types import build_registry

REGISTRY = build_registry()
CREATE_OR_UPDATE = sorted(rt.name for rt in REGISTRY if issubclass(rt.params, CreateOrUpdate))
HASH = "0123456789abcdef0123456789abcdef"


def _updated_id(table: type[Params]) -> str:
    (name,) = updated_ids(table)
    return name


def test_every_create_or_update_table_has_the_group() -> None:
    assert len(CREATE_OR_UPDATE) == 17  # the guide's tables with mode "update" or "create"
    for name in CREATE_OR_UPDATE:
        table = REGISTRY.by_name[name].params
        assert table.table["mode"].default == "update", name
        assert table.table[_updated_id(table)].need == "conditional", name


@pytest.mark.parametrize("name", CREATE_OR_UPDATE)
def test_a_refused_mode_is_reported_alone(name: str) -> None:
    table = REGISTRY.by_name[name].params
    _, refused = table.parse({"mode": "destroy"})
    _, updating = table.parse({"mode": "update"})
    _, creating = table.parse({"mode": "create"})
    assert "mode_invalid" in refused
    assert f"{_updated_id(table)}_required" in updating
    # Nothing that depends on the mode: only what both modes report, and mode_invalid.
    assert set(refused) - {"mode_invalid"} <= set(updating) & set(creating), name


def test_the_id_is_required_in_update_mode_only() -> None:
    class UpdateThing(CreateOrUpdate):
        client_thing_id: int | None = updated_id(Ref(kind="thing"))
        name: str = p(Text(), required=True)

    assert list(UpdateThing.table) == ["mode", "client_thing_id", "name"]
    assert UpdateThing.parse({"name": "a"})[1] == ["client_thing_id_required"]
    assert UpdateThing.parse({"name": "a", "mode": "create"})[1] == []
    assert UpdateThing.parse({"name": "a", "mode": "update", "client_thing_id": "1"})[1] == []
    assert UpdateThing.parse({"name": "a", "mode": "upsert"})[1] == ["mode_invalid"]
    # A refused id is its own error, not a missing one.
    assert UpdateThing.parse({"name": "a", "client_thing_id": "x"})[1] == [
        "client_thing_id_invalid"
    ]


def test_a_create_or_update_table_names_its_id_once() -> None:
    with pytest.raises(TypeError, match="updated_id"):

        class NoId(CreateOrUpdate):
            name: str = p(Text())

    with pytest.raises(TypeError, match="updated_id"):

        class TwoIds(CreateOrUpdate):
            first_id: int | None = updated_id(Ref(kind="a"))
            second_id: int | None = updated_id(Ref(kind="b"))


class Calls(Params):
    call_hash: str | None = p(Hash())
    date_from, date_to = date_range(pairing="both")
    result_limit, result_offset = paging(cursor=("call_hash",))


@pytest.mark.parametrize(
    ("raw", "limit"),
    [
        ({}, 25),
        ({"call_hash": HASH}, 1),  # the next call after the one seen
        ({"call_hash": HASH, "date_from": "2024-01-01", "date_to": "2024-01-31"}, 25),
        ({"call_hash": HASH, "result_limit": "7"}, 7),
        ({"result_limit": "1000"}, 1000),
    ],
)
def test_paging_defaults_as_the_guide_says(raw: dict[str, str], limit: int) -> None:
    args, errors = Calls.parse(raw)
    assert (errors, args.result_limit, args.result_offset) == ([], limit, None)


def test_paging_refuses_what_the_guide_does() -> None:
    for raw, code in [
        ({"result_limit": "0"}, "result_limit_invalid"),
        ({"result_limit": "1001"}, "result_limit_invalid"),
        ({"result_offset": "-1"}, "result_offset_invalid"),
    ]:
        assert Calls.parse(raw)[1] == [code], raw


def test_paging_under_other_names_and_bounds() -> None:
    class Status(Params):
        limit, offset = paging(default=5, maximum=None, offset_default=0)

    args, errors = Status.parse({"limit": "5000"})
    assert (errors, args.limit, args.offset) == ([], 5000, 0)
    assert Status.parse({})[0].limit == 5

    class Sms(Params):
        sms_hash: str | None = p(Hash())
        result_limit: int = page_limit(cursor=("sms_hash",))

    assert list(Sms.table) == ["sms_hash", "result_limit"]
    assert Sms.parse({"sms_hash": HASH})[0].result_limit == 1


def test_date_range_pairing_both() -> None:
    assert Calls.table["date_from"].need == Calls.table["date_to"].need == "conditional"
    assert Calls.parse({"date_from": "2024-01-01"})[1] == ["date_to_required"]
    assert Calls.parse({"date_to": "2024-01-01"})[1] == ["date_from_required"]
    # A refused bound is not also missing.
    assert Calls.parse({"date_from": "2024-13-01", "date_to": "2024-01-01"})[1] == [
        "date_from_invalid"
    ]


def test_date_range_pairing_v1_0_from_alone() -> None:
    """get_calls and get_faxes: as "both", but v1.0 pollers send date_from alone."""

    class Faxes(Params):
        date_from, date_to = date_range(pairing="v1_0_from_alone")

    assert Faxes.table["date_from"].need == Faxes.table["date_to"].need == "conditional"
    alone = {"date_from": "2024-01-01"}
    assert Faxes.parse(alone, generation="v1.0")[1] == []
    assert Faxes.parse(alone, generation="v1.1")[1] == ["date_to_required"]
    for generation in ("v1.0", "v1.1"):
        assert Faxes.parse({"date_to": "2024-01-01"}, generation=generation)[1] == [
            "date_from_required"
        ]
    for name in ("get_calls", "get_faxes"):
        assert REGISTRY.by_name[name].params.parse(alone, generation="v1.0")[1] == [], name


def test_date_range_pairing_to_needs_from() -> None:
    class Recordings(Params):
        date_from, date_to = date_range(None, pairing="to_needs_from")

    assert Recordings.table["date_to"].need == "optional"
    assert Recordings.parse({"date_from": "2024-01-01"})[1] == []
    assert Recordings.parse({"date_to": "2024-01-01"})[1] == ["date_from_required"]
    # No limit at all: a reversed range is the listing's to answer (with no rows).
    assert Recordings.parse({"date_from": "2024-02-01", "date_to": "2024-01-01"})[1] == []


@pytest.mark.parametrize(
    ("months", "date_to", "errors"),
    [
        (12, "2025-01-01", []),
        (12, "2025-01-02", ["date_range_invalid"]),
        (12, "2023-12-31", ["date_range_invalid"]),
        (UNLIMITED, "2074-01-01", []),
        (UNLIMITED, "2023-12-31", ["date_range_invalid"]),
    ],
)
def test_date_range_longest_span(months: int, date_to: str, errors: list[str]) -> None:
    class Stats(Params):
        date_from, date_to = date_range(months)

    assert Stats.parse({"date_from": "2024-01-01", "date_to": date_to})[1] == errors


def test_rules_brought_by_parameters_come_before_the_tables_own() -> None:
    class Listing(Params):
        date_from, date_to = date_range(pairing="both")
        name: str | None = p(Text())
        rules = (lambda args: [] if args.sent("name") else ["name_required"],)

    assert Listing.parse({"date_to": "2024-01-01"})[1] == ["date_from_required", "name_required"]


def test_every_subaccount_filter_is_the_group() -> None:
    reference = subaccount_filter()
    listings = [
        rt for rt in REGISTRY if rt.name.startswith("get_") and rt.name != "get_subaccounts"
    ]
    filters = [rt for rt in listings if "client_subaccount_id" in rt.params.table]
    assert len(filters) > 20
    for rt in filters:
        param = rt.params.table["client_subaccount_id"]
        assert (param.type, param.need, param.default) == (
            reference.type,
            reference.need,
            reference.default,
        ), rt.name
