"""A port request's way through the sandbox, in network time.

Sent to staff, a port request moves on by itself: `approved_by_staff` an hour later,
`sent_to_provider` an hour after that, `firm_confirm` four hours later (its firm date
chosen: the requested one, or the third business day), and `completed` at 10:00 of the
firm date in the account's time zone, when its numbers become DIDs of the account. A
ported number ending in `0005` has staff reject the port (`rejected_by_staff`), one
ending in `0006` the losing provider (`rejected_by_provider`); the client may then fix
it and send it again (network/magic.py, docs/sandbox.md).

Each step is an outbox event due at its time (`available_at`, the network delay at
`XMLENGINE_NETWORK_SPEED`), written in the transaction of the step before: a restart
loses nothing and a step runs once its event's transaction commits. An event names the
status it expects and the sending it belongs to, so a port changed or sent again since
leaves it with nothing to do. Every step mails the port's notification user (the
account's address when it has none) and its `extra_recipients`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain import dids
from xmlengine.domain.subaccounts import subaccounts_of
from xmlengine.network.magic import PORT_REJECTED_BY_PROVIDER, PORT_REJECTED_BY_STAFF, port_refusal
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.storage.porting_tables import port_requests as table
from xmlengine.storage.tables import users
from xmlengine.work.due_events import enqueue_due
from xmlengine.work.notifications import mail_for_account
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, Outcome, Retry, backoff

KIND = "port_request_step"
HOUR = 3600.0
FIRST_FIRM_DAY = 3  # business days after today: the earliest firm date
LAST_FIRM_DAY = 15
COMPLETION_HOUR = 10


@dataclass(frozen=True, slots=True)
class Step:
    to: str
    after: float  # network seconds after the status before it
    refused_by: str = ""  # the magic suffix that turns this step into a rejection
    rejection: str = ""


STEPS = {
    "sent_to_staff": Step("approved_by_staff", HOUR, PORT_REJECTED_BY_STAFF, "rejected_by_staff"),
    "approved_by_staff": Step("sent_to_provider", HOUR),
    "sent_to_provider": Step(
        "firm_confirm", 4 * HOUR, PORT_REJECTED_BY_PROVIDER, "rejected_by_provider"
    ),
    "firm_confirm": Step("completed", 0.0),  # at the firm date
}

SUBJECTS = {
    "sent_to_staff": "sent to our staff",
    "approved_by_staff": "approved by our staff",
    "rejected_by_staff": "rejected by our staff",
    "sent_to_provider": "sent to the current provider",
    "firm_confirm": "confirmed for {firm_date}",
    "rejected_by_provider": "rejected by the current provider",
    "completed": "completed: the numbers are yours",
}


def add_business_days(day: dt.date, count: int) -> dt.date:
    """`count` business days (Monday to Friday) after `day`."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


def firm_date_allowed(today: dt.date, day: dt.date) -> bool:
    """The guide's window for `requested_firm_date`: 3 to 15 business days ahead."""
    first = add_business_days(today, FIRST_FIRM_DAY)
    return first <= day <= add_business_days(today, LAST_FIRM_DAY) and day.weekday() < 5


def numbers(row: Row[Any]) -> list[str]:
    return [n for n in row.phone_numbers.split(",") if n]


def pon(port_request_id: int) -> str:
    return f"PON{port_request_id:08d}"


def send(acct: AccountScope, port_request_id: int) -> None:
    """The port is sent to staff: the sandbox takes it from here."""
    now = acct.clock.now()
    _move(acct, port_request_id, "sent_to_staff", now, sent_at=now)


def _move(acct: AccountScope, port_request_id: int, status: str, now: float, **values: Any) -> None:
    where = table.c.port_request_id == port_request_id
    acct.execute(acct.update(table).where(where).values(status=status, status_at=now, **values))
    row = acct.execute(acct.select(table).where(where)).one()
    _mail(acct, row)
    step = STEPS.get(status)
    if step is None:
        return
    due = now + step.after / acct.settings.network_speed
    if status == "firm_confirm":
        due = max(now, _completion_time(acct, row.firm_date))
    payload = {"port_request_id": port_request_id, "status": status, "sent_at": row.sent_at}
    enqueue_due(acct, KIND, payload, at=due)


def _completion_time(acct: AccountScope, firm_date: dt.date) -> float:
    moment = dt.datetime.combine(firm_date, dt.time(COMPLETION_HOUR), acct.zone)
    return acct.clock.now() + (moment.timestamp() - acct.clock.now()) / acct.settings.network_speed


def advance(acct: AccountScope, payload: dict[str, Any]) -> None:
    """Take the step an event names, if the port still waits for it."""
    port_request_id = int(payload["port_request_id"])
    row = acct.execute(acct.select(table).where(table.c.port_request_id == port_request_id)).first()
    if row is None or row.status != payload["status"] or row.sent_at != payload["sent_at"]:
        return
    step = STEPS[row.status]
    now = acct.clock.now()
    if step.refused_by and port_refusal(numbers(row)) == step.refused_by:
        _move(acct, port_request_id, step.rejection, now)
    elif step.to == "firm_confirm":
        today = acct.today()
        wanted = row.requested_firm_date
        firm = wanted if wanted and wanted > today else add_business_days(today, FIRST_FIRM_DAY)
        _move(acct, port_request_id, step.to, now, firm_date=firm)
    elif step.to == "completed":
        subaccount_id = subaccounts_of(acct, "port_request", [port_request_id]).get(port_request_id)
        for number in dict.fromkeys(numbers(row)):
            dids.add(acct, number, subaccount_id=subaccount_id)
        _move(acct, port_request_id, step.to, now)
    else:
        _move(acct, port_request_id, step.to, now)


def _mail(acct: AccountScope, row: Row[Any]) -> None:
    subject = SUBJECTS.get(row.status)
    if subject is None:
        return
    firm = row.firm_date.isoformat() if row.firm_date else ""
    title = f"Port request {pon(row.port_request_id)} " + subject.format(firm_date=firm)
    body = (
        f"{title}.\n\nNumbers: {row.phone_numbers.replace(',', ', ')}\n"
        f"Status: {row.status}\nFirm date: {firm or 'not set yet'}\n"
    )
    recipients = [_user_email(acct, row) or acct.account.email, *row.extra_recipients.split(",")]
    for to in dict.fromkeys(r for r in recipients if r):
        mail_for_account(acct, to=to, subject=title, body=body)


def _user_email(acct: AccountScope, row: Row[Any]) -> str:
    """The email of the user the port's notifications go to, if it names one."""
    if not row.notification_client_user_id:
        return ""
    query = acct.select(users, users.c.email).where(
        users.c.client_user_id == int(row.notification_client_user_id)
    )
    return str(acct.execute(query).scalar() or "")


class PortProgress:
    """The worker's handler of `port_request_step` events."""

    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    async def __call__(self, event: Event) -> Outcome:
        account_id = event.account_id
        if account_id is None:
            return Done()

        def step(conn: Connection) -> None:
            acct = AccountScope.load(conn, account_id, clock=self.clock, settings=self.settings)
            advance(acct, event.payload)

        try:
            await self.db.run(step)
        except Exception as error:  # the database is away: the step waits
            return Retry(self.clock.now() + backoff(event.attempts + 1, 60.0, 3600.0), str(error))
        return Done()
