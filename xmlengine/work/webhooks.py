"""Webhooks: queued in the caller's transaction, delivered by the worker (docs/webhooks.md).

A delivery is one event to one account's `callback_url` (and `backup_url`): its body is
fixed when it is queued, its id never changes — not across retries, not on the backup
URL, not when it is sent again on request — so receivers can drop duplicates. Each
round tries `callback_url`, then `backup_url` when the first fails; a failed round is
tried again after an exponential, jittered back-off, up to the configured limit. Every
HTTP attempt is kept in the delivery log.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import httpx
import orjson
from sqlalchemy import Connection, bindparam, select

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.prepared import Prepared, inserting, updating
from xmlengine.storage.work_tables import (
    DONE,
    FAILED,
    PENDING,
    outbox,
    webhook_attempts,
    webhook_deliveries,
    webhook_secrets,
    webhook_sequences,
)
from xmlengine.work import outbox as queue
from xmlengine.work import post
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, GiveUp, Outcome, Retry, Rows, backoff
from xmlengine.work.signing import secret_of, sign

KIND = "webhook"
DELIVERED = "delivered"  # a delivery's status: pending, delivered or failed

# The headers every delivery carries (docs/webhooks.md).
H_DELIVERY = "X-XmlEngine-Delivery"
H_SEQUENCE = "X-XmlEngine-Sequence"
H_OCCURRED_AT = "X-XmlEngine-Occurred-At"
H_TRIGGER = "X-XmlEngine-Trigger"
H_ATTEMPT = "X-XmlEngine-Attempt"
H_TIMESTAMP = "X-XmlEngine-Timestamp"
H_SIGNATURE = "X-XmlEngine-Signature"


def body_of(payload: Mapping[str, Any]) -> bytes:
    """A webhook body: JSON whose every value is a string, empty for none, like the API's
    answers (WIRE.md: `"client_did_id": "87289"`); nested objects and lists keep their
    shape with strings inside."""
    return orjson.dumps(_strings(payload))


def _strings(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Mapping):
        return {str(key): _strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_strings(item) for item in value]
    return str(value)


def next_sequence(acct: AccountScope, subject: str) -> int:
    """1, 2, 3, ... per subject (a call, a message), in the caller's transaction."""
    c = webhook_sequences.c
    statement = (
        acct.upsert(webhook_sequences)
        .values(subject=subject, last_sequence=1)
        .on_conflict_do_update(
            index_elements=[c.account_id, c.subject], set_={"last_sequence": c.last_sequence + 1}
        )
        .returning(c.last_sequence)
    )
    return int(acct.execute(statement).scalar_one())


def enqueue_webhook(
    acct: AccountScope,
    *,
    trigger: str,
    subject: str,
    payload: Mapping[str, Any],
    callback_url: str,
    backup_url: str = "",
    occurred_at: float,
    now: float,
    rounds: int | None = None,
) -> str:
    """Queue `payload` (posted as JSON) for `callback_url`; the delivery id. `rounds`: at
    most this many rounds (1: no retry), `XMLENGINE_WEBHOOK_RETRY_LIMIT` when None."""
    delivery_id = uuid.uuid4().hex
    event_id = queue.enqueue(
        acct.connection_for_work(),
        KIND,
        {"delivery_id": delivery_id, **({"rounds": rounds} if rounds else {})},
        now=now,
        account_id=acct.account_id,
    )
    acct.execute(
        acct.insert(webhook_deliveries).values(
            delivery_id=delivery_id,
            trigger=trigger,
            subject=subject,
            sequence=next_sequence(acct, subject),
            callback_url=callback_url,
            backup_url=backup_url or "",
            body=body_of(payload).decode(),
            occurred_at=occurred_at,
            status=PENDING,
            attempts=0,
            event_id=event_id,
            created_at=now,
        )
    )
    return delivery_id


def redeliver(acct: AccountScope, delivery_id: str) -> bool:
    """Send a delivery again, same id and body, from a fresh round count; False if unknown."""
    c = webhook_deliveries.c
    row = acct.execute(
        acct.select(webhook_deliveries, c.event_id).where(c.delivery_id == delivery_id)
    ).first()
    conn, account_id, now = acct.connection_for_work(), acct.account_id, acct.clock.now()
    if row is None:
        return False
    if row.event_id is not None:  # a pending send is replaced by this one
        conn.execute(
            outbox.update()
            .where(outbox.c.event_id == row.event_id, outbox.c.status == PENDING)
            .values(status=DONE, finished_at=now, last_error="superseded by a redelivery")
        )
    event_id = queue.enqueue(
        conn, KIND, {"delivery_id": delivery_id}, now=now, account_id=account_id
    )
    conn.execute(
        webhook_deliveries.update()
        .where(c.delivery_id == delivery_id)
        .values(status=PENDING, attempts=0, event_id=event_id, delivered_at=None)
    )
    return True


@dataclass(frozen=True, slots=True)
class _Delivery:
    delivery_id: str
    account_id: int
    trigger: str
    sequence: int
    callback_url: str
    backup_url: str
    body: bytes
    occurred_at: float
    attempts: int
    secret: str
    event_id: int


