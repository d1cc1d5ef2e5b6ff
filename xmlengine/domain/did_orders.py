"""Orders of new numbers (`order_new_dids`): recorded at once, answered by the sandbox
an hour of network time later through the outbox, so a restart loses none.

The answer delivers numbers outside the inventory in the ordered exchange (`prefix`) or
rate center, each one becoming a DID of the account like an activated number (with its
charges), or fails the whole order; an email tells either. With `in_ratecenter` the
other exchanges of the prefix's rate center complete what the prefix cannot give; with a
rate center, one of its exchanges at random comes first. One exchange gives at most
`PER_EXCHANGE` numbers to an order. An international order is answered with numbers
under its prefix (country code first) that `phonenumbers` takes for valid, as long as the
country's fixed-line numbers (`inventory.spare_abroad`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final

import phonenumbers
from sqlalchemy import Connection, Row

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain import did_activation, inventory
from xmlengine.reference import nanp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.inventory_tables import did_orders
from xmlengine.work import did_order_events
from xmlengine.work.notifications import mail_for_account
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, Outcome

KIND: Final = did_order_events.KIND
DELIVERY_SECONDS: Final = 3600.0  # network seconds from the order to its answer
PER_EXCHANGE: Final = 100


@dataclass(frozen=True, slots=True)
class Order:
    prefix: str
    ratecenter_id: int | None
    type: str
    quantity: int
    prefix_preference: str
    sequential: str
    features: Sequence[str]  # of t38, sms, mms
    capacity: str
    comments: str


def known_prefix(prefix: str, kind: str) -> bool:
    """A local prefix is an exchange of the plan; an international one starts with a
    country calling code."""
    if kind == "local":
        return nanp.exchange(prefix) is not None
    return any(
        phonenumbers.region_code_for_country_code(int(prefix[:size])) != "ZZ"
        for size in (1, 2, 3)
        if len(prefix) > size
    )


def place(acct: AccountScope, order: Order) -> int:
    """Record the order and its answer to come; its id."""
    now = acct.clock.now()
    values = {**asdict(order), "features": ",".join(order.features)}
    query = acct.insert(did_orders).values(**values, status="pending", created_at=now)
    order_id = int(acct.execute(query.returning(did_orders.c.did_order_id)).scalar_one())
    did_order_events.enqueue_answer(
        acct, order_id, at=now + DELIVERY_SECONDS / acct.settings.network_speed
    )
    return order_id


def _exchanges(row: Row[Any], rng: random.Random) -> list[nanp.Exchange]:
    """The exchanges that may give numbers to the order, the preferred one first."""
    if row.ratecenter_id is not None:
        found = nanp.exchanges(ratecenter_id=row.ratecenter_id)
        rng.shuffle(found)
        return found
    first = nanp.exchange(row.prefix)
    if first is None:
        return []
    if row.prefix_preference == "prefix_only":
        return [first]
    others = nanp.exchanges(ratecenter_id=first.ratecenter.ratecenter_id)
    return [first, *(e for e in others if e != first)]


def _numbers(acct: AccountScope, row: Row[Any]) -> list[inventory.NewNumber]:
    """The numbers that answer the order, or none when it cannot be filled."""
    rng = random.Random(f"{inventory.SEED}:order:{row.did_order_id}")
    unavailable = inventory.taken(acct)
    wanted = set(row.features.split(",")) - {""}
    sequential = row.sequential == "sequential"
    picked: list[inventory.NewNumber] = []
    if row.type != "local":
        if not row.prefix or row.quantity > PER_EXCHANGE:
            return []  # a number abroad comes from a prefix, at most one block of them
        blocks = iter(
            [
                inventory.spare_abroad(
                    row.prefix, row.quantity, rng, sequential=sequential, unavailable=unavailable
                )
            ]
        )
    else:
        blocks = (  # drawn one exchange after the other, only as many as needed
            inventory.spare(
                exchange,
                min(PER_EXCHANGE, row.quantity - len(picked)),
                rng,
                sequential=sequential,
                unavailable=unavailable,
            )
            for exchange in _exchanges(row, rng)
        )
    for drawn in blocks:
        picked.extend(
            n
            for n in drawn
            if ("t38" not in wanted or n.t38_support) and ("sms" not in wanted or n.sms_support)
        )
        if len(picked) >= row.quantity:
            return picked[: row.quantity]
    return []


def answer(acct: AccountScope, order_id: int) -> None:
    """Fill or fail a pending order (an order answered already stays as it is)."""
    row = acct.execute(
        acct.select(did_orders).where(
            did_orders.c.did_order_id == order_id, did_orders.c.status == "pending"
        )
    ).first()
    if row is None:
        return
    numbers = _numbers(acct, row)
    for number in numbers:
        did_activation.activate(acct, number, notify=False, reason="ordered")
    failure = "" if numbers else _failure(row)
    acct.execute(
        acct.update(did_orders)
        .where(did_orders.c.did_order_id == order_id)
        .values(
            status="completed" if numbers else "failed",
            numbers=",".join(n.phone_number for n in numbers),
            failure=failure,
            completed_at=acct.clock.now(),
        )
    )
    if acct.account.email:
        subject, body = _MAIL["completed" if numbers else "failed"]
        values = {
            "order": order_id,
            "numbers": "\n".join(n.phone_number for n in numbers),
            "failure": failure,
        }
        mail_for_account(
            acct,
            to=acct.account.email,
            subject=subject.format(**values),
            body=body.format(**values),
        )


def _failure(row: Row[Any]) -> str:
    if row.type != "local":
        return f"The prefix cannot give {row.quantity} valid numbers with the features asked."
    where = "prefix" if row.prefix_preference == "prefix_only" else "rate center"
    return f"The {where} cannot give {row.quantity} numbers with the features asked."


class OrderDesk:
    """The worker's handler of `did_order` events: answers the order in the event's
    finishing transaction."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    async def __call__(self, event: Event) -> Outcome:
        assert event.account_id is not None
        account_id, order_id = event.account_id, int(event.payload["did_order_id"])

        def record(conn: Connection) -> None:
            scope = AccountScope.load(conn, account_id, clock=self.clock, settings=self.settings)
            answer(scope, order_id)

        return Done(record)


_MAIL = {
    "completed": (
        "Your order {order} of new DIDs is completed",
        "Hello,\n\nYour order {order} is completed. These numbers are now DIDs of your "
        "account:\n\n{numbers}\n",
    ),
    "failed": (
        "Your order {order} of new DIDs could not be completed",
        "Hello,\n\nYour order {order} could not be completed: {failure}\n",
    ),
}
