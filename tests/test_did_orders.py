"""order_new_dids: an order recorded now, answered by the sandbox an hour later."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from tests.conftest import Api, codes, status
from tests.scope_support import for_account
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain import did_orders, inventory
from xmlengine.domain.work_handlers import domain_handlers
from xmlengine.http.app import XmlEngineApp
from xmlengine.reference import nanp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.storage.did_tables import dids
from xmlengine.storage.inventory_tables import did_orders as orders
from xmlengine.storage.work_tables import outbox
from xmlengine.work.notifications import MailSender
from xmlengine.work.worker import Worker

MONTREAL = nanp.exchange("514286")
assert MONTREAL is not None
UNKNOWN_RATECENTER = next(n for n in range(100_000, 999_999) if nanp.ratecenter(n) is None)


@pytest.fixture(autouse=True)
def _empty_outbox(app: XmlEngineApp) -> None:
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))


def answer_orders(settings: Settings, clock: ManualClock) -> int:
    """Run a worker with the domain's handlers and the mail until nothing is due; the
    number of events handled."""

    async def scenario() -> int:
        db = Database(settings.db_url)
        try:
            handlers = {
                **domain_handlers(db, settings, clock),
                "email": MailSender(settings, clock),
            }
            return await Worker(db, handlers, clock).drain()
        finally:
            await db.close()

    return asyncio.run(scenario())


def order(api: Api, **params: str) -> str:
    answer = api.json("order_new_dids", **params)
    assert status(answer) == "success", codes(answer)
    assert answer["status"] == "pending"
    return str(answer["did_order_id"])


def the_order(app: XmlEngineApp, api: Api, order_id: str) -> Any:
    query = select(orders).where(orders.c.did_order_id == int(order_id))
    return for_account(
        app,
        api.credentials.client_account_id,
        lambda acct: acct.execute(acct.also(query, orders)).one(),
    )


def numbers_of_account(app: XmlEngineApp, api: Api) -> list[str]:
    return for_account(
        app,
        api.credentials.client_account_id,
        lambda acct: list(acct.execute(acct.select(dids, dids.c.phone_number)).scalars()),
    )


def mail_subjects(app: XmlEngineApp) -> list[str]:
    query = select(outbox.c.payload).where(outbox.c.kind == "email")
    payloads = app.deps.db.run_sync(lambda c: c.execute(query).scalars().all())
    return [orjson.loads(p)["subject"] for p in payloads]


def test_an_order_is_answered_an_hour_later_even_after_a_restart(
    app: XmlEngineApp, api: Api, settings: Settings, clock: ManualClock
) -> None:
    order_id = order(api, prefix="514286", quantity="3", comments="For the call centre")
    assert answer_orders(settings, clock) == 0  # not due yet
    assert numbers_of_account(app, api) == []
    clock.advance(did_orders.DELIVERY_SECONDS)
    restarted = create_app(settings, clock)  # the order lives in the database, not the process
    assert restarted is not app
    assert answer_orders(settings, clock) == 2  # the order, then its email
    row = the_order(app, api, order_id)
    assert (row.status, row.comments) == ("completed", "For the call centre")
    delivered = row.numbers.split(",")
    assert len(delivered) == 3 and all(n.startswith("514286") for n in delivered)
    assert sorted(numbers_of_account(app, api)) == sorted(delivered)
    offered = {n.phone_number for n in inventory.numbers_of(MONTREAL)}
    assert not offered & set(delivered)  # ordered numbers are not the inventory's
    assert mail_subjects(app) == [f"Your order {order_id} of new DIDs is completed"]


def test_network_speed_shortens_the_wait(
    app: XmlEngineApp, api: Api, settings: Settings, clock: ManualClock
) -> None:
    fast = dataclasses.replace(settings, network_speed=3600.0)
    one = did_orders.Order("514286", None, "local", 1, "prefix_only", "random", (), "1-2", "")
    account_id = api.credentials.client_account_id
    app.deps.db.run_sync(
        lambda conn: did_orders.place(
            AccountScope.load(conn, account_id, clock=clock, settings=fast), one
        )
    )
    clock.advance(1.0)  # an hour of network time
    assert answer_orders(settings, clock) == 2
    assert len(numbers_of_account(app, api)) == 1


def test_sequential_numbers_follow_each_other(
    app: XmlEngineApp, api: Api, settings: Settings, clock: ManualClock
) -> None:
    order_id = order(api, prefix="514286", quantity="5", sequential="sequential")
    clock.advance(did_orders.DELIVERY_SECONDS)
    answer_orders(settings, clock)
    lines = [int(n[-4:]) for n in the_order(app, api, order_id).numbers.split(",")]
    assert len(lines) == 5 and lines == sorted(lines) and lines[-1] - lines[0] < 30


def test_a_ratecenter_order_and_the_spill_over_to_its_other_exchanges(
    app: XmlEngineApp, api: Api, settings: Settings, clock: ManualClock
) -> None:
    rid = str(MONTREAL.ratecenter.ratecenter_id)
    by_center = order(api, ratecenter_id=rid, quantity="2")
    spilled = order(api, prefix="514286", quantity="150")
    only = order(api, prefix="514286", quantity="150", prefix_preference="prefix_only")
    clock.advance(did_orders.DELIVERY_SECONDS)
    assert answer_orders(settings, clock) == 6
    montreal = {e.prefix for e in nanp.exchanges(ratecenter_id=int(rid))}
    two = the_order(app, api, by_center).numbers.split(",")
    assert len(two) == 2 and {n[:6] for n in two} <= montreal
    many = the_order(app, api, spilled).numbers.split(",")
    assert len(many) == 150 and len({n[:6] for n in many}) > 1 and {n[:6] for n in many} <= montreal
    failed = the_order(app, api, only)
    assert (failed.status, failed.numbers) == ("failed", "")
    assert "cannot give 150 numbers" in failed.failure
    subjects = mail_subjects(app)
    assert f"Your order {only} of new DIDs could not be completed" in subjects
    assert len(numbers_of_account(app, api)) == 152


def test_international_orders(
    app: XmlEngineApp, api: Api, settings: Settings, clock: ManualClock
) -> None:
    london = order(api, prefix="4420", type="international", quantity="3")
    paris = order(api, prefix="331", type="international", quantity="2", sequential="sequential")
    too_long = order(api, prefix="4420123456789", type="international", quantity="1")
    clock.advance(did_orders.DELIVERY_SECONDS)
    answer_orders(settings, clock)
    three = the_order(app, api, london).numbers.split(",")
    assert len(three) == 3 and all(n.startswith("4420") and len(n) == 12 for n in three)
    two = [int(n) for n in the_order(app, api, paris).numbers.split(",")]
    assert len(two) == 2 and two[1] == two[0] + 1
    assert the_order(app, api, too_long).status == "failed"
    listed = api.json("get_dids", type="international")["dids"]["did_details"]
    assert sorted(d["phone_number"] for d in listed) == sorted([*three, *map(str, two)])
    assert {d["country_id"] for d in listed} == {"222", "73"} or len(listed) == 5


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"prefix": "514111", "quantity": "1"}, ["prefix_not_found"]),
        ({"prefix": "999", "type": "international", "quantity": "1"}, ["prefix_not_found"]),
        ({"ratecenter_id": str(UNKNOWN_RATECENTER), "quantity": "1"}, ["ratecenter_id_not_found"]),
        ({"prefix": "514286", "quantity": "0"}, ["quantity_invalid"]),
        ({"prefix": "514286"}, ["quantity_required"]),
        ({"quantity": "1"}, ["prefix_required"]),
    ],
)
def test_refused_orders(api: Api, params: dict[str, str], expected: list[str]) -> None:
    assert codes(api.json("order_new_dids", **params)) == expected
    assert codes(api.xml("order_new_dids", **params)) == expected
