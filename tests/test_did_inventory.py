"""The inventory of new numbers: get_new_dids, activate_new_did, lookup_did."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import select

from tests.conftest import Api, codes, new_account, status
from tests.scope_support import for_account
from xmlengine.domain import billing, inventory
from xmlengine.http.app import XmlEngineApp
from xmlengine.reference import nanp
from xmlengine.storage.billing_tables import usage_charges
from xmlengine.storage.did_tables import dids
from xmlengine.storage.work_tables import outbox


def new_dids(api: Api, **params: str) -> list[dict[str, Any]]:
    answer = api.json("get_new_dids", **params)
    assert status(answer) == "success", codes(answer)
    return answer["dids"]["did_details"]  # type: ignore[no-any-return]


def charges(app: XmlEngineApp, api: Api) -> list[tuple[str, float]]:
    query = select(usage_charges.c.service, usage_charges.c.amount).order_by(
        usage_charges.c.usage_charge_id
    )
    return for_account(
        app,
        api.credentials.client_account_id,
        lambda acct: [(r.service, r.amount) for r in acct.execute(acct.also(query, usage_charges))],
    )


def mails(app: XmlEngineApp, account_id: int) -> list[dict[str, Any]]:
    query = select(outbox.c.payload).where(
        outbox.c.kind == "email", outbox.c.account_id == account_id
    )
    return [
        orjson.loads(p) for p in app.deps.db.run_sync(lambda c: c.execute(query).scalars().all())
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("5555", {"pattern_double_digits", "pattern_quadruple_digits"}),
        ("5556", {"pattern_double_digits", "pattern_tripple_digits"}),
        ("1155", {"pattern_double_digits", "pattern_double_digits_pair"}),
        ("1234", {"rare_number"}),
        ("8765", {"rare_number"}),
        ("4545", {"rare_number"}),
        ("1592", set()),
    ],
)
def test_patterns_come_from_the_digits(line: str, expected: set[str]) -> None:
    assert inventory.patterns("514286" + line) == expected


def test_the_trio_reads_the_last_six_digits() -> None:
    assert "pattern_double_digits_trio" in inventory.patterns("5142" + "337788")


def test_an_exchange_offers_the_same_numbers_every_time() -> None:
    exchange = nanp.exchange("514286")
    assert exchange is not None and inventory.stocked(exchange)
    numbers = inventory.numbers_of(exchange)
    inventory.numbers_of.cache_clear()
    assert inventory.numbers_of(exchange) == numbers
    assert len(numbers) > 10 and all(n.phone_number.startswith("514286") for n in numbers)
    assert {p for n in numbers for p in n.patterns} >= {
        "pattern_quadruple_digits",
        "pattern_tripple_digits",
        "pattern_double_digits_pair",
        "rare_number",
    }


def test_new_dids_of_an_exchange(api: Api) -> None:
    found = new_dids(api, npa="514", nxx="286")
    assert found and {(d["npa"], d["nxx"], d["ratecenter"]) for d in found} == {
        ("514", "286", "Montreal")
    }
    first = found[0]
    assert set(first) == {
        "did_id", "did", "npa", "nxx", "ratecenter_id", "ratecenter", "state_id", "state",
        "country_id", "country", "type", "patterns", "t38_support", "sms_support", "setup",
        "monthly",
    }  # fmt: skip
    assert (first["state"], first["type"]) == ("Quebec", "local")
    assert 0 < int(first["did_id"]) < 2**31
    assert [d["did"] for d in found] == sorted(d["did"] for d in found)
    xml = api.xml("get_new_dids", npa="514", nxx="286")
    assert xml.findtext(".//did_details/did") == first["did"]


def test_pattern_filters(api: Api) -> None:
    quad = new_dids(api, npa="514", included_patterns="pattern_quadruple_digits")
    assert quad and all("pattern_quadruple_digits" in d["patterns"] for d in quad)
    plain = new_dids(api, npa="514", included_patterns="no_patterns")
    assert plain and all(d["patterns"] == "" for d in plain)
    both = new_dids(api, npa="514", nxx="286", included_patterns="rare_number,no_patterns")
    assert {d["patterns"] == "" for d in both} == {True, False}
    assert codes(api.json("get_new_dids", included_patterns="pretty")) == [
        "included_patterns_invalid"
    ]


def test_district_state_ratecenter_and_feature_filters(api: Api) -> None:
    richmond = new_dids(api, district="richmond")
    assert richmond and all("richmond" in d["ratecenter"].lower() for d in richmond)
    assert richmond[0]["ratecenter"] == "Richmond"  # the complete match first
    bc = new_dids(api, state_id="2")
    assert bc and {d["state_id"] for d in bc} == {"2"}
    rid = new_dids(api, npa="604", nxx="248")[0]["ratecenter_id"]
    assert {d["ratecenter_id"] for d in new_dids(api, ratecenter_id=rid)} == {rid}
    sms = new_dids(api, npa="514", sms_support="1", t38_support="1")
    assert sms and all(d["sms_support"] == d["t38_support"] == "1" for d in sms)
    assert all(d["type"] == "local" for d in new_dids(api, type="local", district="richmond"))


def test_random_order_draws_from_the_same_inventory(api: Api) -> None:
    ordered = {d["did"] for d in new_dids(api, npa="514", nxx="286")}
    shuffled = [d["did"] for d in new_dids(api, npa="514", nxx="286", order="random")]
    assert set(shuffled) == ordered


def test_activation_moves_the_number_to_the_account(app: XmlEngineApp, api: Api) -> None:
    number = new_dids(api, npa="514", nxx="286")[0]["did"]
    answer = api.json("activate_new_did", phone_number=number)
    assert status(answer) == "success", codes(answer)
    assert answer["dids"]["did_details"][0]["did"] == number
    account_id = api.credentials.client_account_id
    rows = for_account(
        app, account_id, lambda acct: acct.execute(acct.select(dids)).mappings().all()
    )
    assert [(r["client_did_id"], r["phone_number"]) for r in rows] == [
        (int(answer["client_did_id"]), number)
    ]
    assert number not in {d["did"] for d in new_dids(api, npa="514", nxx="286")}
    assert charges(app, api) == [("did_setup", 0.5), ("did_monthly", 0.85)]
    (mail,) = mails(app, account_id)
    assert number in mail["subject"] and number in mail["body"]
    # Gone for every account: another one cannot take it.
    other = Api(api.client, new_account(app))
    assert codes(other.json("activate_new_did", phone_number=number)) == ["phone_number_not_found"]


def test_a_deleted_did_goes_back_to_the_inventory_and_can_come_back(
    app: XmlEngineApp, api: Api
) -> None:
    number = new_dids(api, npa="514", nxx="286")[0]["did"]
    first = api.json("activate_new_did", phone_number=number, skip_notification="1")
    first_id = first["client_did_id"]
    assert status(api.json("delete_did", client_did_id=first_id)) == "success"
    assert number in {d["did"] for d in new_dids(api, npa="514", nxx="286")}
    again = api.json("activate_new_did", phone_number=number, skip_notification="1")
    assert status(again) == "success", codes(again)
    listed = api.json("get_dids")["dids"]["did_details"]
    assert [d["client_did_id"] for d in listed if d["phone_number"] == number] == [
        again["client_did_id"]
    ]
    assert number not in {d["did"] for d in new_dids(api, npa="514", nxx="286")}


def test_activation_by_did_id_without_the_email(app: XmlEngineApp, api: Api) -> None:
    offered = new_dids(api, npa="604", nxx="248")[1]
    answer = api.xml("activate_new_did", did_id=offered["did_id"], skip_notification="1")
    assert status(answer) == "success", codes(answer)
    assert mails(app, api.credentials.client_account_id) == []
    assert codes(api.json("activate_new_did", did_id="1")) == ["did_id_invalid"]
    assert codes(api.json("activate_new_did", phone_number="5142869999999")) == [
        "phone_number_not_found"
    ]


def test_the_plan_includes_the_month_of_its_numbers(app: XmlEngineApp, api: Api) -> None:
    for_account(app, api.credentials.client_account_id, lambda a: billing.set_plan(a, 2))
    first, second = new_dids(api, npa="514", nxx="286")[:2]
    api.json("activate_new_did", phone_number=first["did"], skip_notification="1")
    api.json("activate_new_did", phone_number=second["did"], skip_notification="1")
    assert charges(app, api) == [("did_setup", 0.5), ("did_setup", 0.5), ("did_monthly", 0.85)]


def test_lookup_is_deterministic_and_charged(app: XmlEngineApp, api: Api) -> None:
    answer = api.json("lookup_did", phone_number="6042484930")
    assert status(answer) == "success", codes(answer)
    (row,) = answer["lookup"]["lookup_details"]
    assert (row["ratecenter"], row["state"], row["country"]) == (
        "Richmond",
        "British Columbia",
        "Canada",
    )
    assert (row["normalized"], row["type"], row["portable"]) == ("16042484930", "local", "1")
    assert api.json("lookup_did", phone_number="6042484930") == answer
    london = api.xml("lookup_did", phone_number="442079460000")
    assert london.findtext(".//type") == "international"
    assert london.findtext(".//country") == "United Kingdom"
    assert charges(app, api) == [("lookup_did", 0.01)] * 3


def test_toll_free_numbers(app: XmlEngineApp, api: Api) -> None:
    offered = new_dids(api, type="tollfree")
    assert len(offered) == 100 and {d["type"] for d in offered} == {"tollfree"}
    assert {d["npa"] for d in offered} == {"800"}  # by code, then exchange
    first = offered[0]
    assert (first["did"][:3], first["npa"], first["nxx"]) == ("800", "800", first["did"][3:6])
    assert (first["ratecenter_id"], first["ratecenter"], first["state_id"]) == ("", "", "")
    assert (first["setup"], first["monthly"]) == ("0.5000", "1.9500")
    in_888 = new_dids(api, type="tollfree", npa="888", nxx="555")
    assert in_888 and all(d["did"].startswith("888555") for d in in_888)
    xml = api.xml("get_new_dids", type="tollfree", npa="888", nxx="555")
    assert [e.text for e in xml.iter("did")] == [d["did"] for d in in_888]
    assert {e.text for e in xml.iter("type")} == {"tollfree"}
    quads = new_dids(api, type="tollfree", npa="844", included_patterns="pattern_quadruple_digits")
    assert quads and all(d["did"][-4:] == d["did"][-1] * 4 for d in quads)
    # A rate center, a state or a district are those of local numbers.
    assert new_dids(api, type="tollfree", state_id="2") == []
    answer = api.json("activate_new_did", did_id=first["did_id"], skip_notification="1")
    assert status(answer) == "success", codes(answer)
    (did,) = api.json("get_dids", client_did_id=answer["client_did_id"])["dids"]["did_details"]
    assert (did["phone_number"], did["type"], did["npa"]) == (first["did"], "tollfree", "800")
    assert first["did"] not in {d["did"] for d in new_dids(api, type="tollfree")}
    assert charges(app, api) == [("did_setup", 0.5), ("did_monthly", 1.95)]


def test_international_numbers(app: XmlEngineApp, api: Api) -> None:
    offered = new_dids(api, type="international")
    assert {d["type"] for d in offered} == {"international"}
    assert len(offered) == 100  # the first countries' blocks, 20 numbers each at most
    assert {"United Kingdom", "France"} <= {d["country"] for d in offered}
    assert {d["country"] for d in new_dids(api, type="international", district="Mexico")} == {
        "Mexico"
    }
    london = [d for d in offered if d["country"] == "United Kingdom"]
    assert all(d["did"].startswith("44") and d["npa"] == d["nxx"] == "" for d in london)
    assert {d["ratecenter"] for d in london} == {"Birmingham"}
    assert all(
        d["ratecenter"] == "Tokyo" for d in new_dids(api, type="international", district="tok")
    )
    assert new_dids(api, type="international", npa="514") == []  # npa is North American
    (inum, *_) = new_dids(api, type="inum")
    assert inum["did"].startswith("883") and inum["country"] == ""
    xml = api.xml("get_new_dids", type="international", district="Madrid")
    assert {e.text for e in xml.iter("country")} == {"Spain"}
    # Activation by number (the E.164 digits) with the international prices and the email.
    number = london[0]["did"]
    answer = api.json("activate_new_did", phone_number=number)
    assert status(answer) == "success", codes(answer)
    (did,) = api.json("get_dids", client_did_id=answer["client_did_id"])["dids"]["did_details"]
    assert (did["type"], did["country_id"], did["npa"], did["district"]) == (
        "international",
        london[0]["country_id"],
        "",
        "Birmingham",
    )
    assert charges(app, api) == [("did_setup", 1.0), ("did_monthly", 3.5)]
    (mail,) = mails(app, api.credentials.client_account_id)
    assert number in mail["subject"] and "Birmingham" in mail["body"]
    assert number not in {d["did"] for d in new_dids(api, type="international")}
    lookup = api.json("lookup_did", phone_number=london[1]["did"])["lookup"]["lookup_details"]
    assert lookup[0]["in_inventory"] == "1"


def test_without_a_type_every_type_is_offered_local_first(api: Api) -> None:
    assert {d["type"] for d in new_dids(api)} == {"local"}
    rare = new_dids(api, npa="800", included_patterns="pattern_quadruple_digits")
    assert rare and {d["type"] for d in rare} == {"tollfree"}
