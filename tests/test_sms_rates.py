"""Messages billed from the rate deck: each SMS segment and each MMS at the price of the
deck's longest prefix of the number it went to (received: of the DID it reached), shown
by get_sms, get_sms_stats and the account's funding; an operator's deck changes them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.sms_support import carry, queued, sms_of
from tests.test_sms import png
from tests.test_sms_profiles import arrive
from xmlengine.app import create_app
from xmlengine.cli.operator import operator
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS

FIRST, SECOND = DEMO_NUMBERS
HEADER = "code,destination,country_id,state_id,rate,increment,minimum"
MESSAGE_COLUMNS = "sms_rate,mms_rate,sms_inbound_rate,mms_inbound_rate"


@pytest.fixture
def open_settings(settings: Settings) -> Settings:
    return traffic_settings(settings)


@pytest.fixture
def sms_api(open_settings: Settings, clock: ManualClock) -> Iterator[Api]:
    with TestClient(create_app(open_settings, clock)) as client:
        app: Any = client.app
        yield Api(client, new_account(app))


@pytest.fixture
def deck(database_url: str, tmp_path: Path) -> Iterator[Any]:
    """Loads an operator's rate deck; the shipped one is back after the test."""
    cli = CliRunner(env={"XMLENGINE_DATABASE_URL": database_url})

    def load(text: str) -> None:
        path = tmp_path / "rates.csv"
        path.write_text(text)
        result = cli.invoke(operator, ["load-catalog", "rates", str(path)])
        assert result.exit_code == 0, result.output

    yield load
    assert cli.invoke(operator, ["load-catalog", "rates"]).exit_code == 0


def send(api: Api, destination: str, message: str = "", **fields: Any) -> str:
    if "files" in fields:
        response = api.client.post(
            "/api/v1.1/json/queue_sms",
            params=api.auth(),
            data={"source_number": FIRST, "destination_number": destination},
            files=fields["files"],
        )
        return queued(response.json())
    return queued(
        api.post("queue_sms", source_number=FIRST, destination_number=destination, message=message)
    )


def test_the_sample_deck_prices_each_segment_and_mms_by_destination(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id

    async def scenario() -> dict[str, str]:
        async with sandbox(open_settings, clock, account_id) as net:
            sent = {
                "canada": send(sms_api, "4165550100", "a"),
                "bahamas": send(sms_api, "2425550100", "b" * 200),  # two segments
                "bahamas_mms": send(
                    sms_api, "2425550100", files=[("attachments", ("p.png", png(), "image/png"))]
                ),
            }
            await carry(net, 10)
            assert await arrive(net, FIRST, "4165550001")
            return sent

    sent = run(scenario)
    billed = {name: sms_of(sms_api, sms_hash)["billed_amount"] for name, sms_hash in sent.items()}
    assert billed == {"canada": "0.0075", "bahamas": "0.1000", "bahamas_mms": "0.1500"}
    (received,) = sms_api.json("get_sms", direction="inbound")["sms"]["sms_details"]
    assert received["billed_amount"] == "0.0000"  # the sample deck prices nothing received
    xml = sms_api.xml("get_sms", sms_hash=sent["bahamas"])
    assert xml.findtext("sms/sms_details/billed_amount") == "0.1000"
    funding = sms_api.json("get_funding_details")["funding_details"]
    assert funding["unbilled_usage"] == "0.26"  # 0.2575
    stats = sms_api.json("get_sms_stats", message_types="total")["sms_stats"]["stat_details"]
    assert stats[0]["message_types"]["message_type_details"][0]["billed_amount"] == "0.2575"


def test_an_operator_s_deck_sets_the_prices_received_messages_included(
    open_settings: Settings, clock: ManualClock, sms_api: Api, deck: Any
) -> None:
    account_id = sms_api.credentials.client_account_id
    deck(
        f"{HEADER},{MESSAGE_COLUMNS}\n"
        "1,North America,38,,0.0100,6,6,0.0100,0.0300,0.0020,0.0040\n"
        "1416,Toronto,38,9,0.0100,6,6,0.0050,0.0300,0.0020,0.0040\n"
    )

    async def priced() -> tuple[str, str]:
        async with sandbox(open_settings, clock, account_id) as net:
            toronto, montreal = send(sms_api, "4165550100", "a"), send(sms_api, "5145550100", "b")
            await carry(net, 10)
            assert await arrive(net, FIRST, "4165550002")
            return toronto, montreal

    toronto, montreal = run(priced)
    assert sms_of(sms_api, toronto)["billed_amount"] == "0.0050"  # the longest prefix
    assert sms_of(sms_api, montreal)["billed_amount"] == "0.0100"
    (received,) = sms_api.json("get_sms", direction="inbound")["sms"]["sms_details"]
    assert received["billed_amount"] == "0.0020"


def test_a_deck_without_message_rates_bills_no_message(
    open_settings: Settings, clock: ManualClock, sms_api: Api, deck: Any
) -> None:
    """A deck made before messages were priced from it still loads; messages are free."""
    account_id = sms_api.credentials.client_account_id
    deck(f"{HEADER}\n1,North America,38,,0.0100,6,6\n")

    async def unpriced() -> str:
        async with sandbox(open_settings, clock, account_id) as net:
            free = send(sms_api, "4165550100", "c")
            await carry(net, 10)
            return free

    free = run(unpriced)
    answer = sms_api.json("get_sms", sms_hash=free)
    assert status(answer) == "success", codes(answer)
    assert answer["sms"]["sms_details"][0]["billed_amount"] == "0.0000"
