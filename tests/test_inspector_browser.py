"""The sandbox inspector in a real browser: Debian's Chromium, headless, driven by
Playwright, against a real server (uvicorn on 127.0.0.1, the network owner and the
outbox worker in it, the network sped up) and a real webhook receiver.

A screenshot of each state is kept under test-artifacts/inspector/ (ignored by git).
Without /usr/bin/chromium the tests are skipped, saying so (`.ci/run` installs it).
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from tests.conftest import _migrate, make_settings, own_database
from tests.receiver import Receiver, receiving
from xmlengine.app import create_app
from xmlengine.clock import SystemClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials, create_account
from xmlengine.domain.sandbox.lines import ensure_sandbox_lines
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "inspector"
SPEED = 10.0  # network seconds per real second: an answered call lasts about 8 s
ANSWERED = "5145557342"  # rings at 1 s, answered at 6 s, talks 72 s
WAIT_MS = 30_000

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # the test extra not installed
    sync_playwright = None  # type: ignore[assignment]

pytestmark = pytest.mark.skipif(
    sync_playwright is None or not CHROMIUM.exists(),
    reason="the inspector's browser tests need Chromium at /usr/bin/chromium "
    "(apt-get install -y chromium) and playwright (the test extra)",
)


@dataclasses.dataclass
class Server:
    url: str
    demo: Credentials  # with two sandbox DIDs; the first takes SMS and notifies the receiver
    other: Credentials  # another account, with lines of its own
    receiver: Receiver


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _account(db: Database, settings: Settings, name: str) -> Credentials:
    def make(conn: Any) -> Credentials:
        made = create_account(conn, username=name, email=f"{name}@example.com", now=time.time())
        acct = AccountScope.load(
            conn, made.client_account_id, clock=SystemClock(), settings=settings
        )
        ensure_sandbox_lines(acct, now=time.time())
        return made

    return db.run_sync(make)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("inspector")
    # A database of its own: this server's network owner takes every network job it sees.
    with own_database(directory) as url, receiving() as receiver:
        _migrate(url)
        settings = dataclasses.replace(
            make_settings(url, directory),
            embedded_worker=True,
            network_owner=True,
            network_speed=SPEED,
            webhook_allow_private=True,  # the receiver listens on 127.0.0.1
            webhook_timeout=5.0,
        )
        db = Database(url)
        demo = _account(db, settings, "inspector-demo")
        other = _account(db, settings, "inspector-other")
        db.close_sync()
        port = _free_port()
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=port,
            loop="asyncio",
            log_level="warning",
            timeout_graceful_shutdown=2,
        )
        running = uvicorn.Server(config)
        thread = threading.Thread(target=running.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not running.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running.started, "the server did not start"
        base = f"http://127.0.0.1:{port}"
        try:
            _configure_first_did(base, demo, receiver)
            yield Server(base, demo, other, receiver)
        finally:
            running.should_exit = True
            thread.join(30)


def _configure_first_did(base: str, demo: Credentials, receiver: Receiver) -> None:
    """SMS and call notifications on the first sandbox DID, as an integrator sets them."""
    auth = {"username": demo.username, "auth_token": demo.auth_token}
    with httpx.Client(base_url=base) as api:
        found = api.get("/api/v1.1/json/get_dids", params=auth).json()
        first = found["dids"]["did_details"][0]["client_did_id"]
        answer = api.post(
            "/api/v1.1/json/update_did",
            params=auth,
            data={
                "client_did_id": first,
                "options": "enable_recording,enable_sms,enable_notify_callback",
                "notify_callback_url": receiver.url("/did"),
                "notify_callback_triggers": "on_create,on_answer,on_hangup",
            },
        ).json()
        assert answer["response_details"]["response_status"] == "success", answer


@pytest.fixture(scope="module")
def browser(server: Server) -> Iterator[Browser]:
    """After the server: Playwright's loop runs in this thread until the browser closes,
    and the database's setup and teardown run loops of their own."""
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    expect.set_options(timeout=WAIT_MS)  # network time, the worker and one look a second
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, server: Server, credentials: Credentials) -> None:
    page.goto(f"{server.url}/sandbox/")
    page.fill("input[name=username]", credentials.username)
    page.fill("input[name=auth_token]", credentials.auth_token)
    page.click("button:has-text('Sign in')")
    expect(page.locator("header .who")).to_contain_text(credentials.username)
    expect(page.locator("#live")).to_have_text("live")  # the event stream is open


