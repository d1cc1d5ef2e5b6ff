"""`xmlengine sandbox notify` and the sandbox lines `serve` gives the demo account."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson
import pytest
import uvicorn
from click.testing import CliRunner
from sqlalchemy import select

from tests.conftest import new_account
from tests.receiver import receiving
from tests.sandbox_support import switch_off
from tests.scope_support import for_account
from xmlengine.cli import main
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS, ensure_sandbox_lines
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.database import Database
from xmlengine.storage.did_tables import dids
from xmlengine.storage.peer_tables import peers


def _env(app: XmlEngineApp, tmp_path: Path) -> dict[str, str]:
    return {
        "XMLENGINE_DATA_DIR": str(tmp_path),
        "XMLENGINE_DATABASE_URL": app.deps.settings.db_url,
        "XMLENGINE_WEBHOOK_ALLOW_PRIVATE": "1",
    }


def _did(app: XmlEngineApp, account_id: int, number: str) -> Any:
    return app.deps.db.run_sync(
        lambda conn: conn.execute(
            select(dids).where(dids.c.account_id == account_id, dids.c.phone_number == number)
        ).one()
    )


@pytest.fixture
def account_id(app: XmlEngineApp) -> Any:
    account_id = new_account(app).client_account_id
    for_account(app, account_id, lambda acct: ensure_sandbox_lines(acct, now=time.time()))
    yield account_id
    app.deps.db.run_sync(lambda conn: switch_off(conn, account_id))


def test_notify_refuses_a_url_that_does_not_answer_200(
    app: XmlEngineApp, account_id: int, tmp_path: Path
) -> None:
    number = DEMO_NUMBERS[1]
    with receiving() as receiver:
        receiver.plan("/no", default=500)
        result = CliRunner().invoke(
            main,
            [
                "sandbox",
                "notify",
                "--account",
                str(account_id),
                "--did",
                number,
                "--url",
                receiver.url("/no"),
            ],
            env=_env(app, tmp_path),
        )
    assert result.exit_code == 1
    assert "notify_callback_url_invalid" in result.output
    assert [orjson.loads(r.body)["trigger"] for r in receiver.received] == ["on_test"]
    row = _did(app, account_id, number)
    assert (row.enable_notify_callback, row.notify_callback_url) == (False, "")


def test_notify_keeps_a_url_that_answers_200(
    app: XmlEngineApp, account_id: int, tmp_path: Path
) -> None:
    number = DEMO_NUMBERS[0]
    with receiving() as receiver:
        result = CliRunner().invoke(
            main,
            [
                "sandbox",
                "notify",
                "--account",
                str(account_id),
                "--did",
                "+1 (514) 555-0150",
                "--url",
                receiver.url("/yes"),
                "--triggers",
                "on_ring,on_hangup",
            ],
            env=_env(app, tmp_path),
        )
    assert result.exit_code == 0, result.output
    assert orjson.loads(receiver.received[0].body) == {
        "trigger": "on_test",
        "client_did_id": str(_did(app, account_id, number).client_did_id),  # a string
        "did_number": number,
    }
    row = _did(app, account_id, number)
    assert (row.enable_notify_callback, row.notify_callback_url) == (True, receiver.url("/yes"))
    assert row.notify_callback_triggers == "on_ring,on_hangup"


def test_notify_refuses_an_unknown_trigger_and_an_unknown_did(
    app: XmlEngineApp, account_id: int, tmp_path: Path
) -> None:
    env = _env(app, tmp_path)
    base = ["sandbox", "notify", "--account", str(account_id), "--url", "http://127.0.0.1:9/"]
    bad = CliRunner().invoke(
        main, [*base, "--did", DEMO_NUMBERS[0], "--triggers", "on_fire"], env=env
    )
    assert bad.exit_code == 2 and "on_fire" in bad.output
    unknown = CliRunner().invoke(main, [*base, "--did", "5145559999"], env=env)
    assert unknown.exit_code == 1 and "no DID 5145559999" in unknown.output


@pytest.mark.parametrize("url", ["http://0177.0.0.1:1/", "http://xn--/", "ftp://example.com/"])
def test_notify_refuses_a_malformed_url(
    app: XmlEngineApp, account_id: int, tmp_path: Path, url: str
) -> None:
    args = ["sandbox", "notify", "--account", str(account_id), "--did", DEMO_NUMBERS[0]]
    result = CliRunner().invoke(main, [*args, "--url", url], env=_env(app, tmp_path))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a usage error, not a traceback
    assert "Invalid value for --url: " in result.output
    assert _did(app, account_id, DEMO_NUMBERS[0]).notify_callback_url == ""


def test_serve_gives_the_new_demo_account_its_sandbox_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: started.append(kw))
    env = {"XMLENGINE_DATA_DIR": str(tmp_path), "XMLENGINE_DATABASE_URL": ""}
    first = CliRunner().invoke(main, ["serve"], env=env)
    again = CliRunner().invoke(main, ["serve"], env=env)
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert len(started) == 2
    assert f"given sandbox DIDs {', '.join(DEMO_NUMBERS)}" in first.output
    assert "has sandbox DIDs" in again.output
    db = Database(f"sqlite:///{tmp_path / 'xmlengine.db'}")
    try:
        numbers = db.run_sync(
            lambda conn: conn.execute(select(dids.c.phone_number, dids.c.sandbox)).all()
        )
        peer = db.run_sync(lambda conn: conn.execute(select(peers)).one())
    finally:
        db.close_sync()
    assert sorted(numbers) == sorted((n, True) for n in DEMO_NUMBERS)
    assert peer.callerid_number == DEMO_NUMBERS[0] and peer.sandbox
