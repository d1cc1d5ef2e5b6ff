"""`kill -9` of a real server with SMS, faxes and calls in flight: after it restarts, none
is lost.

The server runs as `xmlengine serve` in its own process on the test's database, with the
sandbox network running and its traffic generator placing calls. Messages and faxes are
queued over HTTP; once some of each are in the network's hands and calls are in
progress, the process is killed without warning, then started again. Every message and
every fax reaches its final status (a fax cut off in transmission is sent again, its
retry counted), each fax ends as a call of the history, and every call that was in
progress ends with its record.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, select

from tests.conftest import new_account
from tests.fax_support import PROFILE
from tests.sandbox_support import give_lines, switch_off
from tests.scope_support import for_account
from xmlengine.app import create_app
from xmlengine.config import Settings
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS
from xmlengine.storage.call_tables import calls
from xmlengine.storage.did_tables import dids
from xmlengine.storage.fax_tables import call_faxes
from xmlengine.storage.network_tables import DONE, network_jobs
from xmlengine.storage.sms_tables import sms_messages

WAIT = 90.0  # a safety net against a hang, not a measurement


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from xmlengine.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--no-demo",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=WAIT)


def until(check: Callable[[], bool], what: str, state: Callable[[], object] = str) -> None:
    deadline = time.monotonic() + WAIT
    while not check():
        assert time.monotonic() < deadline, f"still waiting for {what}: {state()}"
        time.sleep(0.05)  # a look every 50 ms; the deadline bounds it


def _messages(conn: Connection, account_id: int) -> dict[str, str]:
    c = sms_messages.c
    rows = conn.execute(
        select(c.sms_hash, c.transmission_status).where(
            c.account_id == account_id,
            c.direction == "outbound",  # the DIDs receive too
        )
    ).all()
    return {str(r.sms_hash): str(r.transmission_status) for r in rows}


def _faxes(conn: Connection, account_id: int) -> dict[str, str]:
    c = call_faxes.c
    rows = conn.execute(
        select(c.call_hash, c.transmission_status).where(c.account_id == account_id)
    ).all()
    return {str(r.call_hash): str(r.transmission_status) for r in rows}


def _call_jobs(conn: Connection, account_id: int) -> dict[str, str]:
    c = network_jobs.c
    rows = conn.execute(
        select(c.ref, c.status).where(c.account_id == account_id, c.kind == "call")
    ).all()
    return {str(r.ref): str(r.status) for r in rows}


def _recorded(conn: Connection, account_id: int) -> set[str]:
    c = calls.c
    rows = conn.execute(select(c.call_hash).where(c.account_id == account_id)).scalars()
    return {str(h) for h in rows}


def _quiet_others(conn: Connection, account_id: int) -> list[int]:
    """Switch off other accounts' sandbox DIDs (earlier tests' leftovers), so that the
    server's traffic is this account's; the DIDs switched off."""
    c = dids.c
    others = (c.sandbox.is_(True), c.status == "enabled", c.account_id != account_id)
    found = [int(i) for i in conn.execute(select(c.client_did_id).where(*others)).scalars()]
    conn.execute(dids.update().where(c.client_did_id.in_(found)).values(status="disabled"))
    return found


def _restore(conn: Connection, did_ids: list[int]) -> None:
    c = dids.c
    conn.execute(dids.update().where(c.client_did_id.in_(did_ids)).values(status="enabled"))


def test_kill_9_with_sms_faxes_and_calls_in_flight_loses_none(
    settings: Settings, tmp_path: Path
) -> None:
    app = create_app(settings)
    db = app.deps.db
    credentials = new_account(app)
    account_id = credentials.client_account_id
    for_account(app, account_id, lambda acct: give_lines(acct.connection_for_work(), acct))
    quieted = db.run_sync(lambda conn: _quiet_others(conn, account_id))
    port = _free_port()
    env = {
        **os.environ,
        "XMLENGINE_DATA_DIR": str(tmp_path),
        "XMLENGINE_DATABASE_URL": settings.db_url,
        # A message takes 1 s, a one-page fax 18 s, a call 15 s or more.
        "XMLENGINE_NETWORK_SPEED": "2",
        "XMLENGINE_SANDBOX_TRAFFIC_PER_HOUR": "1800",  # a call every second
        "XMLENGINE_NETWORK_POLL_SECONDS": "0.1",
        "XMLENGINE_NETWORK_ALIVE_SECONDS": "0.5",
        "XMLENGINE_ACCESS_LOG": "0",
    }
    base = f"http://127.0.0.1:{port}/api/v1.1/json"
    auth = {"username": credentials.username, "auth_token": credentials.auth_token}

    def up() -> bool:
        try:
            return httpx.get(f"{base}/get_sms", params=auth, timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def queue(destination: str) -> str:
        answer: Any = httpx.post(
            f"{base}/queue_sms",
            data={
                **auth,
                "source_number": DEMO_NUMBERS[0],
                "destination_number": destination,
                "message": "Still there?",
            },
        ).json()
        return str(answer["response_details"]["response_messages"]["message"][0]["_content"])

    def fax_profile() -> str:
        answer: Any = httpx.post(
            f"{base}/update_fax_profile", data={**auth, **PROFILE, "mode": "create"}
        ).json()
        return str(answer["fax_profiles"]["fax_profile_details"][0]["client_fax_profile_id"])

    def queue_fax(profile_id: str, destination: str) -> str:
        answer: Any = httpx.post(
            f"{base}/queue_fax",
            data={
                **auth,
                "client_fax_profile_id": profile_id,
                "destination_number": destination,
                "retry_limit": "1",
            },
            files={"attachments": ("note.txt", b"Still there?", "text/plain")},
        ).json()
        return str(answer["response_details"]["response_messages"]["message"][0]["_content"])

    try:
        with serving(env, port) as first:
            until(up, "the server")

            def talking() -> bool:
                return "started" in db.run_sync(lambda conn: _call_jobs(conn, account_id)).values()

            until(talking, "calls in progress")  # they last 15 s or more
            profile_id = fax_profile()
            faxed = [queue_fax(profile_id, f"51455502{n:02d}") for n in range(3)]
            faxed.append(queue_fax(profile_id, "5145550003"))  # fails, whatever happens
            queued = [queue(f"41655501{n:02d}") for n in range(6)]
            queued.append(queue("4165550003"))  # fails, whatever happens

            def in_flight() -> bool:
                states = db.run_sync(lambda conn: _messages(conn, account_id))
                sending = db.run_sync(lambda conn: _faxes(conn, account_id))
                return "processing" in states.values() and "processing" in sending.values()

            until(in_flight, "messages and faxes in the network's hands")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=WAIT)
        before = db.run_sync(lambda conn: _call_jobs(conn, account_id))
        assert "started" in before.values()  # calls were in progress when it died
        cut_off = db.run_sync(lambda conn: _faxes(conn, account_id))
        assert "processing" in cut_off.values()  # and faxes in transmission
        with serving(env, port):
            until(up, "the restarted server")

            def settled() -> bool:
                states = db.run_sync(lambda conn: _messages(conn, account_id))
                sending = db.run_sync(lambda conn: _faxes(conn, account_id))
                jobs = db.run_sync(lambda conn: _call_jobs(conn, account_id))
                ended = [*states.values(), *sending.values()]
                return all(s in ("completed", "failed") for s in ended) and all(
                    jobs[ref] == DONE for ref in before
                )

            until(
                settled,
                "every message, fax and interrupted call to end",
                lambda: (
                    db.run_sync(lambda conn: _messages(conn, account_id)),
                    db.run_sync(lambda conn: _faxes(conn, account_id)),
                    db.run_sync(lambda conn: _call_jobs(conn, account_id)),
                ),
            )
        states = db.run_sync(lambda conn: _messages(conn, account_id))
        assert set(states) == set(queued)
        assert [states[h] for h in queued] == ["completed"] * 6 + ["failed"]
        sent = db.run_sync(lambda conn: _faxes(conn, account_id))
        assert set(sent) == set(faxed)
        assert [sent[h] for h in faxed] == ["completed"] * 3 + ["failed"]
        recorded = db.run_sync(lambda conn: _recorded(conn, account_id))
        assert set(before) <= recorded  # each call in progress left its record
        assert set(faxed) <= recorded  # each fax is a call of the history
    finally:
        db.run_sync(lambda conn: switch_off(conn, account_id))
        db.run_sync(lambda conn: _restore(conn, quieted))
        db.close_sync()