def place(page: Page, what: str, caller: str = ANSWERED) -> None:
    page.select_option("select[name=what]", what)
    page.select_option("select[name=client_did_id]", index=0)
    page.select_option("select[name=caller]", caller)
    page.click("button:has-text('Place now')")
    expect(page.locator(".notice")).to_have_text("Placed: it is on the network now.")
    expect(page.locator("#live")).to_have_text("live")


def test_sign_in_shows_the_account_and_the_network_speed(page: Page, server: Server) -> None:
    sign_in(page, server, server.demo)
    expect(page.locator("header .speed")).to_have_text("network speed ×10")
    expect(page.locator("select[name=client_did_id] option")).to_have_count(2)
    shot(page, "01-signed-in")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "01-signed-in-phone")


def test_a_wrong_token_is_refused(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/sandbox/")
    page.fill("input[name=username]", server.demo.username)
    page.fill("input[name=auth_token]", "0" * 32)
    page.click("button:has-text('Sign in')")
    expect(page.locator(".problem")).to_have_text("Wrong username or auth token.")
    assert page.context.cookies() == []
    shot(page, "02-wrong-token")


def test_a_placed_call_appears_live_and_ends_with_its_path(page: Page, server: Server) -> None:
    sign_in(page, server, server.demo)
    did_id = page.locator("select[name=client_did_id] option").first.get_attribute("value")
    place(page, "call")
    live = page.locator("#calls li.live", has_text=ANSWERED).first
    expect(live).to_be_visible()
    expect(live.locator(".badge")).to_have_text(["answered"])
    call_id = live.get_attribute("id")
    shot(page, "03-call-in-progress")
    ended = page.locator(f"#{call_id}.ended")
    expect(ended).to_be_visible()
    expect(ended.locator(".badge")).to_have_text("answered")
    expect(ended.locator(".path")).to_have_text(f"did:{did_id}")  # the record's bindings
    expect(ended).to_contain_text("72 s")
    shot(page, "04-call-ended")


def test_a_webhook_delivery_shows_and_is_redelivered(page: Page, server: Server) -> None:
    sign_in(page, server, server.demo)
    place(page, "call")
    delivered = page.locator("#deliveries li", has_text="on_create").first
    expect(delivered.locator(".badge")).to_have_text("delivered")
    expect(delivered).to_contain_text("1 attempt")
    delivered.locator("summary").click()
    expect(delivered.locator("pre.body")).to_contain_text('"trigger":"on_create"')
    expect(delivered).to_contain_text("X-XmlEngine-Delivery")
    expect(delivered).to_contain_text("HTTP 200")
    delivery_id = str(delivered.get_attribute("id"))
    shot(page, "05-delivery")
    before = len(server.receiver.at("/did"))
    page.locator(f"#{delivery_id} button:has-text('Redeliver')").click()
    expect(page.locator(".notice")).to_have_text("Sent again.")
    again = page.locator(f"#{delivery_id}")
    expect(again).to_contain_text("2 attempts")
    expect(again.locator(".badge")).to_have_text("delivered")
    assert server.receiver.wait_for("/did", before + 1, 10)
    shot(page, "06-redelivered")


def test_a_placed_sms_arrives(page: Page, server: Server) -> None:
    sign_in(page, server, server.demo)
    page.fill("input[name=text]", "Hello from a real browser")
    place(page, "sms")
    message = page.locator("#sms li", has_text="Hello from a real browser")
    expect(message.locator(".badge")).to_have_text("completed")
    expect(message).to_contain_text(f"{ANSWERED} → ")
    shot(page, "07-sms")


def test_another_account_sees_nothing_of_the_first(page: Page, server: Server) -> None:
    sign_in(page, server, server.demo)
    place(page, "call")
    expect(page.locator("#calls li").first).to_be_visible()
    page.click("button:has-text('Sign out')")
    expect(page.locator("input[name=auth_token]")).to_be_visible()
    sign_in(page, server, server.other)
    page.wait_for_timeout(2500)  # a few looks of the event stream
    for kind in ("calls", "sms", "faxes", "deliveries"):
        expect(page.locator(f"#{kind} li")).to_have_count(0)
    shot(page, "08-other-account")
