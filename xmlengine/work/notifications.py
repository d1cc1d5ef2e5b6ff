"""Account emails: queued in the caller's transaction, sent by the worker.

With `XMLENGINE_SMTP_URL` set (`smtp://user:password@host:587?starttls=1`, or `smtps://`
for TLS from the start) messages go to that server; otherwise they are appended to the
mail log, `mail.mbox` in the data directory (any mail reader opens it): one append at a
time per process, and a log another process keeps locked is tried again later. A message
the SMTP server refuses for good is given up; one it cannot take now is retried later.

Attachments are stored files (a voicemail's audio), named by their path under the data
directory and read when the message is sent; one removed since is left out.
"""

from __future__ import annotations

import asyncio
import mailbox
import smtplib
import ssl
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import Connection

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.storage.account_scope import AccountScope
from xmlengine.work import outbox
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, GiveUp, Outcome, Retry, backoff

KIND = "email"
MAIL_LOG = "mail.mbox"
RETRY_LIMIT = 10
SMTP_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Attachment:
    path: str  # relative to the data directory
    filename: str
    content_type: str  # e.g. audio/wav


def enqueue_email(
    conn: Connection,
    *,
    account_id: int | None,
    to: str,
    subject: str,
    body: str,
    now: float,
    attachments: Sequence[Attachment] = (),
) -> int:
    payload = {
        "to": to,
        "subject": subject,
        "body": body,
        "date": now,
        "attachments": [asdict(attachment) for attachment in attachments],
    }
    return outbox.enqueue(conn, KIND, payload, now=now, account_id=account_id)


def mail_for_account(
    acct: AccountScope,
    *,
    to: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
) -> int:
    """A message sent for the account once the scope's transaction commits."""
    return enqueue_email(
        acct.connection_for_work(),
        account_id=acct.account_id,
        to=to,
        subject=subject,
        body=body,
        now=acct.clock.now(),
        attachments=attachments,
    )


_ABUSE = {
    "en": (
        "Request limit reached on your account",
        "Your account {account_id} reached its budget of {budget} requests per hour for "
        "the {pool} requests.\n\nFurther requests this hour may be refused. Requests past "
        "the hard limit are refused for 60 minutes.\n",
    ),
    "fr": (
        "Limite de requêtes atteinte sur votre compte",
        "Votre compte {account_id} a atteint son budget de {budget} requêtes par heure "
        "pour les requêtes {pool}.\n\nLes prochaines requêtes de cette heure pourraient "
        "être refusées. Au-delà de la limite stricte, elles sont refusées pendant 60 "
        "minutes.\n",
    ),
}


def notify_abuse(acct: AccountScope, *, pool: str, budget: int, now: float) -> int:
    """The rate limiter's abuse notice to the account's address."""
    account = acct.account
    subject, text = _ABUSE.get(account.language, _ABUSE["en"])
    body = text.format(account_id=account.account_id, budget=budget, pool=pool)
    return enqueue_email(
        acct.connection_for_work(),
        account_id=account.account_id,
        to=account.email,
        subject=subject,
        body=body,
        now=now,
    )


class MailSender:
    """The worker's handler of `email` events."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    def message(self, event: Event) -> EmailMessage:
        payload = event.payload
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = str(payload["to"])
        message["Subject"] = str(payload["subject"])
        message["Date"] = formatdate(float(payload["date"]))
        message["Message-ID"] = make_msgid(idstring=f"outbox-{event.event_id}")
        message.set_content(str(payload["body"]))
        for attachment in payload.get("attachments", ()):
            self._attach(message, Attachment(**attachment))
        return message

    def _attach(self, message: EmailMessage, attachment: Attachment) -> None:
        path = Path(attachment.path)
        if path.is_absolute() or ".." in path.parts:  # only files under the data directory
            return
        try:
            data = (self.settings.data_dir / path).read_bytes()
        except FileNotFoundError:
            return
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )

    async def __call__(self, event: Event) -> Outcome:
        message = await asyncio.to_thread(self.message, event)  # reads the attachments
        if not self.settings.smtp_url:
            try:
                await asyncio.to_thread(append_to_log, self.settings.data_dir / MAIL_LOG, message)
            except MailLogBusy as busy:
                return self._later(event, str(busy))
            return Done()
        try:
            await asyncio.to_thread(send_smtp, self.settings.smtp_url, message)
        except smtplib.SMTPRecipientsRefused as error:
            refusals = list(error.recipients.values())
            if all(500 <= code < 600 for code, _ in refusals):
                return GiveUp(f"recipients refused: {refusals!r}"[:255])
            return self._later(event, f"recipients refused: {refusals!r}")
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600:
                return GiveUp(f"SMTP {error.smtp_code}: {error.smtp_error!r}"[:255])
            return self._later(event, f"SMTP {error.smtp_code}")
        except (OSError, smtplib.SMTPException) as error:
            return self._later(event, f"{type(error).__name__}: {error}")
        return Done()

    def _later(self, event: Event, error: str) -> Outcome:
        if event.attempts + 1 >= RETRY_LIMIT:
            return GiveUp(error)
        return Retry(self.clock.now() + backoff(event.attempts + 1, 30.0, 3600.0), error)


# The mbox locks (fcntl and a dot lock named after the pid) keep other processes out, not
# this one's threads: its deliveries take turns here.
_MAIL_LOG_TURN = threading.Lock()
LOCK_TRIES = 20
LOCK_PAUSE = 0.05  # seconds between tries while another process holds the mail log


class MailLogBusy(Exception):
    """Another process kept the mail log locked through every try."""


def append_to_log(path: Path, message: EmailMessage) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with _MAIL_LOG_TURN:
        for _ in range(LOCK_TRIES):
            box = mailbox.mbox(path)
            try:
                box.lock()  # several worker processes may share the data directory
            except mailbox.ExternalClashError:
                box.close()
                time.sleep(LOCK_PAUSE)
                continue
            try:
                box.add(message)
                box.flush()
            finally:
                box.unlock()
                box.close()
            return
    raise MailLogBusy(f"{path} stayed locked by another process")


def send_smtp(url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        context = ssl.create_default_context()
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=SMTP_TIMEOUT, context=context
        )
    elif parts.scheme == "smtp":
        smtp = smtplib.SMTP(host, parts.port or 25, timeout=SMTP_TIMEOUT)
    else:
        raise smtplib.SMTPException(f"unsupported mail URL scheme {parts.scheme!r}")
    with smtp:
        if parts.scheme == "smtp" and options.get("starttls", ["0"])[0] in ("1", "true", "yes"):
            smtp.starttls(context=ssl.create_default_context())
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)
