"""Mailbox greetings are real audio: spoken by eSpeak NG or decoded from a posted WAV or
MP3, stored in the telephony format, listed by get_media_files, downloaded, counted in
the storage statistics and removed through the outbox."""

from __future__ import annotations

import array
import io
import math
import wave
from pathlib import Path
from typing import Any

import lameenc
import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import media_files, remove_files
from xmlengine.http.app import XmlEngineApp

SPEECH_RMS = 300  # eSpeak's speech is near 2000-3500; silence and hiss stay under 100


def mailbox(api: Api, **fields: str) -> int:
    answer = api.json("update_mailbox", mode="create", passcode="1234", **fields)
    assert status(answer) == "success", codes(answer)
    return int(answer["mailboxes"]["mailbox_details"][0]["client_mailbox_id"])


def greet(api: Api, files: dict[str, Any] | None = None, **fields: str) -> dict[str, Any]:
    response = api.client.post(
        "/api/v1.1/json/update_mailbox_greeting", params=api.auth(), data=fields, files=files
    )
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def media_item(answer: dict[str, Any]) -> dict[str, str]:
    (item,) = answer["media_files"]["media_file_details"]
    return item  # type: ignore[no-any-return]


def telephony_audio(data: bytes) -> tuple[float, float]:
    """Parsed by the standard library: 8 kHz mono 16-bit PCM; its seconds and RMS."""
    with wave.open(io.BytesIO(data), "rb") as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) == (1, 2, 8000)
        samples = array.array("h", audio.readframes(audio.getnframes()))
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    return len(samples) / 8000, rms


def download(client: TestClient, api: Api, item: dict[str, str]) -> bytes:
    url = item["download_url"]
    assert url == f"http://api.example.test/api/v1.1/media_files/{item['media_hash']}.wav"
    response = client.get(url, params=api.auth())
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    return response.content


@pytest.mark.parametrize(
    ("voice", "text"),
    [
        ("en-US-Standard-C", "Hello, you have reached the mailbox of Mary. Leave a message."),
        ("fr-CA-Standard-B", "Bonjour, vous avez joint la boîte vocale de Marie."),
    ],
)
def test_text_to_speech_is_spoken_in_the_voice_and_downloadable(
    api: Api, client: TestClient, voice: str, text: str
) -> None:
    box = mailbox(api)
    answer = greet(
        api, mode="text_to_speech", client_mailbox_id=str(box), text=text, voice_name=voice
    )
    assert status(answer) == "success", codes(answer)
    item = media_item(answer)
    (shown,) = answer["mailboxes"]["mailbox_details"]
    assert shown["client_media_file_id"] == item["client_media_file_id"]
    assert item["friendly_name"] == f"greeting_mailbox_{box}"
    assert (item["source"], item["voice_name"], item["client_mailbox_id"]) == (
        "text_to_speech",
        voice,
        str(box),
    )
    seconds, rms = telephony_audio(download(client, api, item))
    assert 2 < seconds < 10 and rms > SPEECH_RMS
    assert float(item["duration"]) == pytest.approx(seconds, abs=0.01)
    listed = api.json("get_media_files")["media_files"]["media_file_details"]
    assert listed == [item]
    other = Api(client, new_account(api.client.app))  # type: ignore[arg-type]
    assert client.get(item["download_url"], params=other.auth()).status_code == 404


def test_the_default_voice_is_the_guides_and_a_longer_text_lasts_longer(api: Api) -> None:
    box = mailbox(api)
    short = media_item(greet(api, mode="text_to_speech", client_mailbox_id=str(box), text="Oui"))
    assert short["voice_name"] == "fr-CA-Standard-A"
    longer = greet(
        api,
        mode="text_to_speech",
        client_mailbox_id=str(box),
        text="Oui, " * 20,
        friendly_name="Accueil",
    )
    item = media_item(longer)
    # The mailbox's own greeting gets new audio: the same media file, renamed.
    assert item["client_media_file_id"] == short["client_media_file_id"]
    assert item["friendly_name"] == "Accueil"
    assert float(item["duration"]) > 3 * float(short["duration"])


def _tone_wav(rate: int, channels: int, seconds: float) -> bytes:
    frames = array.array("h")
    for n in range(int(rate * seconds)):
        frames.extend([int(9000 * math.sin(2 * math.pi * 440 * n / rate))] * channels)
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(channels)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(frames.tobytes())
    return out.getvalue()


def _tone_mp3(seconds: float) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(22050)
    encoder.set_channels(1)
    encoder.set_quality(2)
    pcm = array.array(
        "h", (int(9000 * math.sin(2 * math.pi * 440 * n / 22050)) for n in range(22050 * 2))
    )
    return bytes(encoder.encode(pcm.tobytes()) + encoder.flush())


