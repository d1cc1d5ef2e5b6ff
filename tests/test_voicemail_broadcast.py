"""voicemail_broadcast: a media file or a fetched media_url played to the destination on
the sandbox network, the outcome by its magic number, the forked call logged cancelled,
the request's own notifications, recordings and billing like any call."""

from __future__ import annotations

import dataclasses
import io
import math
import wave
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from tests.call_control_support import history, queued_hash, set_global_callerid
from tests.conftest import Api, codes, new_account, status
from tests.media_support import remove_files
from tests.receiver import receiving
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.test_isolation import MAKERS
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.audio import wav_seconds
from xmlengine.domain.call_control.media_url import MAX_BYTES
from xmlengine.http.app import XmlEngineApp

PERSON = "5145550142"  # answers after 6 s


@dataclasses.dataclass
class Setup:
    app: XmlEngineApp
    api: Api
    config: Settings
    clock: ManualClock


@pytest.fixture
def setup(settings: Settings, clock: ManualClock) -> Iterator[Setup]:
    config = traffic_settings(settings, sandbox_traffic_per_hour=0)
    app = create_app(config, clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        api = Api(client, new_account(app))
        set_global_callerid(app, api.credentials)
        yield Setup(app, api, config, clock)


def broadcast(setup: Setup, *, deliver: bool = True, **params: Any) -> dict[str, Any]:
    """Send voicemail_broadcast and play it out on the network (and deliver its webhooks:
    the worker of the test runs every due event of the outbox, file removals included)."""
    account_id = setup.api.credentials.client_account_id

    async def scenario() -> dict[str, Any]:
        async with sandbox(setup.config, setup.clock, account_id) as net:
            answer = setup.api.json("voicemail_broadcast", **params)
            if status(answer) == "success":
                assert await net.owner.take_due() == 1
                await net.owner.scheduler.advance(600)
                if deliver:
                    await net.deliver()
            return answer

    result: dict[str, Any] = run(scenario)
    return result


def media_file(setup: Setup) -> str:
    return str(MAKERS["media_file"](setup.app, setup.api))


def tone(seconds: float, rate: int = 44100) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        frames = int(seconds * rate)
        audio.writeframes(
            b"".join(
                int(8000 * math.sin(2 * math.pi * 440 * n / rate)).to_bytes(
                    2, "little", signed=True
                )
                for n in range(frames)
            )
        )
    return out.getvalue()


def test_a_broadcast_forks_notifies_records_and_bills(setup: Setup) -> None:
    with receiving() as receiver:
        answer = broadcast(
            setup,
            destination_number=PERSON,
            client_media_file_id=media_file(setup),
            pre_dtmf="1234",
            dtmf_duration="500",  # four tones and their gaps: 4 s
            enable_recording="1",
            notify_callback_url=receiver.url("/broadcast"),
            notify_callback_triggers="on_create,on_ring,on_answer,on_hangup,on_record",
            meta_data='{"campaign": "spring"}',
        )
        call_hash = queued_hash(answer)
    got = receiver.at("/broadcast")
    got.sort(key=lambda r: int(r.headers["x-xmlengine-sequence"]))
    hits = [orjson.loads(r.body) for r in got]
    assert [h["trigger"] for h in hits] == [
        "on_create",
        "on_ring",
        "on_answer",
        "on_hangup",
        "on_record",
    ]
    assert {h["call_hash"] for h in hits} == {call_hash}
    assert all(isinstance(value, str) for h in hits for value in h.values())
    assert all(r.headers["x-xmlengine-signature"].startswith("v1=") for r in got)
    hangup = hits[3]
    assert (hangup["disposition"], hangup["destination_number"]) == ("answered", PERSON)
    main, forked = history(setup.api, metadata="yes")
    assert (main["call_hash"], main["disposition"]) == (call_hash, "answered")
    assert int(main["duration"]) == int(hangup["duration"]) >= 4  # the message and tones
    assert (forked["disposition"], forked["duration"], forked["source_details"]) == (
        "cancelled",
        "0",
        call_hash,
    )
    assert forked["destination"] == PERSON
    assert main["metadata"]["raw_metadata"] == '{"campaign": "spring"}'
    assert (main["callerid_name"], main["callerid_number"]) == ("Acme Sales", "5145550199")
    assert main["routing_type"] == "local_termination"
    (recording,) = setup.api.json("get_recordings", call_hash=call_hash)["recordings"][
        "recording_details"
    ]
    assert recording["duration"] == main["duration"]


@pytest.mark.parametrize(
    ("number", "disposition", "left"),
    [
        ("5145550001", "busy", False),
        ("5145550002", "no_answer", False),
        ("5145550003", "failed", False),
        ("5145550004", "answered", True),
    ],
)
def test_the_outcome_follows_the_magic_numbers(
    setup: Setup, number: str, disposition: str, left: bool
) -> None:
    answer = broadcast(
        setup,
        destination_number=number,
        client_media_file_id=media_file(setup),
        wait_time="30",  # the voicemail answers after 20 s
        fork_call="0",
    )
    assert status(answer) == "success", codes(answer)
    (only,) = history(setup.api)
    assert only["disposition"] == disposition
    assert (int(only["duration"]) > 0) is left


def test_voicemail_detect_waits_for_the_tone(setup: Setup) -> None:
    common = {"destination_number": "5145550004", "wait_time": "30", "fork_call": "0"}
    media = media_file(setup)
    broadcast(setup, **common, client_media_file_id=media, voicemail_detect="0")
    broadcast(setup, **common, client_media_file_id=media, voicemail_detect="1")
    at_once, at_tone = history(setup.api)
    assert int(at_tone["duration"]) - int(at_once["duration"]) == 5  # the greeting


def test_a_media_url_is_fetched_converted_and_played(setup: Setup) -> None:
    with receiving() as receiver:
        receiver.plan("/message.wav", body=tone(6.0))
        answer = broadcast(
            setup,
            destination_number=PERSON,
            media_url=receiver.url("/message.wav"),
            fork_call="0",
            privacy="1",
            deliver=False,
        )
        assert status(answer) == "success", codes(answer)
        assert [r.method for r in receiver.at("/message.wav")] == ["GET"]
    (only,) = history(setup.api)
    assert only["duration"] == "6"
    assert only["callerid_name"] == "Private"  # privacy: the caller ID is not shown
    fetched = setup.config.data_dir / "media" / str(setup.api.credentials.client_account_id)
    (kept,) = (fetched / "broadcasts").iterdir()
    assert wav_seconds(kept) == pytest.approx(6.0, abs=0.01)
    with wave.open(str(kept)) as audio:
        assert (audio.getframerate(), audio.getnchannels()) == (8000, 1)
    assert remove_files(setup.app, setup.api.client) == 1  # the broadcast ended
    assert not kept.exists()


def test_privacy_hides_the_name_of_both_calls_and_keeps_the_number(setup: Setup) -> None:
    answer = broadcast(
        setup, destination_number=PERSON, client_media_file_id=media_file(setup), privacy="1"
    )
    assert status(answer) == "success", codes(answer)
    main, forked = history(setup.api)
    for call in (main, forked):
        assert (call["callerid_name"], call["callerid_number"]) == ("Private", "5145550199")
    listed = setup.api.xml("get_calls", latest_hours="24").iterfind("calls/call_details")
    assert [c.findtext("callerid_name") for c in listed] == ["Private", "Private"]


def _medias(api: Api, fmt: str = "json") -> tuple[int, int]:
    """The main account's media storage today: bytes and files."""
    if fmt == "xml":
        answer = api.xml("get_storage_stats", storage_types="medias_size")
        usage = answer.find("storage_stats/stat_details/storage_types/storage_type_details")
        assert usage is not None
        return int(usage.findtext("size") or ""), int(usage.findtext("files") or "")
    found = api.json("get_storage_stats", storage_types="medias_size")
    (main, _whole) = found["storage_stats"]["stat_details"]
    (usage,) = main["storage_types"]["storage_type_details"]
    return int(usage["size"]), int(usage["files"])


def test_a_fetched_media_url_counts_in_storage_while_kept(setup: Setup) -> None:
    account_id = setup.api.credentials.client_account_id
    with receiving() as receiver:
        receiver.plan("/message.wav", body=tone(3.0))

        async def scenario() -> tuple[tuple[int, int], ...]:
            async with sandbox(setup.config, setup.clock, account_id) as net:
                params = {"destination_number": PERSON, "media_url": receiver.url("/message.wav")}
                answer = setup.api.json("voicemail_broadcast", **params)
                assert status(answer) == "success", codes(answer)
                kept = (_medias(setup.api), _medias(setup.api, "xml"))
                assert await net.owner.take_due() == 1
                await net.owner.scheduler.advance(600)
                return (*kept, _medias(setup.api))

        in_json, in_xml, after = run(scenario)
    wav_bytes = 44 + 3 * 8000 * 2  # 3 s of 8 kHz 16-bit mono, and the WAV header
    assert in_json == in_xml == (wav_bytes, 1)
    assert after == (0, 0)  # the broadcast ended: the audio left with it
    stats = setup.api.json("get_storage_stats", storage_types="medias_size")
    usage = stats["storage_stats"]["stat_details"][0]["storage_types"]["storage_type_details"][0]
    assert (usage["added"], usage["removed"]) == (str(wav_bytes), str(wav_bytes))


def test_a_media_url_that_gives_no_audio_is_refused(setup: Setup, settings: Settings) -> None:
    with receiving() as receiver:
        receiver.plan("/notes.txt", body=b"not a sound at all" * 50)
        receiver.plan("/gone.wav", default=404)
        receiver.plan("/moved.wav", default=302, location=receiver.url("/message.wav"))
        receiver.plan("/huge.wav", body=bytes(MAX_BYTES + 1))
        for path in ("/notes.txt", "/gone.wav", "/moved.wav", "/huge.wav"):
            answer = setup.api.json(
                "voicemail_broadcast", destination_number=PERSON, media_url=receiver.url(path)
            )
            assert codes(answer) == ["media_url_invalid"]
        guarded = create_app(settings, setup.clock)  # private targets refused, as in production
        with TestClient(guarded, base_url="http://api.example.test") as client:
            api = Api(client, new_account(guarded))
            set_global_callerid(guarded, api.credentials)
            answer = api.json(
                "voicemail_broadcast",
                destination_number=PERSON,
                media_url=receiver.url("/message.wav"),
            )
            assert codes(answer) == ["media_url_invalid"]
            assert receiver.at("/message.wav") == []


def test_caller_id_rules(setup: Setup, settings: Settings) -> None:
    media = media_file(setup)
    refused = setup.api.json(
        "voicemail_broadcast",
        destination_number=PERSON,
        client_media_file_id=media,
        callerid_number="8885550100",
    )
    assert codes(refused) == ["callerid_number_invalid"]
    set_global_callerid(setup.app, setup.api.credentials, number="8665550100")
    answer = setup.api.json(
        "voicemail_broadcast", destination_number=PERSON, client_media_file_id=media
    )
    assert codes(answer) == ["callerid_number_invalid"]
    set_global_callerid(setup.app, setup.api.credentials, name="", number="")
    answer = setup.api.xml(
        "voicemail_broadcast", destination_number=PERSON, client_media_file_id=media
    )
    assert [m.get("code") for m in answer.iter("message")] == [
        "global_callerid_name_undefined",
        "global_callerid_infos_undefined",
    ]
    given = setup.api.xml(
        "voicemail_broadcast",
        destination_number=PERSON,
        client_media_file_id=media,
        callerid_name="Clinic",
        callerid_number="4385550123",
    )
    message = given.find("response_details/response_messages/message")
    assert message is not None and message.get("code") == "queued_call_hash"
    assert len(message.text or "") == 32


def test_a_recording_of_two_seconds_or_less_is_deleted(setup: Setup) -> None:
    answer = broadcast(
        setup,
        destination_number=PERSON,
        client_media_file_id=media_file(setup),  # "Hello": under a second
        enable_recording="1",
        fork_call="0",
    )
    call_hash = queued_hash(answer)
    (only,) = history(setup.api)
    assert int(only["duration"]) <= 2
    recordings = setup.api.json("get_recordings", call_hash=call_hash)["recordings"]
    assert recordings["recording_details"] == []
    rate, billed = float(only["current_rate"]), float(only["billed_amount"])
    assert billed == pytest.approx(rate * int(only["billed_duration"]) / 60, abs=0.0001)


def test_only_the_chosen_triggers_are_sent(setup: Setup) -> None:
    with receiving() as receiver:
        broadcast(
            setup,
            destination_number="5145550001",  # busy
            client_media_file_id=media_file(setup),
            notify_callback_url=receiver.url("/hangups?campaign=7"),
            notify_callback_triggers="on_answer,on_hangup",
        )
    (hit,) = receiver.at("/hangups")
    assert hit.query == {"campaign": "7"}  # the URL's own arguments kept
    body = orjson.loads(hit.body)
    assert (body["trigger"], body["disposition"], body["duration"]) == ("on_hangup", "busy", "0")
    main, forked = history(setup.api)
    assert (main["disposition"], forked["disposition"]) == ("busy", "cancelled")
