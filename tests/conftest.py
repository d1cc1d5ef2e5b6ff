"""Tests talk to the real thing: the ASGI app over HTTP, a real database.

The database is SQLite in a temporary directory, or PostgreSQL when
XMLENGINE_TEST_DATABASE_URL is set (the CI runs both). Each test gets its own app (so
its own rate-limit counters and clock) and creates the accounts it needs.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from lxml import etree
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials, create_account
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.database import Database
from xmlengine.storage.migrate import upgrade

PG_URL = os.environ.get("XMLENGINE_TEST_DATABASE_URL", "")


@contextmanager
def own_database(directory: Path) -> Iterator[str]:
    """An empty database of the caller's own: SQLite in `directory`, or a new PostgreSQL
    database beside the configured one (so that several runs never share tables)."""
    if not PG_URL:
        yield f"sqlite:///{directory / 'xmlengine.db'}"
        return
    name = f"xmlengine_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This run's database, migrated."""
    with own_database(tmp_path_factory.mktemp("db")) as url:
        _migrate(url)
        yield url


def _migrate(url: str) -> None:
    db = Database(url)
    upgrade(db)
    db.close_sync()


async def _admin(statement: str) -> None:
    parsed = make_url(PG_URL)
    conn = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, tmp_path)


def make_settings(database_url: str, data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        auth_cache_seconds=0,
        access_log=False,
        embedded_worker=False,  # tests that need one start it; a stray one would race them
        sandbox_traffic_per_hour=0,  # likewise the sandbox network's generated calls
        network_owner=False,  # and the network itself: tests drive one on their clock
    )


@pytest.fixture
def clock() -> ManualClock:
    return mid_hour_clock()


def mid_hour_clock() -> ManualClock:
    # Mid-hour, so that a test's requests stay in one clock hour unless it moves the clock.
    now = time.time()
    return ManualClock(now - now % 3600 + 1800)


@pytest.fixture
def app(settings: Settings, clock: ManualClock) -> XmlEngineApp:
    return create_app(settings, clock)


@pytest.fixture
def client(app: XmlEngineApp) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://api.example.test") as test_client:
        yield test_client


def new_account(app: XmlEngineApp, **fields: Any) -> Credentials:
    username = fields.pop("username", None) or f"user-{uuid.uuid4().hex[:12]}"
    return app.deps.db.run_sync(
        lambda conn: create_account(
            conn, username=username, email=f"{username}@example.com", now=time.time(), **fields
        )
    )


@pytest.fixture
def account(app: XmlEngineApp) -> Credentials:
    return new_account(app)


class Api:
    """Calls request types as a client of the v1.1 URLs would, and reads the answers."""

    def __init__(self, client: TestClient, credentials: Credentials) -> None:
        self.client = client
        self.credentials = credentials

    def auth(self) -> dict[str, str]:
        return {"username": self.credentials.username, "auth_token": self.credentials.auth_token}

    def json(self, request_type: str, **params: Any) -> dict[str, Any]:
        response = self.client.get(
            f"/api/v1.1/json/{request_type}", params={**self.auth(), **params}
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        return response.json()  # type: ignore[no-any-return]

    def post(self, request_type: str, **params: Any) -> dict[str, Any]:
        response = self.client.post(
            f"/api/v1.1/json/{request_type}", params=self.auth(), data=params
        )
        assert response.status_code == 200
        return response.json()  # type: ignore[no-any-return]

    def xml(self, request_type: str, **params: Any) -> etree._Element:
        response = self.client.get(
            f"/api/v1.1/xml/{request_type}", params={**self.auth(), **params}
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/xml; charset=utf-8"
        return parse_xml(response.content)


def parse_xml(body: bytes) -> etree._Element:
    """A real parser: every answer must be well-formed XML."""
    return etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))


def codes(answer: dict[str, Any] | etree._Element) -> list[str]:
    """The message codes of an answer, JSON or XML."""
    if isinstance(answer, dict):
        return [m["code"] for m in answer["response_details"]["response_messages"]["message"]]
    return [m.get("code") for m in answer.iterfind("response_details/response_messages/message")]


def status(answer: dict[str, Any] | etree._Element) -> str:
    if isinstance(answer, dict):
        return str(answer["response_details"]["response_status"])
    return str(answer.findtext("response_details/response_status"))


@pytest.fixture
def api(client: TestClient, account: Credentials) -> Api:
    return Api(client, account)