class WebhookSender:
    """The worker's handler of `webhook` events."""

    def __init__(
        self, settings: Settings, clock: Clock, http: httpx.AsyncClient | None = None
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.http = http or post.client(
            settings.webhook_timeout, allow_private=settings.webhook_allow_private
        )

    async def close(self) -> None:
        await self.http.aclose()

    def load(self, conn: Connection, events: list[Event]) -> list[Event]:
        """Each event with its delivery (None: superseded by a redelivery, or gone)."""
        wanted = list({str(event.payload.get("delivery_id", "")) for event in events})
        known: dict[int, str] = {}
        found: dict[tuple[str, int | None], _Delivery] = {}
        for row in _LOAD.rows(conn, {"d_ids": wanted}):
            delivery_id, account_id, trigger, sequence, callback_url, backup_url, body = row[:7]
            occurred_at, attempts, event_id, status, secret = row[7:]
            if status != PENDING:
                continue
            secret = secret or known.get(account_id)
            if secret is None:  # the account's first delivery
                secret = secret_of(conn, account_id, now=self.clock.now())
            known[account_id] = secret
            found[delivery_id, event_id] = _Delivery(
                delivery_id,
                account_id,
                trigger,
                sequence,
                callback_url,
                backup_url,
                body.encode(),
                occurred_at,
                attempts,
                secret,
                event_id,
            )
        return [
            replace(
                event, loaded=found.get((str(event.payload.get("delivery_id")), event.event_id))
            )
            for event in events
        ]

    async def __call__(self, event: Event) -> Outcome:
        delivery = event.loaded  # see `load`, run by the worker with the claim
        if not isinstance(delivery, _Delivery):
            return Done()
        round_ = delivery.attempts + 1
        attempts: list[post.Attempt] = []
        for url in filter(None, (delivery.callback_url, delivery.backup_url)):
            attempt = await post.post(
                self.http,
                url,
                delivery.body,
                self._headers(delivery, round_),
                started_at=self.clock.now(),
            )
            attempts.append(attempt)
            if attempt.ok:
                break
        now = self.clock.now()
        log = partial(_saved, delivery, attempts, round_, now=now)
        if attempts[-1].ok:
            return Done(record=log(DELIVERED))
        if round_ >= int(event.payload.get("rounds") or self.settings.webhook_retry_limit):
            return GiveUp(_summary(attempts[-1]), record=log(FAILED))
        delay = backoff(
            round_, self.settings.webhook_backoff_base, self.settings.webhook_backoff_max
        )
        return Retry(now + delay, _summary(attempts[-1]), record=log(PENDING))

    def _headers(self, delivery: _Delivery, round_: int) -> dict[str, str]:
        timestamp = int(self.clock.now())
        return {
            H_DELIVERY: delivery.delivery_id,
            H_SEQUENCE: str(delivery.sequence),
            H_OCCURRED_AT: f"{delivery.occurred_at:.3f}",
            H_TRIGGER: delivery.trigger,
            H_ATTEMPT: str(round_),
            H_TIMESTAMP: str(timestamp),
            H_SIGNATURE: sign(delivery.secret, timestamp, delivery.delivery_id, delivery.body),
        }


def _summary(attempt: post.Attempt) -> str:
    return attempt.error or f"HTTP {attempt.http_status}"


def _saved(
    delivery: _Delivery, attempts: list[post.Attempt], round_: int, status: str, *, now: float
) -> Rows:
    """The round's log: its attempts and the delivery's new state (the worker writes them
    with those of the other deliveries that finished with it)."""
    tried = [
        {
            "delivery_id": delivery.delivery_id,
            "account_id": delivery.account_id,
            "url": a.url,
            "http_status": a.http_status,
            "error": a.error[:255],
            "started_at": a.started_at,
            "duration_ms": a.duration_ms,
            "response_excerpt": a.excerpt,
        }
        for a in attempts
    ]
    state = {
        "delivery_id": delivery.delivery_id,
        "event_id": delivery.event_id,  # not superseded meanwhile
        "status": status,
        "attempts": round_,
        "delivered_at": now if status == DELIVERED else None,
    }
    return Rows(((_SAVE_ATTEMPT, tried), (_SAVE_DELIVERY, [state])))


_D = webhook_deliveries.c
_LOAD = Prepared(  # the deliveries of the events of a claim, with their secrets
    select(
        _D.delivery_id,
        _D.account_id,
        _D.trigger,
        _D.sequence,
        _D.callback_url,
        _D.backup_url,
        _D.body,
        _D.occurred_at,
        _D.attempts,
        _D.event_id,
        _D.status,
        webhook_secrets.c.secret,
    )
    .outerjoin(webhook_secrets, webhook_secrets.c.account_id == _D.account_id)
    .where(_D.delivery_id.in_(bindparam("d_ids", expanding=True)))
)
_SAVE_ATTEMPT = inserting(  # the rows of these columns, whatever a run's parameters
    webhook_attempts, (c.name for c in webhook_attempts.c if not c.primary_key)
)
_SAVE_DELIVERY = updating(  # the statement of every delivery's every round
    webhook_deliveries,
    keys=("delivery_id", "event_id"),
    names=("status", "attempts", "delivered_at"),
)
