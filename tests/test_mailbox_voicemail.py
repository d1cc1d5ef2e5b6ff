"""Voicemail reaches mailboxes, end to end: a caller leaves a message on a sandbox DID,
it lands in the mailbox the DID reaches, and that mailbox's notice carries the message,
through a real SMTP server or into the mail log."""

from __future__ import annotations

import dataclasses
import io
import mailbox
import wave
from email import message_from_bytes
from email.message import Message
from typing import Any

from sqlalchemy import select, update
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import subaccount
from tests.sandbox_support import Network, run, sandbox, traffic_settings
from tests.smtp_receiver import smtp_server
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain import subaccounts
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS
from xmlengine.http.app import XmlEngineApp
from xmlengine.network.traffic import INBOUND, GeneratedCall
from xmlengine.storage.did_tables import dids
from xmlengine.work.notifications import MAIL_LOG, MailSender
from xmlengine.work.worker import Worker

_, PLAIN = DEMO_NUMBERS  # a sandbox DID that does not record
LEAVES_A_MESSAGE = "5145550004"  # the magic caller whose call the voicemail answers


def notified_mailbox(api: Api, email: str = "anna@example.com", **fields: str) -> str:
    values = {"friendly_name": "Anna", "contact_name": "Anna Smith", **fields}
    answer = api.json(
        "update_mailbox",
        mode="create",
        passcode="1234",
        enable_mail_notification="1",
        email=email,
        **values,
    )
    assert status(answer) == "success", codes(answer)
    return str(answer["mailboxes"]["mailbox_details"][0]["client_mailbox_id"])


async def leave_message(net: Network, **did_values: Any) -> str:
    """A call to the plain DID that the voicemail answers; its call hash.

    The DID is enabled again: the end of an earlier scenario switched the lines off. Its
    subaccount, when given, is recorded as update_subaccount_associations does."""
    subaccount_id = did_values.pop("client_subaccount_id", None)

    def prepare(conn: Any) -> None:
        plain = (dids.c.account_id == net.account_id) & (dids.c.phone_number == PLAIN)
        conn.execute(update(dids).where(plain).values(status="enabled", **did_values))
        did_id = conn.execute(select(dids.c.client_did_id).where(plain)).scalar_one()
        subaccounts.associate(net.scope(conn), "did", did_id, subaccount_id)

    await net.run(prepare)
    (line,) = [x for x in await net.lines() if x.kind == "did" and x.number == PLAIN]
    await net.owner.calls.place(GeneratedCall(line, INBOUND, LEAVES_A_MESSAGE))
    (call_hash,) = net.owner.calls.live
    await net.owner.scheduler.advance(600)
    return call_hash


async def send_mail(net: Network, settings: Settings) -> int:
    sender = MailSender(settings, net.clock)
    return await Worker(net.db, {"email": sender}, net.clock).drain()


def voicemail_of(api: Api, call_hash: str) -> dict[str, str]:
    messages = api.json("get_voicemails")["voicemails"]["voicemail_details"]
    (found,) = [m for m in messages if m["call_hash"] == call_hash]
    return found  # type: ignore[no-any-return]


def attached_audio(message: Message) -> tuple[str, bytes]:
    (part,) = [p for p in message.walk() if p.get_content_disposition() == "attachment"]
    assert part.get_content_type() == "audio/wav"
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return str(part.get_filename()), data


def seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) == (1, 2, 8000)
        return audio.getnframes() / audio.getframerate()


def test_the_message_reaches_the_default_mailbox_and_is_mailed_over_smtp(
    settings: Settings, clock: ManualClock, api: Api, client: TestClient
) -> None:
    mailbox_id = notified_mailbox(api)
    with smtp_server() as (address, box):
        mailing = traffic_settings(settings, smtp_url=f"smtp://{address}")

        async def scenario() -> str:
            async with sandbox(mailing, clock, api.credentials.client_account_id) as net:
                call_hash = await leave_message(net)
                assert await send_mail(net, mailing) == 1
                return call_hash

        call_hash = run(scenario)
    found = voicemail_of(api, call_hash)
    assert found["client_mailbox_id"] == mailbox_id
    ((_, recipients, data),) = box.messages
    assert recipients == ["<anna@example.com>"]
    message = message_from_bytes(data)
    assert message["Subject"] == f"New voicemail from {LEAVES_A_MESSAGE}"
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    text = body.get_payload(decode=True)
    assert isinstance(text, bytes) and b"Hello Anna Smith" in text
    name, audio = attached_audio(message)
    assert name == f"voicemail-{found['voicemail_hash'].replace('-', '')}.wav"
    assert seconds(audio) == int(found["duration"]) > 0
    url = f"/api/v1.1/voicemails/{found['voicemail_hash']}.wav"
    assert client.get(url, params=api.auth()).content == audio  # the very message


