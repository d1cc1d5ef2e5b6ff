"""Proxies, network status, autoprovision devices, TTS voice names."""

from __future__ import annotations

import uuid

from tests.conftest import Api, codes, status
from xmlengine.clock import ManualClock
from xmlengine.domain import network_status
from xmlengine.http.app import XmlEngineApp
from xmlengine.reference import tts


def test_proxies(api: Api) -> None:
    proxies = api.json("get_proxies")["proxies"]["proxy_details"]
    assert [p["proxy_id"] for p in proxies][:3] == ["1", "2", "3"]
    assert proxies[0]["country"] == "Canada" and proxies[0]["port"] == "5060"
    xml = api.xml("get_proxies", proxy_id="2")
    assert xml.find("proxies").get("result_count") == "1"
    assert xml.findtext("proxies/proxy_details/city") == "Vancouver"
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_proxies", proxy_id="999")) == ["proxy_id_invalid"]
        assert codes(fmt("get_proxies", proxy_id="one")) == ["proxy_id_invalid"]


def test_network_status_latest_unresolved_and_paging(
    app: XmlEngineApp, api: Api, clock: ManualClock
) -> None:
    # The catalog is shared by every account: entries dated after any other test's.
    base = clock.now() + 10 * 365 * 86_400
    tag = uuid.uuid4().hex[:8]
    ids = [
        app.deps.db.run_sync(
            lambda conn, n=n: network_status.post(
                conn, f"{tag} incident {n}", at=base + n, severity="major"
            )
        )
        for n in range(7)
    ]
    app.deps.db.run_sync(lambda conn: network_status.resolve(conn, ids[6], at=base + 100))
    latest = api.json("get_network_status")["network_status"]
    assert (latest["result_limit"], latest["result_offset"], latest["result_count"]) == (
        "5",
        "0",
        "5",
    )
    titles = [e["title"] for e in latest["network_status_details"]]
    assert titles == [f"{tag} incident {n}" for n in (6, 5, 4, 3, 2)]
    assert latest["network_status_details"][0]["status"] == "resolved"
    assert latest["network_status_details"][0]["date_resolved"] != ""
    unresolved = api.xml("get_network_status", mode="unresolved", limit="2", offset="1")
    found = [e.findtext("title") for e in unresolved.iterfind(".//network_status_details")]
    assert found == [f"{tag} incident 4", f"{tag} incident 3"]
    assert {e.findtext("status") for e in unresolved.iterfind(".//network_status_details")} == {
        "unresolved"
    }
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_network_status", mode="all")) == ["mode_invalid"]
        assert codes(fmt("get_network_status", limit="0")) == ["limit_invalid"]
        assert codes(fmt("get_network_status", limit="x", offset="-1")) == [
            "limit_invalid",
            "offset_invalid",
        ]


def test_devices_catalog(api: Api) -> None:
    devices = api.json("get_devices")["devices"]["device_details"]
    makes = {d["make"] for d in devices}
    assert {"Yealink", "Poly", "Grandstream", "Cisco", "Snom", "Fanvil"} <= makes
    yealink = api.xml("get_devices", make="yealink")
    models = [e.findtext("model") for e in yealink.iterfind("devices/device_details")]
    assert "T54W" in models and {e.text for e in yealink.iter("make")} == {"Yealink"}
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_devices", make="Acme")) == ["make_invalid"]


def test_tts_voice_names(api: Api) -> None:
    answer = api.json("get_tts_voice_name")
    assert status(answer) == "success"
    voices = answer["voice_names"]["voice_name_details"]
    assert {
        "voice_name": "fr-CA-Standard-A",
        "language": "fr",
        "language_code": "fr-CA",
        "gender": "female",
    } in voices
    assert {v["language"] for v in voices} == {"en", "fr"}
    xml = api.xml("get_tts_voice_name")
    assert xml.find("voice_names").get("result_count") == str(len(voices))
    assert tts.voice(tts.DEFAULT_VOICE) is not None
    assert tts.voice("xx-XX-Nothing") is None
