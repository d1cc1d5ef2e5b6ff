"""The sandbox inspector over HTTP (without a browser): signing in, the session cookie,
CSRF, isolation between accounts, placing traffic through the network owner and the live
reads (domain/inspector). tests/test_inspector_browser.py drives the page in Chromium."""

from __future__ import annotations

import re
import time

import httpx
from sqlalchemy import Connection
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.fax_support import fax_profile
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.sms_support import did_ids
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials, rotate_token
from xmlengine.domain.inspector import live
from xmlengine.domain.sandbox.lines import ensure_sandbox_lines
from xmlengine.http.app import XmlEngineApp
from xmlengine.http.inspector.session import COOKIE
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.network_tables import network_jobs
from xmlengine.work.webhooks import enqueue_webhook

BASE = "http://api.example.test"
ANSWERED = "5145557342"  # a plain caller: answered after 6 s, talks 72 s


def sign_in(client: TestClient, credentials: Credentials) -> httpx.Response:
    return client.post(
        "/sandbox/sign-in",
        data={"username": credentials.username, "auth_token": credentials.auth_token},
        follow_redirects=False,
    )


def csrf_of(client: TestClient) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', client.get("/sandbox/").text)
    assert match is not None
    return match[1]


def with_lines(app: XmlEngineApp, credentials: Credentials, clock: ManualClock) -> None:
    app.deps.db.run_sync(
        lambda conn: ensure_sandbox_lines(
            AccountScope.load(
                conn, credentials.client_account_id, clock=clock, settings=app.deps.settings
            ),
            now=clock.now(),
        )
    )


def test_signing_in_sets_a_signed_http_only_same_site_cookie(
    client: TestClient, account: Credentials
) -> None:
    assert "Sign in with your API username" in client.get("/sandbox/").text
    answer = sign_in(client, account)
    assert answer.status_code == 303 and answer.headers["location"] == "/sandbox/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/sandbox/" in cookie
    assert account.auth_token not in cookie
    page = client.get("/sandbox/")
    assert account.username in page.text and "Place inbound traffic" in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_a_wrong_token_is_refused(client: TestClient, account: Credentials) -> None:
    answer = client.post(
        "/sandbox/sign-in",
        data={"username": account.username, "auth_token": "0" * 32},
        follow_redirects=False,
    )
    assert answer.status_code == 401 and "Wrong username or auth token." in answer.text
    assert "set-cookie" not in answer.headers
    assert client.get("/sandbox/events").status_code == 401


