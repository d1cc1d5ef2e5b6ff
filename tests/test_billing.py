"""Funding, billing activity, reseller ledger and invoices, rates and plans."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.scope_support import for_account
from xmlengine.clock import ManualClock
from xmlengine.domain import billing
from xmlengine.http.app import XmlEngineApp

DAY = 86_400.0


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def subaccount(api: Api) -> int:
    answer = api.json(
        "update_subaccount",
        mode="create",
        friendly_name="Client",
        multi_tenancy_mode="disabled",
        status="enabled",
    )
    return int(answer["subaccounts"]["subaccount_details"][0]["client_subaccount_id"])


def test_funding_details_follow_the_ledger_and_usage(
    app: XmlEngineApp, api: Api, clock: ManualClock
) -> None:
    account_id = api.credentials.client_account_id
    details = api.json("get_funding_details")["funding_details"]
    assert (details["account_balance"], details["funds_left"]) == ("0.00", "0.00")
    assert details["last_payment_date"] == ""
    now = clock.now()
    for_account(app, account_id, lambda a: billing.record(a, kind="payment", amount=50, at=now))
    for_account(app, account_id, lambda a: billing.charge(a, service="call", amount=12.5, at=now))
    for_account(app, account_id, lambda a: billing.set_credit_limit(a, 100))
    for_account(app, account_id, lambda a: billing.set_plan(a, 3))
    details = api.json("get_funding_details")["funding_details"]
    assert details["account_balance"] == "37.50 CR"
    assert details["funds_left"] == "137.50 CR"
    assert details["unbilled_usage"] == "12.50"
    assert details["last_payment_amount"] == "50.00"
    assert (details["plan_id"], details["plan"]) == ("3", "Unlimited Canada")
    for_account(app, account_id, lambda a: billing.charge(a, service="sms", amount=60, at=now))
    xml = api.xml("get_funding_details", currency="USD")
    assert xml.findtext("funding_details/account_balance") == "16.20"  # 22.50 owed, in USD
    assert xml.findtext("funding_details/currency") == "USD"
    assert status(other_account_funding(app, api)) == "success"


def other_account_funding(app: XmlEngineApp, api: Api) -> dict[str, Any]:
    other = Api(api.client, new_account(app))
    answer = other.json("get_funding_details")
    assert answer["funding_details"]["account_balance"] == "0.00"
    return answer


def test_billing_activity_lists_the_ledger_within_dates(
    app: XmlEngineApp, api: Api, clock: ManualClock
) -> None:
    account_id = api.credentials.client_account_id
    start = clock.now() - 10 * DAY
    for_account(app, account_id, lambda a: billing.record(a, kind="payment", amount=20, at=start))
    for_account(
        app, account_id, lambda a: billing.charge(a, service="call", amount=3, at=start + DAY)
    )
    invoice = for_account(app, account_id, lambda a: billing.close_invoice(a, start + 2 * DAY))
    assert for_account(app, account_id, lambda a: billing.close_invoice(a, start + 2 * DAY)) is None
    for_account(
        app, account_id, lambda a: billing.record(a, kind="credit", amount=1, at=start + 5 * DAY)
    )
    for_account(
        app, account_id, lambda a: billing.record(a, kind="refund", amount=2, at=start + 9 * DAY)
    )
    items = api.json("get_billing_activity")["billing_activity"]["transaction_details"]
    assert [i["type"] for i in items] == ["payment", "invoice", "credit", "refund"]
    assert items[1]["reference"] == f"INV-{invoice}"
    assert items[1]["amount"] == "3.00"
    assert api.json("get_funding_details")["funding_details"]["account_balance"] == "16.00 CR"
    day = api.json("get_billing_activity")["billing_activity"]["transaction_details"][2]["date"]
    only = api.xml("get_billing_activity", date_from=day[:10], date_to=day[:10])
    assert [e.findtext("type") for e in only.iterfind("billing_activity/transaction_details")] == [
        "credit"
    ]
    assert only.find("billing_activity").get("result_count") == "1"
    since = api.json("get_billing_activity", date_from=day[:10])["billing_activity"]
    assert [i["type"] for i in since["transaction_details"]] == ["credit", "refund"]


def test_billing_activity_errors(api: Api) -> None:
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_billing_activity", date_from="2024-13-01")) == ["date_from_invalid"]
        assert codes(fmt("get_billing_activity", date_to="yesterday")) == ["date_to_invalid"]
        assert codes(fmt("get_billing_activity", date_from="2024-02-01", date_to="2024-01-01")) == [
            "date_range_invalid"
        ]


def test_reseller_transactions_and_invoices(
    app: XmlEngineApp, api: Api, other: Api, clock: ManualClock
) -> None:
    account_id = api.credentials.client_account_id
    first, second = subaccount(api), subaccount(api)
    now = clock.now()
    for sid, amount in ((first, 4.0), (second, 6.0), (first, 1.5)):
        for_account(
            app,
            account_id,
            lambda a, sid=sid, amount=amount: billing.charge(
                a, service="call", amount=amount, at=now, subaccount_id=sid
            ),
        )
    listed = api.json("get_resellers_transactions")["resellers_transactions"]
    assert listed["result_count"] == "3"
    mine = api.json("get_resellers_transactions", client_subaccount_id=str(first))
    details = mine["resellers_transactions"]["reseller_transaction_details"]
    assert [d["amount"] for d in details] == ["4.00", "1.50"]
    assert details[0]["reseller_invoice_id"] == ""
    one = details[1]["reseller_transaction_id"]
    xml = api.xml("get_resellers_transactions", reseller_transaction_id=one)
    assert xml.findtext("resellers_transactions/reseller_transaction_details/amount") == "1.50"

    for_account(app, account_id, lambda a: billing.close_invoice(a, now))
    invoices = api.json("get_resellers_invoices")["resellers_invoices"]["reseller_invoice_details"]
    by_subaccount = {i["client_subaccount_id"]: i for i in invoices}
    assert by_subaccount[str(first)]["amount"] == "5.50"
    assert by_subaccount[str(second)]["amount"] == "6.00"
    key = by_subaccount[str(second)]["web_key"]
    assert len(key) == 32
    by_key = api.xml("get_resellers_invoices", web_key=key.upper())
    assert [e.findtext("web_key") for e in by_key.iterfind(".//reseller_invoice_details")] == [key]
    invoice_id = by_subaccount[str(first)]["reseller_invoice_id"]
    by_id = api.json("get_resellers_invoices", reseller_invoice_id=invoice_id)
    assert by_id["resellers_invoices"]["result_count"] == "1"
    today = by_subaccount[str(first)]["date_applied"][:10]
    assert (
        api.json("get_resellers_invoices", date_from=today, date_to=today)["resellers_invoices"][
            "result_count"
        ]
        == "2"
    )
    assert (
        api.json("get_resellers_invoices", date_to="2000-01-01")["resellers_invoices"][
            "result_count"
        ]
        == "0"
    )

    # Another account sees none of it, and its ids are unknown here.
    assert other.json("get_resellers_invoices")["resellers_invoices"]["result_count"] == "0"
    assert codes(other.json("get_resellers_invoices", web_key=key)) == ["web_key_invalid"]
    assert codes(other.xml("get_resellers_invoices", reseller_invoice_id=invoice_id)) == [
        "reseller_invoice_id_invalid"
    ]
    assert codes(other.json("get_resellers_transactions", reseller_transaction_id=one)) == [
        "reseller_transaction_id_invalid"
    ]
    assert codes(other.json("get_resellers_transactions", client_subaccount_id=first)) == [
        "client_subaccount_id_invalid"
    ]


def test_reseller_parameter_errors(api: Api) -> None:
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_resellers_invoices", web_key="xyz")) == ["web_key_invalid"]
        assert codes(fmt("get_resellers_invoices", web_key="0" * 32)) == ["web_key_invalid"]
        assert codes(fmt("get_resellers_invoices", reseller_invoice_id="a")) == [
            "reseller_invoice_id_invalid"
        ]
        assert codes(fmt("get_resellers_invoices", client_subaccount_id="99999999")) == [
            "client_subaccount_id_invalid"
        ]
        assert codes(fmt("get_resellers_transactions", reseller_transaction_id="42424242")) == [
            "reseller_transaction_id_invalid"
        ]
        for name in ("get_resellers_invoices", "get_resellers_transactions"):
            assert codes(fmt(name, date_from="2024-01-02", date_to="2024-01-01")) == [
                "date_range_invalid"
            ]
            assert codes(fmt(name, date_from="01/02/2024")) == ["date_from_invalid"]
            assert codes(fmt(name, date_to="x")) == ["date_to_invalid"]


def test_rates_by_prefix_country_and_state(api: Api) -> None:
    canada = api.json("get_rates", country_id="38")["rates"]["rate_details"]
    assert {"code": "1604", "state_id": "2", "state": "British Columbia"}.items() <= next(
        r for r in canada if r["code"] == "1604"
    ).items()
    assert all(r["country_id"] == "38" for r in canada)
    bc = api.json("get_rates", country_id="38", state_id="2")["rates"]["rate_details"]
    assert {r["code"] for r in bc} >= {"1236", "1250", "1604", "1778"}
    france = api.xml("get_rates", code="33")
    codes_found = [e.findtext("code") for e in france.iterfind("rates/rate_details")]
    assert codes_found[:3] == ["33", "336", "337"]
    assert france.findtext("rates/rate_details/country") == "France"
    # A dialed number finds its longest prefix.
    (mobile,) = api.json("get_rates", code="33612345678")["rates"]["rate_details"]
    assert (mobile["code"], mobile["destination"]) == ("336", "France - Mobile")
    assert mobile["rate"] == "0.0450"
    usd = api.json("get_rates", code="336", currency="USD")["rates"]["rate_details"][0]
    assert usd["rate"] == "0.0324"
    fr = api.json("get_rates", code="1514", language="fr")["rates"]["rate_details"][0]
    assert (fr["country"], fr["state"]) == ("Canada", "Québec")


def test_rates_errors(api: Api) -> None:
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_rates")) == ["search_parameters_required"]
        assert codes(fmt("get_rates", code="+33")) == ["code_invalid"]
        assert codes(fmt("get_rates", code="0")) == ["code_invalid"]
        assert codes(fmt("get_rates", country_id="999")) == ["country_id_invalid"]
        assert codes(fmt("get_rates", country_id="38", state_id="999")) == ["state_id_invalid"]
        assert codes(fmt("get_rates", state_id="2")) == ["search_parameters_required"]


def test_plans(api: Api) -> None:
    plans = api.json("get_plans")["plans"]["plan_details"]
    assert len(plans) >= 5
    trunk = next(p for p in plans if p["plan_id"] == "6")
    assert trunk["plan_group"] == "Trunking"
    assert trunk["included_services"]["channels"] == "10"
    assert trunk["monthly_fee"] == "69.95"
    group = api.xml("get_plans", plan_groups_id="2")
    assert {e.findtext("plan_group_id") for e in group.iterfind("plans/plan_details")} == {"2"}
    assert api.json("get_plans", plan_id="1")["plans"]["result_count"] == "1"
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_plans", plan_id="999")) == ["plan_id_invalid"]
        assert codes(fmt("get_plans", plan_id="x")) == ["plan_id_invalid"]
        assert codes(fmt("get_plans", plan_groups_id="999")) == ["plan_groups_id_invalid"]
        assert codes(fmt("get_plans", plan_groups_id="-2")) == ["plan_groups_id_invalid"]
