"""Exports in tests: call records seeded in bulk, the worker of `serve`, the answers read."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import Api, codes, status
from xmlengine.domain.work_handlers import domain_handlers
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.call_tables import calls
from xmlengine.work import file_removal
from xmlengine.work.file_removal import FileRemover
from xmlengine.work.webhooks import KIND as WEBHOOK
from xmlengine.work.webhooks import WebhookSender
from xmlengine.work.worker import Worker

DIRECTIONS = ("outbound", "inbound")
DISPOSITIONS = ("answered", "no_answer", "busy", "failed")


def seed_calls(
    app: XmlEngineApp,
    account_id: int,
    count: int,
    *,
    start: float,
    step: float = 60.0,
    **fixed: Any,
) -> None:
    """`count` call records, one every `step` seconds from `start`, in one bulk insert:
    the columns a logged call has (rated, placed), without rating each one."""
    rows = [
        {
            "account_id": account_id,
            "call_hash": uuid.uuid4().hex,
            "started_at": start + k * step,
            "direction": DIRECTIONS[k % 2],
            "source": "4385550100" if k % 2 == 0 else f"514286{k % 10000:04d}",
            "destination": f"514286{k % 10000:04d}" if k % 2 == 0 else "4385550100",
            "country_id": 38,
            "state_id": 11,
            "district": "Montréal",
            "normalized": f"1514286{k % 10000:04d}",
            "duration": k % 900,
            "billed_duration": (k % 900 + 59) // 60 * 60,
            "callerid_name": f'Caller "{k % 50}", desk',  # quotes and a comma for the CSV
            "callerid_number": "4385550100",
            "disposition": DISPOSITIONS[k % 4],
            "routing_type": "pstn",
            "billed_amount": (k % 900) / 60 * 0.0095,
            "current_rate": 0.0095,
            "monthly_usage": k * 0.001,
            **fixed,
        }
        for k in range(count)
    ]
    app.deps.db.run_sync(lambda conn: conn.execute(calls.insert(), rows))


def worker(app: XmlEngineApp) -> Worker:
    """The background work of `serve` on the app's database and clock."""
    settings, db, clock = app.deps.settings, app.deps.db, app.deps.limits.clock
    return Worker(
        db,
        {
            **domain_handlers(db, settings, clock),
            file_removal.KIND: FileRemover(settings, clock),
            WEBHOOK: WebhookSender(settings, clock),
        },
        clock,
    )


def drain(app: XmlEngineApp, client: TestClient) -> None:
    client.portal.call(worker(app).drain)


def queue(api: Api, **params: str) -> dict[str, Any]:
    answer = api.json("queue_export", **params)
    assert status(answer) == "success", codes(answer)
    return answer  # type: ignore[no-any-return]


def export(api: Api, export_id: str) -> dict[str, Any]:
    answer = api.json("get_exports", export_id=export_id)
    assert status(answer) == "success", codes(answer)
    found: dict[str, Any] = answer["exports"]["export_details"][0]
    return found


def download(client: TestClient, api: Api, url: str) -> Any:
    return client.get(url.removeprefix(str(client.base_url)), params=api.auth())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
