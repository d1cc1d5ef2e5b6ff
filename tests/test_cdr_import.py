"""`xmlengine cdr import`: CSV and JSON records into the history, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.call_support import make_subaccount, set_time_zone
from tests.conftest import Api, new_account, status
from xmlengine.cli import main
from xmlengine.http.app import XmlEngineApp

DAY = {"date_from": "2026-01-10", "date_to": "2026-01-10"}
HEADER = "datetime,direction,source,destination,duration,disposition,callerid_name\n"


@pytest.fixture
def cli(database_url: str) -> CliRunner:
    return CliRunner(env={"XMLENGINE_DATABASE_URL": database_url})


def run(cli: CliRunner, api: Api, path: Path, *args: str) -> Result:
    account = str(api.credentials.client_account_id)
    return cli.invoke(main, ["cdr", "import", str(path), "--account", account, *args])


def history(api: Api, **params: str) -> list[dict[str, Any]]:
    answer = api.json("get_calls", **(params or DAY), result_limit="1000")
    assert status(answer) == "success"
    return answer["calls"]["call_details"]  # type: ignore[no-any-return]


def test_csv_import_in_the_accounts_time_zone(
    cli: CliRunner, app: XmlEngineApp, api: Api, tmp_path: Path
) -> None:
    set_time_zone(app, api.credentials, "America/Vancouver")
    path = tmp_path / "calls.csv"
    path.write_text(
        HEADER
        + '2026-01-10 08:15:00,outbound,4385550100,+1 514 286 0000,61,answered,"Desk, 2nd"\n'
        + "2026-01-10 09:00:00,inbound,6045550100,4385550100,0,no_answer,Bob\n"
    )
    result = run(cli, api, path)
    assert result.exit_code == 0, result.output
    assert "imported 2 call(s)" in result.output
    first, second = history(api)
    assert (first["time"], first["callerid_name"], first["duration"]) == (
        "08:15:00",
        "Desk, 2nd",
        "61",
    )
    assert (first["normalized"], first["billed_amount"]) == ("15142860000", "0.0099")
    assert (second["direction"], second["status"], second["routing_type"]) == (
        "inbound",
        "no answer",
        "local_origination",
    )


def test_json_array_and_json_lines(cli: CliRunner, api: Api, tmp_path: Path) -> None:
    records = [
        {
            "started_at": "2026-01-10T17:00:00Z",
            "direction": "outbound",
            "source": "4385550100",
            "destination": "011442079460000",
            "duration": 120,
            "call_hash": "ABCDEF0123456789abcdef0123456789",
            "metadata": {"ticket": 42},
            "sip_response_code": 200,
            "billed_amount": 0.5,
        },
        {
            "date": "2026-01-10",
            "time": "13:00:00",
            "direction": "outbound",
            "source": "4385550100",
            "destination": "911",
            "disposition": "answered",
        },
    ]
    array = tmp_path / "calls.json"
    array.write_text(json.dumps(records, indent=2))
    assert run(cli, api, array).exit_code == 0
    lines = tmp_path / "more.jsonl"
    lines.write_text(json.dumps({**records[1], "time": "14:00:00"}) + "\n")
    assert run(cli, api, lines).exit_code == 0
    calls = {c["time"]: c for c in history(api)}
    assert list(calls) == ["12:00:00", "13:00:00", "14:00:00"]  # America/Montreal
    london = calls["12:00:00"]
    assert london["call_hash"] == "abcdef0123456789abcdef0123456789"
    assert (london["billed_amount"], london["routing_type"]) == (
        "0.5000",
        "international_termination",
    )
    assert calls["13:00:00"]["routing_type"] == "emergency_call"
    extras = history(api, **DAY, extras="yes", metadata="yes")[0]
    assert extras["sip_response_code"] == "200"
    assert json.loads(extras["metadata"]["raw_metadata"]) == {"ticket": 42}


def test_bad_lines_are_reported_and_nothing_is_imported(
    cli: CliRunner, api: Api, tmp_path: Path
) -> None:
    good = "2026-01-10 08:15:00,outbound,4385550100,5142860000,61,answered,A\n"
    path = tmp_path / "calls.csv"
    path.write_text(
        HEADER
        + good
        + "2026-01-10 08:16:00,sideways,4385550100,5142860000,61,answered,B\n"  # line 3
        + good
        + "2026-01-10 25:00:00,outbound,4385550100,5142860000,61,answered,C\n"  # line 5
        + '2026-01-10 08:17:00,outbound,4385550100,5142860000,x,answered,"D\nE"\n'  # line 6
        + "2026-01-10 08:17:00,outbound,,5142860000,1,answered,F\n"  # line 8
        + "2026-01-10 08:18:00,outbound,4385550100,5142860000,1,answered,G,extra\n"  # line 9
        + good
    )
    result = run(cli, api, path)
    assert result.exit_code != 0
    reported = [line for line in result.output.splitlines() if line.startswith("calls.csv: line")]
    assert [line.split(":")[1].strip() for line in reported] == [
        "line 3",
        "line 5",
        "line 6",
        "line 8",
        "line 9",
    ]
    assert "direction" in reported[0] and "duration" in reported[2] and "source" in reported[3]
    assert "nothing imported" in result.output
    assert history(api) == []


def test_unknown_column_and_bad_json(cli: CliRunner, api: Api, tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("datetime,direction,source,destination,durration\n")
    result = run(cli, api, path)
    assert result.exit_code != 0
    assert "line 1: unknown column(s): durration" in result.output
    broken = tmp_path / "calls.json"
    broken.write_text('[\n  {"direction": "outbound"},\n  {"direction": outbound},\n  {}\n]\n')
    result = run(cli, api, broken)
    assert "line 2: the start: one of started_at, datetime, or date with time" in result.output
    assert "source: required; destination: required" in result.output
    assert "line 3: not JSON" in result.output
    assert history(api) == []


def test_references_and_hashes_are_checked(
    cli: CliRunner, app: XmlEngineApp, client: Any, api: Api, tmp_path: Path
) -> None:
    other = Api(client, new_account(app))
    theirs, mine = make_subaccount(other), make_subaccount(api)
    base = {
        "datetime": "2026-01-10 08:00:00",
        "direction": "outbound",
        "source": "4385550100",
        "destination": "5142860000",
    }
    taken = "1" * 32
    lines = [
        {**base, "client_subaccount_id": mine, "call_hash": taken},
        {**base, "client_subaccount_id": theirs},
        {**base, "client_channel_id": 999999},
        {**base, "call_hash": taken},
    ]
    path = tmp_path / "calls.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run(cli, api, path)
    assert "line 2: client_subaccount_id" in result.output
    assert "line 3: client_channel_id" in result.output
    assert "line 4: call_hash: already in this file" in result.output
    assert history(api) == []
    path.write_text(json.dumps(lines[0]) + "\n")
    assert run(cli, api, path).exit_code == 0
    assert [c["client_subaccount_id"] for c in history(api)] == [mine]
    again = run(cli, api, path)
    assert "line 1: call_hash: already logged" in again.output


def test_account_choice_and_format(cli: CliRunner, api: Api, tmp_path: Path) -> None:
    path = tmp_path / "calls.txt"
    path.write_text(HEADER)
    assert "--format" in run(cli, api, path).output
    result = run(cli, api, path, "--format", "csv")
    assert result.exit_code == 0 and "imported 0 call(s)" in result.output
    missing = cli.invoke(main, ["cdr", "import", str(path), "--account", "1", "--format", "csv"])
    assert missing.exit_code != 0 and "no account 1" in missing.output
    several = cli.invoke(main, ["cdr", "import", str(path), "--format", "csv"])
    assert several.exit_code != 0 and "--account" in several.output
