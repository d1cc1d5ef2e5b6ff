"""Metadata keys become element names; keys that would share one keep a value each, in XML
and in JSON (a JSON object holds one value per key)."""

from __future__ import annotations

from tests.conftest import Api, codes, status


def _serialized(pairs: dict[str, str]) -> str:
    body = "".join(
        f's:{len(k.encode())}:"{k}";s:{len(v.encode())}:"{v}";' for k, v in pairs.items()
    )
    return f"a:{len(pairs)}:{{{body}}}"


PAIRS = {"a b": "1", "a_b": "2", "a/b": "3", "a_b_2": "4", "plain": "5"}
# The key that is an element name keeps it; the others take the next free names.
SHOWN = {"a_b_3": "1", "a_b": "2", "a_b_4": "3", "a_b_2": "4", "plain": "5"}


def test_keys_that_map_to_one_element_name_keep_a_value_each(api: Api) -> None:
    created = api.post(
        "update_subaccount",
        mode="create",
        friendly_name="Shop",
        multi_tenancy_mode="disabled",
        status="enabled",
        serialized_metadata=_serialized(PAIRS),
    )
    assert status(created) == "success", codes(created)
    (item,) = created["subaccounts"]["subaccount_details"]
    assert item["metadata"]["metadata_attributes"] == {"attribute_count": "5", **SHOWN}
    xml = api.xml("get_subaccounts", client_subaccount_id=item["client_subaccount_id"])
    attributes = xml.find("subaccounts/subaccount_details/metadata/metadata_attributes")
    assert attributes is not None and attributes.get("attribute_count") == "5"
    assert [(e.tag, e.text) for e in attributes] == list(SHOWN.items())
