"""Extensions beyond the guide: the webhook delivery log, redelivery, the signing secret.

See docs/webhooks.md. Each is marked as an extension in `get_request_types`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Row

from xmlengine.domain.local_days import day_end, day_start
from xmlengine.params.date_ranges import date_range
from xmlengine.params.paging import paging
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Hex, Text, choice
from xmlengine.protocol.errors import fail
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, Many, Record, listing, record
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
def get_webhook_deliveries(
    args: GetWebhookDeliveries, acct: AccountScope, show: Presentation
) -> Reply:
    c = webhook_deliveries.c
    query = acct.select(webhook_deliveries)
    if args.delivery_id is not None:
        query = query.where(c.delivery_id == args.delivery_id)
    if args.status is not None:
        query = query.where(c.status == args.status)
    if args.trigger is not None:
        query = query.where(c.trigger == args.trigger)
    tz = zone(acct.account.time_zone)
    if args.date_from is not None:
        query = query.where(c.created_at >= day_start(args.date_from, tz))
    if args.date_to is not None:
        query = query.where(c.created_at < day_end(args.date_to, tz))
    rows = acct.execute(
        query.order_by(c.created_at.desc(), c.delivery_id).limit(args.limit).offset(args.offset)
    ).all()
    attempts = _attempts(acct, show, [row.delivery_id for row in rows])
    items = [_delivery(show, row, attempts[row.delivery_id]) for row in rows]
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
    answers=("delivery_id_not_found",),
)
class RedeliverWebhook(Params):
    delivery_id: str = p(Hex(length=32), required=True)


@family.handler(RedeliverWebhook)
def redeliver_webhook(args: RedeliverWebhook, acct: AccountScope, show: Presentation) -> Reply:
    if not redeliver(acct, args.delivery_id):
        raise fail("delivery_id_not_found")
    row = acct.execute(
        acct.select(webhook_deliveries).where(webhook_deliveries.c.delivery_id == args.delivery_id)
    ).one()
    item = _delivery(show, row, _attempts(acct, show, [args.delivery_id])[args.delivery_id])
    return Reply([listing("webhook_deliveries", "webhook_delivery_details", [item])])


@family.request_type(
    "get_webhook_signing_secret",
    summary="Get (or rotate) the secret webhook signatures are made with.",
    extension=True,
    reads_only=False,  # the first asks for makes it; `rotate` makes another
)
class GetWebhookSigningSecret(Params):
    rotate: bool = p(Bool(), default=False)


@family.handler(GetWebhookSigningSecret)
def get_webhook_signing_secret(
    args: GetWebhookSigningSecret, acct: AccountScope, show: Presentation
) -> Reply:
    secret = rotate_secret(acct) if args.rotate else signing_secret(acct)
    return Reply([El("signing_secret", secret), El("signature_scheme", "v1 HMAC-SHA256")])


def _when(show: Presentation, epoch: float | None) -> str:
    return show.datetime_text(epoch)


def _attempts(
    acct: AccountScope, show: Presentation, delivery_ids: list[str]
) -> dict[str, list[Record]]:
    found: dict[str, list[Record]] = defaultdict(list)
    if not delivery_ids:
        return found
    a = webhook_attempts.c
    rows = acct.execute(
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
                    "datetime": _when(show, row.started_at),
                    "duration_ms": row.duration_ms,
                    "response_excerpt": row.response_excerpt,
                },
            )
        )
    return found


def _delivery(show: Presentation, row: Row[Any], attempts: list[Record]) -> Record:
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
            "datetime_occurred": _when(show, row.occurred_at),
            "datetime_queued": _when(show, row.created_at),
            "datetime_delivered": _when(show, row.delivered_at),
            "body": row.body,
            "attempts": El("attempts", children=[Many("attempt_details", attempts)]),
        },
    )
