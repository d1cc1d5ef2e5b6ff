"""Extensions beyond the guide: the webhook delivery log, redelivery, the signing secret.

See docs/webhooks.md. Each is marked as an extension in `get_request_types`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Row

from xmlengine.params.date_ranges import date_range
from xmlengine.params.paging import paging
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Hex, Text, choice
from xmlengine.protocol.errors import fail
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, Many, listing, record
from xmlengine.storage.account_scope import AccountScope, zone
from xmlengine.storage.work_tables import webhook_attempts, webhook_deliveries
from xmlengine.work.signing import rotate_secret, signing_secret
from xmlengine.work.webhooks import redeliver

family = Family("webhooks")

STATUSES = ("pending", "delivered", "failed")


@family.request_type(
    "get_webhook_deliveries",
    summary="Get the webhook deliveries of the account, each with every attempt made.",
    extension=True,
)
class GetWebhookDeliveries(Params):
    delivery_id: str | None = p(Hex(length=32))
    status: str | None = p(choice(*STATUSES))
    trigger: str | None = p(Text(max_len=32, pattern=r"[a-z_]+"))
    date_from, date_to = date_range(months=12)
    limit, offset = paging(default=50, maximum=500, offset_default=0)


@family.handler(GetWebhookDeliveries)
def get_webhook_deliveries(args: GetWebhookDeliveries, acct: AccountScope) -> Reply:
    c = webhook_deliveries.c
    query = acct.select(webhook_deliveries)
    if args.delivery_id is not None:
        query = query.where(c.delivery_id == args.delivery_id)
    if args.status is not None:
        query = query.where(c.status == args.status)
    if args.trigger is not None:
        query = query.where(c.trigger == args.trigger)
    if args.date_from is not None:
        query = query.where(c.created_at >= _day_start(acct, args.date_from))
    if args.date_to is not None:
        query = query.where(c.created_at < _day_start(acct, args.date_to + dt.timedelta(days=1)))
    rows = acct.conn.execute(
        query.order_by(c.created_at.desc(), c.delivery_id).limit(args.limit).offset(args.offset)
    ).all()
    attempts = _attempts(acct, [row.delivery_id for row in rows])
    items = [_delivery(acct, row, attempts[row.delivery_id]) for row in rows]
    return Reply(
        [
            listing(
                "webhook_deliveries",
                "webhook_delivery_details",
                items,
                result_count=len(items),
                limit=args.limit,
                offset=args.offset,
            )
        ]
    )


@family.request_type(
    "redeliver_webhook",
    summary="Send a webhook delivery again (same delivery id and body).",
    extension=True,
)
class RedeliverWebhook(Params):
    delivery_id: str = p(Hex(length=32), required=True)


@family.handler(RedeliverWebhook)
def redeliver_webhook(args: RedeliverWebhook, acct: AccountScope) -> Reply:
    if not redeliver(acct.conn, acct.account_id, args.delivery_id, now=acct.clock.now()):
        raise fail("delivery_id_not_found")
    row = acct.conn.execute(
        acct.select(webhook_deliveries).where(webhook_deliveries.c.delivery_id == args.delivery_id)
    ).one()
    item = _delivery(acct, row, _attempts(acct, [args.delivery_id])[args.delivery_id])
    return Reply([listing("webhook_deliveries", "webhook_delivery_details", [item])])


@family.request_type(
    "get_webhook_signing_secret",
    summary="Get (or rotate) the secret webhook signatures are made with.",
    extension=True,
)
class GetWebhookSigningSecret(Params):
    rotate: bool = p(Bool(), default=False)


@family.handler(GetWebhookSigningSecret)
def get_webhook_signing_secret(args: GetWebhookSigningSecret, acct: AccountScope) -> Reply:
    now = acct.clock.now()
    if args.rotate:
        secret = rotate_secret(acct.conn, acct.account_id, now=now)
    else:
        secret = signing_secret(acct.conn, acct.account_id, now=now)
    return Reply([El("signing_secret", secret), El("signature_scheme", "v1 HMAC-SHA256")])


def _day_start(acct: AccountScope, day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(), zone(acct.account.time_zone)).timestamp()


def _when(acct: AccountScope, epoch: float | None) -> str:
    return acct.datetime_text(epoch)


def _attempts(acct: AccountScope, delivery_ids: list[str]) -> dict[str, list[El]]:
    found: dict[str, list[El]] = defaultdict(list)
    if not delivery_ids:
        return found
    a = webhook_attempts.c
    rows = acct.conn.execute(
        acct.select(webhook_attempts).where(a.delivery_id.in_(delivery_ids)).order_by(a.attempt_id)
    ).all()
    for row in rows:
        found[row.delivery_id].append(
            record(
                "attempt_details",
                {
                    "url": row.url,
                    "http_status": row.http_status,
                    "error": row.error,
                    "datetime": _when(acct, row.started_at),
                    "duration_ms": row.duration_ms,
                    "response_excerpt": row.response_excerpt,
                },
            )
        )
    return found


def _delivery(acct: AccountScope, row: Row[Any], attempts: list[El]) -> El:
    return record(
        "webhook_delivery_details",
        {
            "delivery_id": row.delivery_id,
            "trigger": row.trigger,
            "subject": row.subject,
            "sequence": row.sequence,
            "callback_url": row.callback_url,
            "backup_url": row.backup_url,
            "status": row.status,
            "rounds": row.attempts,
            "datetime_occurred": _when(acct, row.occurred_at),
            "datetime_queued": _when(acct, row.created_at),
            "datetime_delivered": _when(acct, row.delivered_at),
            "body": row.body,
            "attempts": El("attempts", children=[Many("attempt_details", attempts)]),
        },
    )
