"""Messages on the network: the `sms` network job and what every message sets off.

`queue_outbound` logs an outbound message and queues its job (queue_sms, and the
forwarding and auto-reply of inbound messages). `SmsDesk` is the kind the network owner
runs (docs/network-jobs.md): `send` hands a message to the network; `report` writes what
the network says — delivered (`completed`, charged), failed (handed over again while the
message's `retry_limit` allows, then `failed`), or a message arriving on a DID — with the
DID's callbacks, emails, forwarding and auto-reply (domain/sms/settings.py), in the
event's transaction. A message whose owner stopped before its report is sent again.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any, Final, Protocol, TypeVar

from sqlalchemy import Connection, Row

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain.sms import attachments, messages
from xmlengine.domain.sms.messages import COMPLETED, FAILED, PENDING, PROCESSING, Attachment
from xmlengine.domain.sms.settings import SmsLine, sms_line
from xmlengine.network import interface as net
from xmlengine.network.interface import MessageRequest, Network, NetworkEvent
from xmlengine.network.traffic import Line
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.work.network_jobs import Job, Progress, cancel, network_ref, queue_job
from xmlengine.work.notifications import Attachment as MailAttachment
from xmlengine.work.notifications import mail_for_account
from xmlengine.work.webhooks import enqueue_webhook

KIND: Final = "sms"
RETRY_AFTER: Final = 60.0  # network seconds between attempts of a failed message
MMS_SHARE: Final = 0.2  # of the sandbox's inbound messages
# Webhook triggers (X-XmlEngine-Trigger): a message arrived, was delivered, failed.
RECEIVED, DELIVERED, NOT_DELIVERED = "sms_received", "sms_delivered", "sms_failed"
T = TypeVar("T")
SAMPLE_TEXTS: Final = (
    "Hi! Are we still on for tomorrow?",
    "Your order has shipped.",
    "Call me back when you can.",
    "Thanks, got it.",
)


def queue_outbound(
    acct: AccountScope,
    line: SmsLine,
    *,
    destination: str,
    text: str,
    attachment: Attachment | None,
    retry_limit: int = 0,
) -> messages.Logged:
    """Log an outbound message from `line` and queue it for the network."""
    logged = messages.log(
        acct,
        direction="outbound",
        client_did_id=line.client_did_id,
        subaccount_id=line.subaccount_id,
        source=line.number,
        destination=destination,
        text=text,
        attachment=attachment,
        at=acct.clock.now(),
        transmission_status=PENDING,
        retry_limit=retry_limit,
        charged=False,  # when delivered
    )
    queue_job(
        acct,
        KIND,
        logged.sms_hash,
        {
            "source": line.number,
            "destination": destination,
            "text": text,
            "media": [attachment.path] if attachment else [],
        },
    )
    return logged


class InboundMessages(Network, Protocol):
    """A network that also carries messages from the outside world (the sandbox does)."""

    async def receive_message(self, message: MessageRequest) -> None: ...


def withdraw(acct: AccountScope, row: Row[Any]) -> None:
    """A message not handed to the network yet is not sent (it was deleted)."""
    if cancel(acct, KIND, row.sms_hash):
        messages.set_transmission(acct, row.sms_log_id, messages.CANCELLED, at=acct.clock.now())


class SmsDesk:
    """The `sms` kind of network job, and the inbound messages of the sandbox's traffic."""

    def __init__(self, db: Database, settings: Settings, clock: Clock, outbox_clock: Clock):
        self.db = db
        self.settings = settings
        self.clock = clock  # network time
        self.outbox_clock = outbox_clock
        self._arriving: dict[str, Attachment | None] = {}  # inbound refs, until reported

    async def send(self, job: Job, network: Network) -> None:
        def processing(acct: AccountScope) -> None:
            row = messages.find(acct, job.ref)
            if row is not None:
                messages.set_transmission(
                    acct, row.sms_log_id, PROCESSING, at=self.clock.now(), attempts=job.attempts
                )

        await self._for_account(job.account_id, processing)
        payload = job.payload
        await network.send_message(
            MessageRequest(
                job.account_id,
                job.network_ref,
                str(payload["source"]),
                str(payload["destination"]),
                str(payload["text"]),
                tuple(str(m) for m in payload.get("media", ())),
            )
        )

    def report(
        self, acct: AccountScope, ref: str, job: Job | None, event: NetworkEvent
    ) -> Progress:
        if event.kind == net.MESSAGE_INBOUND:
            self._inbound(acct, ref, event)
            return Progress(final=True)
        row = messages.find(acct, ref)
        if row is None or row.transmission_status in (COMPLETED, FAILED):
            return Progress(final=True)  # reported already (a message sent twice)
        attempts = job.attempts if job is not None else row.attempts
        if event.kind == net.MESSAGE_FAILED and attempts <= row.retry_limit:
            messages.set_transmission(acct, row.sms_log_id, PENDING, at=event.at)
            return Progress(again_at=event.at + RETRY_AFTER)
        status = COMPLETED if event.kind == net.MESSAGE_DELIVERED else FAILED
        messages.set_transmission(acct, row.sms_log_id, status, at=event.at, attempts=attempts)
        if status == COMPLETED:
            messages.charge(acct, row, at=event.at)
        line = sms_line(acct, client_did_id=row.client_did_id) if row.client_did_id else None
        if line is not None:
            done = messages.find(acct, ref)
            assert done is not None
            self._callback(acct, line, done, DELIVERED if status == COMPLETED else NOT_DELIVERED)
            notify = {
                COMPLETED: line.notify_outbound_completed,
                FAILED: line.notify_outbound_failed,
            }
            if notify[status] and line.notify_email:
                self._mail(acct, line, done)
        return Progress(final=True)

    def interrupted(self, acct: AccountScope, job: Job, at: float) -> bool:
        return True  # no report came: send it again (at least once)

    async def receive(
        self, network: InboundMessages, line: Line, remote: str, rng: random.Random, text: str = ""
    ) -> bool:
        """A message from `remote` to the DID of `line`, when it takes SMS; whether it did.
        Without `text`, a sample text or now and then an MMS picture (generated traffic)."""

        def prepare(acct: AccountScope) -> tuple[bool, Attachment | None]:
            found = sms_line(acct, client_did_id=line.line_id)
            if found is None or not found.receives:
                return False, None
            if text or rng.random() >= MMS_SHARE:
                return True, None
            picture = attachments.sample_picture(shade=rng.randrange(256))
            return True, attachments.store(self.settings, line.account_id, picture)

        takes, attachment = await self._for_account(line.account_id, prepare)
        if not takes:
            return False
        ref = str(uuid.uuid4())
        self._arriving[ref] = attachment
        if not text and attachment is None:
            text = rng.choice(SAMPLE_TEXTS)
        request = MessageRequest(
            line.account_id,
            network_ref(KIND, ref),
            remote,
            line.number,
            text,
            (attachment.path,) if attachment else (),
        )
        await network.receive_message(request)
        return True

    def _inbound(self, acct: AccountScope, ref: str, event: NetworkEvent) -> None:
        attachment = self._arriving.pop(ref, None)
        data = event.data
        source, destination = str(data["source"]), str(data["destination"])
        line = sms_line(acct, number=destination)
        if line is None or not line.receives:
            return
        accepted = line.accepts(source)
        logged = messages.log(
            acct,
            direction="inbound",
            client_did_id=line.client_did_id,
            subaccount_id=line.subaccount_id,
            source=source,
            destination=line.dnis_rewrite or destination,
            text=str(data.get("text", "")),
            attachment=attachment,
            at=event.at,
            transmission_status=COMPLETED if accepted else messages.CANCELLED,
            sms_hash=ref,
        )
        if not accepted:  # a sender the profile does not allow: logged, nothing more
            return
        row = messages.find(acct, logged.sms_hash)
        assert row is not None
        self._callback(acct, line, row, RECEIVED)
        if line.notify_inbound and line.notify_email:
            self._mail(acct, line, row)
        if line.forward_number:
            copy = None
            if attachment is not None:
                content = attachments.Content(
                    (self.settings.data_dir / attachment.path).read_bytes(),
                    attachment.name,
                    attachment.mime_type,
                )
                copy = attachments.store(self.settings, acct.account_id, content)
            queue_outbound(
                acct,
                line,
                destination=line.forward_number,
                text=f"{source}: {row.message}"[: messages.MESSAGE_LIMIT],
                attachment=copy,
            )
        if line.autoreply:
            queue_outbound(acct, line, destination=source, text=line.autoreply, attachment=None)

    def _callback(self, acct: AccountScope, line: SmsLine, row: Row[Any], trigger: str) -> None:
        if not line.callback_url:
            return
        enqueue_webhook(
            acct,
            trigger=trigger,
            subject=f"sms:{row.sms_hash}",
            payload=messages.body(acct, row),
            callback_url=line.callback_url,
            backup_url=line.backup_url,
            occurred_at=row.transmitted_at or row.created_at,
            now=self.outbox_clock.now(),
            rounds=None if line.callback_retry else 1,
        )

    def _mail(self, acct: AccountScope, line: SmsLine, row: Row[Any]) -> None:
        subject, text = notification(line.language or acct.account.language, row)
        if line.notify_name:
            text = f"{line.notify_name},\n\n{text}"
        files = []
        if row.attachment_path:
            files.append(
                MailAttachment(row.attachment_path, row.attachment_name, row.attachment_mime_type)
            )
        mail_for_account(acct, to=line.notify_email, subject=subject, body=text, attachments=files)

    async def _for_account(self, account_id: int, work: Callable[[AccountScope], T]) -> T:
        """`work` in one transaction, in the scope of the account."""

        def scoped(conn: Connection) -> T:
            return work(
                AccountScope.load(conn, account_id, clock=self.clock, settings=self.settings)
            )

        return await self.db.run(scoped)


_SUBJECTS = {
    ("en", "inbound"): "New {kind} from {source}",
    ("fr", "inbound"): "Nouveau {kind} de {source}",
    ("en", COMPLETED): "Your {kind} to {destination} was delivered",
    ("fr", COMPLETED): "Votre {kind} au {destination} a été livré",
    ("en", FAILED): "Your {kind} to {destination} could not be delivered",
    ("fr", FAILED): "Votre {kind} au {destination} n'a pas pu être livré",
}


def notification(language: str, row: Row[Any]) -> tuple[str, str]:
    """The subject and text of a message's notification email."""
    language = language if language in ("en", "fr") else "en"
    state = "inbound" if row.direction == "inbound" else row.transmission_status
    fields = {
        "kind": row.message_type.upper(),
        "source": row.source_number,
        "destination": row.destination_number,
    }
    subject = _SUBJECTS[(language, state)].format(**fields)
    labels = ("From", "To", "Message") if language == "en" else ("De", "À", "Message")
    text = (
        f"{labels[0]}: {row.source_number}\n{labels[1]}: {row.destination_number}\n"
        f"{labels[2]}: {row.message}\n"
    )
    return subject, text
