"""`xmlengine operator`: its effects are visible through the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.conftest import Api, codes
from xmlengine.cli.operator import operator


@pytest.fixture
def cli(database_url: str) -> CliRunner:
    return CliRunner(env={"XMLENGINE_DATABASE_URL": database_url})


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def test_ledger_invoice_plan_and_credit_limit(cli: CliRunner, api: Api) -> None:
    account = str(api.credentials.client_account_id)
    ok(
        cli.invoke(
            operator, ["payment", "--account", account, "--amount", "30", "--reference", "CHQ 12"]
        )
    )
    ok(cli.invoke(operator, ["credit", "--account", account, "--amount", "5"]))
    ok(cli.invoke(operator, ["refund", "--account", account, "--amount", "10"]))
    assert "nothing to invoice" in ok(cli.invoke(operator, ["invoice", "--account", account]))
    ok(cli.invoke(operator, ["credit-limit", "--account", account, "--amount", "20"]))
    ok(cli.invoke(operator, ["plan", "--account", account, "--plan-id", "5"]))
    activity = api.json("get_billing_activity")["billing_activity"]["transaction_details"]
    assert [(a["type"], a["amount"]) for a in activity] == [
        ("payment", "30.00"),
        ("credit", "5.00"),
        ("refund", "10.00"),
    ]
    assert activity[0]["reference"] == "CHQ 12"
    funding = api.json("get_funding_details")["funding_details"]
    assert (funding["account_balance"], funding["funds_left"]) == ("25.00 CR", "45.00 CR")
    assert funding["plan"] == "SIP Trunk 5"
    system = api.json("get_channels")["channels"]["channel_details"][0]
    assert system["quantity_bidirectional"] == "5"


def test_refusals(cli: CliRunner, api: Api) -> None:
    account = str(api.credentials.client_account_id)
    result = cli.invoke(operator, ["payment", "--account", "1", "--amount", "3"])
    assert result.exit_code == 1 and "no account 1" in result.output
    result = cli.invoke(operator, ["credit", "--account", account, "--amount", "-3"])
    assert result.exit_code == 1 and "positive" in result.output
    result = cli.invoke(operator, ["plan", "--account", account, "--plan-id", "999"])
    assert result.exit_code == 1 and "no plan 999" in result.output
    result = cli.invoke(operator, ["invoice", "--account", "1"])
    assert result.exit_code == 1


def test_brands(cli: CliRunner, api: Api) -> None:
    account = str(api.credentials.client_account_id)
    out = ok(cli.invoke(operator, ["brand", "--account", account, "--name", "Acme", "--default"]))
    brand_id = out.split()[-1]
    other = ok(cli.invoke(operator, ["brand", "--account", account, "--name", "Other"])).split()[-1]
    base = {"mode": "create", "friendly_name": "Shop", "multi_tenancy_mode": "disabled"}
    base["status"] = "enabled"
    default = api.json("update_subaccount", **base)["subaccounts"]["subaccount_details"][0]
    assert default["client_brand_id"] == brand_id
    chosen = api.json("update_subaccount", client_brand_id=other, **base)
    sid = chosen["subaccounts"]["subaccount_details"][0]["client_subaccount_id"]
    listed = api.json("get_subaccounts", client_brand_id=other)["subaccounts"]
    assert [s["client_subaccount_id"] for s in listed["subaccount_details"]] == [sid]


def test_network_status_post_and_resolve(cli: CliRunner, api: Api) -> None:
    out = ok(
        cli.invoke(operator, ["network-status", "post", "Trunk outage", "--severity", "critical"])
    )
    entry = out.split()[-1]
    unresolved = api.json("get_network_status", mode="unresolved", limit="1000")
    found = {
        e["network_status_id"]: e for e in unresolved["network_status"]["network_status_details"]
    }
    assert found[entry]["severity"] == "critical"
    ok(cli.invoke(operator, ["network-status", "resolve", entry]))
    unresolved = api.json("get_network_status", mode="unresolved", limit="1000")
    ids = {e["network_status_id"] for e in unresolved["network_status"]["network_status_details"]}
    assert entry not in ids
    assert cli.invoke(operator, ["network-status", "resolve", "99999999"]).exit_code == 1
    assert cli.invoke(operator, ["network-status", "post", "x", "--severity", "odd"]).exit_code == 2


def test_load_catalog_from_a_file_then_the_shipped_one(
    cli: CliRunner, api: Api, tmp_path: Path
) -> None:
    proxies = tmp_path / "proxies.csv"
    proxies.write_text(
        "proxy_id,name,hostname,ip_address,port,city,country_id,status\n"
        "10,Edge,sip.example.net,203.0.113.5,5080,Calgary,38,enabled\n"
    )
    try:
        assert "1 rows" in ok(cli.invoke(operator, ["load-catalog", "proxies", str(proxies)]))
        (proxy,) = api.json("get_proxies")["proxies"]["proxy_details"]
        assert (proxy["proxy_id"], proxy["port"]) == ("10", "5080")
        assert codes(api.json("get_proxies", proxy_id="1")) == ["proxy_id_invalid"]
    finally:
        ok(cli.invoke(operator, ["load-catalog", "proxies"]))
    assert api.json("get_proxies")["proxies"]["result_count"] == "3"
    broken = tmp_path / "rates.csv"
    broken.write_text("code,destination\n1,x\n")
    result = cli.invoke(operator, ["load-catalog", "rates", str(broken)])
    assert result.exit_code == 1 and "missing columns" in result.output
    assert api.json("get_rates", code="1604")["rates"]["result_count"] == "1"