@pytest.mark.parametrize(
    ("name", "content_type", "data", "seconds"),
    [
        ("hello.wav", "audio/wav", _tone_wav(44100, 2, 1.5), 1.5),
        ("hello.mp3", "audio/mpeg", _tone_mp3(2.0), 2.0),
    ],
)
def test_a_posted_file_is_converted_to_the_telephony_format(
    api: Api, client: TestClient, name: str, content_type: str, data: bytes, seconds: float
) -> None:
    box = mailbox(api)
    answer = greet(
        api,
        {"attachments": (name, data, content_type)},
        mode="post_file",
        client_mailbox_id=str(box),
    )
    assert status(answer) == "success", codes(answer)
    item = media_item(answer)
    assert item["source"] == "post_file"
    got, rms = telephony_audio(download(client, api, item))
    assert got == pytest.approx(seconds, abs=0.1) and rms > SPEECH_RMS


def test_a_posted_file_that_is_not_audio_is_refused(api: Api) -> None:
    box = mailbox(api)
    answer = greet(
        api,
        {"attachments": ("notes.txt", b"not a sound at all" * 50, "text/plain")},
        mode="post_file",
        client_mailbox_id=str(box),
    )
    assert codes(answer) == ["attachments_invalid"]
    assert api.json("get_media_files")["media_files"]["media_file_details"] == []


def test_an_existing_file_greets_another_mailbox(api: Api) -> None:
    first, second = mailbox(api), mailbox(api)
    made = media_item(greet(api, mode="text_to_speech", client_mailbox_id=str(first), text="Hi"))
    answer = greet(
        api,
        mode="existing_file",
        client_mailbox_id=str(second),
        client_media_file_id=made["client_media_file_id"],
    )
    assert status(answer) == "success", codes(answer)
    (shown,) = answer["mailboxes"]["mailbox_details"]
    assert shown["client_media_file_id"] == made["client_media_file_id"]
    refused = greet(
        api, mode="existing_file", client_mailbox_id=str(second), client_media_file_id="999999"
    )
    assert codes(refused) == ["client_media_file_id_invalid"]
    # The file leaves with the mailbox it was made for: the other has no greeting then.
    assert status(api.json("delete_mailbox", client_mailbox_id=str(first))) == "success"
    (left,) = api.json("get_mailboxes")["mailboxes"]["mailbox_details"]
    assert (left["client_mailbox_id"], left["client_media_file_id"]) == (str(second), "")


def _medias(api: Api) -> tuple[int, int]:
    answer = api.json("get_storage_stats", storage_types="medias_size")
    (main, _whole) = answer["storage_stats"]["stat_details"]
    (usage,) = main["storage_types"]["storage_type_details"]
    return int(usage["size"]), int(usage["files"])


def test_media_files_count_in_storage_and_leave_with_their_mailbox(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    box = mailbox(api)
    first = media_item(greet(api, mode="text_to_speech", client_mailbox_id=str(box), text="Un"))
    assert _medias(api) == (int(first["size"]), 1)
    second = media_item(
        greet(api, mode="text_to_speech", client_mailbox_id=str(box), text="Un deux trois")
    )
    assert _medias(api) == (int(second["size"]), 1)  # the old audio left storage
    stored = media_files(app, api.credentials, "medias")
    assert len(stored) == 2  # the old file waits for the commit's removal
    remove_files(app, client)
    (kept,) = media_files(app, api.credentials, "medias")
    assert kept.stat().st_size == int(second["size"])
    assert status(api.json("delete_mailbox", client_mailbox_id=str(box))) == "success"
    assert kept.exists()  # until the outbox runs
    remove_files(app, client)
    assert not kept.exists()
    assert _medias(api) == (0, 0)
    assert api.json("get_media_files")["media_files"]["media_file_details"] == []
    gone = api.json("get_media_files", client_media_file_id=second["client_media_file_id"])
    assert codes(gone) == ["client_media_file_id_invalid"]
    assert client.get(second["download_url"], params=api.auth()).status_code == 404


def test_get_media_files_in_xml_and_by_subaccount(api: Api, tmp_path: Path) -> None:
    sid = api.json(
        "update_subaccount",
        mode="create",
        friendly_name="Shop",
        multi_tenancy_mode="disabled",
        status="enabled",
    )["subaccounts"]["subaccount_details"][0]["client_subaccount_id"]
    mine, theirs = mailbox(api), mailbox(api, client_subaccount_id=sid)
    greet(api, mode="text_to_speech", client_mailbox_id=str(mine), text="Main")
    made = media_item(greet(api, mode="text_to_speech", client_mailbox_id=str(theirs), text="Sub"))
    assert made["client_subaccount_id"] == sid
    xml = api.xml("get_media_files", client_subaccount_id=sid)
    (item,) = xml.findall("media_files/media_file_details")
    assert item.findtext("client_media_file_id") == made["client_media_file_id"]
    assert item.findtext("duration") == made["duration"]
    assert item.findtext("size") == made["size"]
