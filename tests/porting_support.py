"""What the port request tests share: ports ready to send, the background work of `serve`
on the test's clock, the rows and mail a port leaves behind."""

from __future__ import annotations

import datetime as dt
import mailbox
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from starlette.testclient import TestClient

from tests.conftest import Api, codes, status
from xmlengine.clock import ManualClock
from xmlengine.domain.work_handlers import domain_handlers
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.did_tables import dids
from xmlengine.storage.work_tables import PENDING, outbox
from xmlengine.work import file_removal, notifications
from xmlengine.work.file_removal import FileRemover
from xmlengine.work.notifications import MAIL_LOG, MailSender
from xmlengine.work.worker import Worker

ZONE = ZoneInfo("America/Montreal")  # the accounts' zone in the tests
NUMBERS = "5145550100,5145550101"

READY = {
    "phone_number_type": "local",
    "capacity": "1-2",
    "organization": "Café Émile",
    "organization_type": "business",
    "current_provider": "Bell",
    "civic_number": "100",
    "street": "Rue Saint-Denis",
    "city": "Montréal",
    "country_id": "38",
    "state_id": "11",
    "postal_code": "h2x 1y4",
}


def user_id(api: Api) -> str:
    return str(api.credentials.client_user_id)


def create(api: Api, **fields: str) -> dict[str, Any]:
    answer = api.json("update_port_request", mode="create", **fields)
    assert status(answer) == "success", codes(answer)
    return answer["port_requests"]["port_request_details"][0]  # type: ignore[no-any-return]


def ready(api: Api, numbers: str = NUMBERS, **fields: str) -> dict[str, Any]:
    values = {**READY, "notification_client_user_id": user_id(api), "phone_numbers": numbers}
    return create(api, send_to_staff="1", **{**values, **fields})


def port(api: Api, port_request_id: str) -> dict[str, Any]:
    answer = api.json("get_port_requests", port_request_id=port_request_id)
    assert status(answer) == "success", codes(answer)
    return answer["port_requests"]["port_request_details"][0]  # type: ignore[no-any-return]


def worker(app: XmlEngineApp) -> Worker:
    """The background work of `serve`: the sandbox's steps, mail, file removal."""
    settings, db, clock = app.deps.settings, app.deps.db, app.deps.limits.clock
    return Worker(
        db,
        {
            **domain_handlers(db, settings, clock),
            notifications.KIND: MailSender(settings, clock),
            file_removal.KIND: FileRemover(settings, clock),
        },
        clock,
    )


def next_due(app: XmlEngineApp) -> float | None:
    c = outbox.c
    query = select(func.min(c.available_at)).where(
        c.status == PENDING, c.kind == "port_request_step"
    )
    return app.deps.db.run_sync(lambda conn: conn.execute(query).scalar())  # type: ignore[no-any-return]


def play(app: XmlEngineApp, client: TestClient, clock: ManualClock, steps: int = 10) -> None:
    """Move the clock to each step the sandbox has due and run it, `steps` at most."""
    for _ in range(steps):
        due = next_due(app)
        if due is None:
            break
        clock.advance(max(0.0, due - clock.now()))
        client.portal.call(worker(app).drain)
    client.portal.call(worker(app).drain)  # the last step's mail


def account_dids(app: XmlEngineApp, api: Api) -> dict[str, int]:
    account_id = api.credentials.client_account_id
    query = select(dids.c.phone_number, dids.c.client_did_id).where(dids.c.account_id == account_id)
    return dict(app.deps.db.run_sync(lambda conn: conn.execute(query).all()))


def mails(app: XmlEngineApp) -> list[Any]:
    log = mailbox.mbox(app.deps.settings.data_dir / MAIL_LOG)
    try:
        return list(log)
    finally:
        log.close()


def business_days(start: dt.date, count: int) -> dt.date:
    day = start
    while count:
        day += dt.timedelta(days=1)
        if day.isoweekday() <= 5:
            count -= 1
    return day


def local_today(clock: ManualClock) -> dt.date:
    return dt.datetime.fromtimestamp(clock.now(), ZONE).date()