def test_a_forged_or_tampered_cookie_is_no_session(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    sign_in(client, account)
    value = client.cookies[COOKIE]
    user_id, expires, mac = value.split(".")
    other = new_account(app)
    client.cookies.clear()
    for forged in (
        f"{other.client_user_id}.{expires}.{mac}",  # another user's id under this MAC
        f"{user_id}.{int(expires) + 3600}.{mac}",  # a longer life
        f"{user_id}.{int(time.time()) - 1}.{mac}",  # expired
        "garbage",
    ):
        cookie = {"cookie": f"{COOKIE}={forged}"}
        assert "Sign in with your API username" in client.get("/sandbox/", headers=cookie).text
        assert client.get("/sandbox/events", headers=cookie).status_code == 401
    genuine = {"cookie": f"{COOKIE}={value}"}
    assert "Sign out" in client.get("/sandbox/", headers=genuine).text


def test_rotating_the_token_signs_the_session_out(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    sign_in(client, account)
    assert "Sign out" in client.get("/sandbox/").text
    app.deps.db.run_sync(lambda conn: rotate_token(conn, account.username))
    assert "Sign in with your API username" in client.get("/sandbox/").text


def test_forms_need_the_csrf_token_and_this_origin(
    client: TestClient, account: Credentials
) -> None:
    sign_in(client, account)
    token = csrf_of(client)
    refused = client.post("/sandbox/sign-out", data={"csrf": "0" * 64}, follow_redirects=False)
    assert refused.status_code == 403
    elsewhere = client.post(
        "/sandbox/sign-out",
        data={"csrf": token},
        headers={"origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert elsewhere.status_code == 403
    assert "Sign out" in client.get("/sandbox/").text  # still signed in
    out = client.post(
        "/sandbox/sign-out", data={"csrf": token}, headers={"origin": BASE}, follow_redirects=False
    )
    assert out.status_code == 303
    assert "Sign in with your API username" in client.get("/sandbox/").text


def test_placing_refuses_what_the_did_cannot_take(
    app: XmlEngineApp, client: TestClient, account: Credentials, clock: ManualClock
) -> None:
    with_lines(app, account, clock)
    sign_in(client, account)
    token = csrf_of(client)
    did = re.search(r'<option value="(\d+)">5145550150', client.get("/sandbox/").text)
    assert did is not None
    no_sms = Api(client, account).json(
        "update_did", client_did_id=did[1], preserve_missing_data="1", options="enable_recording"
    )
    assert status(no_sms) == "success", codes(no_sms)  # the demo DIDs take SMS until told
    for fields, problem in (
        ({"what": "sms"}, "does not receive SMS"),
        ({"what": "fax"}, "does not receive faxes"),
        ({"what": "call", "caller": "123"}, "ten digits"),
        ({"what": "call", "client_did_id": "999999"}, "one of your enabled DIDs"),
        ({"what": "telegram"}, "a call, an SMS or a fax"),
    ):
        form = {"csrf": token, "client_did_id": did[1], "caller": ANSWERED, **fields}
        answer = client.post("/sandbox/place", data=form)
        assert answer.status_code == 400 and problem in answer.text


def test_another_account_sees_nothing_and_cannot_redeliver(
    app: XmlEngineApp, client: TestClient, account: Credentials, clock: ManualClock
) -> None:
    settings = app.deps.settings

    def delivery(conn: object) -> str:
        acct = AccountScope.load(
            conn,  # type: ignore[arg-type]
            account.client_account_id,
            clock=clock,
            settings=settings,
        )
        return enqueue_webhook(
            acct,
            trigger="sms_received",
            subject="sms:secret-of-a",
            payload={"message": "only for A"},
            callback_url="https://a.example/hook",
            occurred_at=clock.now(),
            now=clock.now(),
        )

    delivery_id = app.deps.db.run_sync(delivery)
    sign_in(client, account)
    assert delivery_id in client.get("/sandbox/").text
    other = new_account(app)
    client.cookies.clear()  # the other account, in the same browser
    sign_in(client, other)
    page = client.get("/sandbox/").text
    assert other.username in page
    assert delivery_id not in page and "only for A" not in page
    refused = client.post(
        "/sandbox/redeliver", data={"csrf": csrf_of(client), "delivery_id": delivery_id}
    )
    assert refused.status_code == 404
    client.cookies.clear()
    sign_in(client, account)
    mine = client.post(
        "/sandbox/redeliver",
        data={"csrf": csrf_of(client), "delivery_id": delivery_id},
        follow_redirects=False,
    )
    assert mine.status_code == 303 and mine.headers["location"] == "/sandbox/?done=redelivered"


def test_a_placed_call_goes_through_the_network_owner_and_is_read_live(
    settings: Settings, clock: ManualClock
) -> None:
    config = traffic_settings(settings, sandbox_traffic_per_hour=0)
    app = create_app(config, clock)
    with TestClient(app, base_url=BASE) as client:
        credentials, other = new_account(app), new_account(app)

        async def scenario() -> None:
            async with sandbox(config, clock, credentials.client_account_id) as net:
                found, cursor = await net.for_account(live.first_look)
                assert not found
                sign_in(client, credentials)
                token = csrf_of(client)
                did = re.search(r'<option value="(\d+)">5145550150', client.get("/sandbox/").text)
                assert did is not None
                placed = client.post(
                    "/sandbox/place",
                    data={
                        "csrf": token,
                        "what": "call",
                        "client_did_id": did[1],
                        "caller": ANSWERED,
                    },
                    follow_redirects=False,
                )
                assert placed.headers["location"] == "/sandbox/?done=placed"
                jobs = await net.run(
                    lambda conn: conn.execute(
                        network_jobs.select().where(network_jobs.c.kind == "placed")
                    ).all()
                )
                assert [(j.status, j.account_id) for j in jobs] == [
                    ("pending", credentials.client_account_id)
                ]

                async def changes() -> live.Changes:
                    return await net.for_account(lambda acct: live.changes(acct, cursor))

                await net.owner.take_due()  # the owner places it as generated traffic
                await net.owner.scheduler.advance(3)
                (ringing,) = (await changes()).calls
                assert (ringing.state, ringing.ended) == ("ringing", False)
                assert (ringing.source, ringing.destination) == (ANSWERED, "5145550150")
                assert not await changes()  # nothing new: nothing sent again
                await net.owner.scheduler.advance(5)
                assert [c.state for c in (await changes()).calls] == ["answered"]
                await net.owner.scheduler.advance(120)
                (ended,) = (await changes()).calls
                assert (ended.call_hash, ended.state, ended.ended) == (
                    ringing.call_hash,
                    "answered",
                    True,
                )
                assert (ended.duration, ended.bindings) == (72, f"did:{did[1]}")
                jobs = await net.run(
                    lambda conn: conn.execute(
                        network_jobs.select().where(network_jobs.c.kind == "placed")
                    ).all()
                )
                assert [j.status for j in jobs] == ["done"]
                # Another account's look shows none of it.
                theirs = await net.run(
                    lambda conn: live.first_look(
                        AccountScope.load(
                            conn, other.client_account_id, clock=clock, settings=config
                        )
                    )
                )
                assert not theirs[0]

        run(scenario)


def test_a_form_with_files_is_refused(client: TestClient, account: Credentials) -> None:
    answer = client.post(
        "/sandbox/sign-in",
        data={"username": account.username},
        files={"auth_token": ("token.txt", account.auth_token.encode())},
    )
    assert answer.status_code == 400 and "set-cookie" not in answer.headers


def test_a_placed_fax_is_received_and_read_live(settings: Settings, clock: ManualClock) -> None:
    config = traffic_settings(settings, sandbox_traffic_per_hour=0)
    app = create_app(config, clock)
    with TestClient(app, base_url=BASE) as client:
        credentials = new_account(app)
        api = Api(client, credentials)

        async def scenario() -> None:
            async with sandbox(config, clock, credentials.client_account_id) as net:
                did = did_ids(api)["5145550150"]
                profile = fax_profile(api)["client_fax_profile_id"]
                answer = api.json(
                    "update_did",
                    client_did_id=did,
                    client_fax_profile_id=profile,
                    options="enable_fax",
                )
                assert status(answer) == "success", codes(answer)
                _, cursor = await net.for_account(live.first_look)
                sign_in(client, credentials)
                form = {"csrf": csrf_of(client), "what": "fax", "client_did_id": str(did)}
                placed = client.post(
                    "/sandbox/place", data={**form, "caller": ANSWERED}, follow_redirects=False
                )
                assert placed.status_code == 303
                await net.owner.take_due()
                await net.owner.scheduler.advance(300)
                (fax,) = (await net.for_account(lambda acct: live.changes(acct, cursor))).faxes
                assert (fax.direction, fax.status, fax.source) == ("inbound", "completed", ANSWERED)
                assert fax.pages == 3  # the caller's last digit chooses: 1 + 2 % 3

        run(scenario)


def test_a_placed_job_its_owner_stopped_during_is_placed_again(
    settings: Settings, clock: ManualClock
) -> None:
    config = traffic_settings(settings, sandbox_traffic_per_hour=0)
    app = create_app(config, clock)
    with TestClient(app, base_url=BASE) as client:
        credentials = new_account(app)

        async def scenario() -> None:
            async with sandbox(config, clock, credentials.client_account_id) as net:
                sign_in(client, credentials)
                did = re.search(r'<option value="(\d+)">5145550150', client.get("/sandbox/").text)
                assert did is not None
                form = {"csrf": csrf_of(client), "what": "call", "client_did_id": did[1]}
                client.post("/sandbox/place", data={**form, "caller": ANSWERED})

                def taken_by_a_stopped_owner(conn: Connection) -> None:
                    conn.execute(
                        network_jobs.update()
                        .where(network_jobs.c.kind == "placed")
                        .values(status="started", owner="gone", alive_at=clock.now())
                    )

                await net.run(taken_by_a_stopped_owner)
                assert await net.owner.take_over() == 1
                await net.owner.take_due()
                await net.owner.scheduler.advance(120)
                found, _ = await net.for_account(live.first_look)
                assert [(c.source, c.state, c.ended) for c in found.calls] == [
                    (ANSWERED, "answered", True)
                ]

        run(scenario)