def test_the_did_s_own_mailbox_takes_it_and_the_mail_log_keeps_it(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    notified_mailbox(api, email="default@example.com")  # the default, not reached
    named = notified_mailbox(api, email="sales@example.com")
    logged = dataclasses.replace(traffic_settings(settings), smtp_url="")
    account_id = api.credentials.client_account_id

    async def scenario() -> str:
        async with sandbox(logged, clock, account_id) as net:
            call_hash = await leave_message(net, client_mailbox_id=int(named))
            assert await send_mail(net, logged) == 1
            return call_hash

    call_hash = run(scenario)
    found = voicemail_of(api, call_hash)
    assert found["client_mailbox_id"] == named
    log = mailbox.mbox(settings.data_dir / MAIL_LOG)
    try:
        (message,) = list(log)
    finally:
        log.close()
    assert message["To"] == "sales@example.com"
    _, audio = attached_audio(message)
    assert seconds(audio) == int(found["duration"])


def test_a_subaccount_s_message_stays_in_its_mailboxes(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    notified_mailbox(api, email="main@example.com")
    sid = subaccount(api)
    account_id = api.credentials.client_account_id
    quiet = traffic_settings(settings)

    async def scenario(**did: Any) -> str:
        async with sandbox(quiet, clock, account_id) as net:
            call_hash = await leave_message(net, client_subaccount_id=sid, **did)
            await send_mail(net, quiet)
            return call_hash

    # The subaccount has no mailbox: the message is kept, in no mailbox, and mailed to no one.
    alone = voicemail_of(api, run(scenario))
    assert alone["client_mailbox_id"] == ""
    assert not (settings.data_dir / MAIL_LOG).exists()
    theirs = notified_mailbox(api, email="shop@example.com", client_subaccount_id=str(sid))
    found = voicemail_of(api, run(scenario))
    assert found["client_mailbox_id"] == theirs
    log = mailbox.mbox(settings.data_dir / MAIL_LOG)
    try:
        assert [m["To"] for m in log] == ["shop@example.com"]
    finally:
        log.close()


def test_a_disabled_or_silent_mailbox_sends_nothing(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    default = notified_mailbox(api)
    silent = api.json("update_mailbox", mode="create", passcode="1234", email="x@example.com")
    silent_id = silent["mailboxes"]["mailbox_details"][0]["client_mailbox_id"]
    disabled = api.json(
        "update_mailbox", mode="create", passcode="1234", status="disabled", email="y@example.com"
    )
    disabled_id = disabled["mailboxes"]["mailbox_details"][0]["client_mailbox_id"]
    account_id = api.credentials.client_account_id
    quiet = traffic_settings(settings)

    async def scenario(mailbox_id: str) -> str:
        async with sandbox(quiet, clock, account_id) as net:
            call_hash = await leave_message(net, client_mailbox_id=int(mailbox_id))
            await send_mail(net, quiet)
            return call_hash

    # Notification off: the message lands there, no mail.
    assert voicemail_of(api, run(lambda: scenario(silent_id)))["client_mailbox_id"] == silent_id
    assert not (settings.data_dir / MAIL_LOG).exists()
    # A disabled mailbox takes no message: the default does.
    assert voicemail_of(api, run(lambda: scenario(disabled_id)))["client_mailbox_id"] == default


def test_the_notice_speaks_the_accounts_language(
    app: XmlEngineApp, client: TestClient, settings: Settings, clock: ManualClock
) -> None:
    api = Api(client, new_account(app, language="fr"))
    notified_mailbox(api, email="marie@example.com", contact_name="Marie Tremblay")
    logged = traffic_settings(settings)

    async def scenario() -> str:
        async with sandbox(logged, clock, api.credentials.client_account_id) as net:
            call_hash = await leave_message(net)
            assert await send_mail(net, logged) == 1
            return call_hash

    found = voicemail_of(api, run(scenario))
    log = mailbox.mbox(settings.data_dir / MAIL_LOG)
    try:
        (message,) = list(log)
    finally:
        log.close()
    assert message["Subject"] == f"Nouveau message vocal de {LEAVES_A_MESSAGE}"
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    text = body.get_payload(decode=True)
    assert isinstance(text, bytes) and "Bonjour Marie Tremblay" in text.decode()
    _, audio = attached_audio(message)
    assert seconds(audio) == int(found["duration"])
