"""The message catalog covers the guide's error types, in English and French."""

import re

from tests.guide_tables import GUIDE, require_guide
from xmlengine.protocol.messages import LANGUAGES, MESSAGES, NAMING, describe

CODE = re.compile(r"^[a-z0-9_\-]+$")
NBSP = "\u00a0"


def guide_error_codes() -> list[str]:
    """Codes of the guide's "Error types" section, in order, duplicates included."""
    require_guide()
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Error types")
    codes: list[str] = []
    for line in lines[start + 1 :]:
        if line.strip() == "Api Metadata":
            break
        token = line.split(maxsplit=1)[0] if line.strip() else ""
        if CODE.match(token) and "_" in token:
            codes.append(token)
    return codes


def test_guide_parse_finds_the_tables() -> None:
    codes = guide_error_codes()
    assert len(codes) > 150
    for code in ("auth_username_invalid", "could_not_send", "no_e911_endpoint_found"):
        assert code in codes


def test_every_guide_code_is_in_the_catalog() -> None:
    missing = sorted(set(guide_error_codes()) - MESSAGES.keys())
    assert missing == []


def test_codes_the_server_adds() -> None:
    for code in (
        "request_type_not_implemented",
        "output_format_invalid",
        "date_range_invalid",
        "date_from_required",
        "date_to_required",
        "currency_invalid",
        "internal_error-invalid_argument",
    ):
        assert code in MESSAGES
    assert describe("output_format_invalid") == "Output format is invalid."
    assert describe("date_range_invalid") == "Date range is invalid."
    assert "webhook_delivery_id_invalid" not in MESSAGES


def test_every_entry_has_english_and_french_sentences() -> None:
    for code, (english, french) in MESSAGES.items():
        assert CODE.match(code), code
        assert english.strip() == english and english.endswith("."), code
        assert french.strip() == french and french.endswith("."), code
        assert "  " not in english and "  " not in french, code


def test_every_wording_after_a_parameter_has_both_languages() -> None:
    for (code, parameter), (english, french) in NAMING.items():
        assert code in MESSAGES
        assert f"'{parameter}'" in english
        assert f"«{NBSP}{parameter}{NBSP}»" in french
        assert describe(code, "en", parameter) == english
        assert describe(code, "fr", parameter) == french
    assert (
        describe("authentication_failed", "en", "client_account_id")
        == (MESSAGES["authentication_failed"][0])
    )


def test_french_differs_from_english() -> None:
    different = sum(1 for english, french in MESSAGES.values() if english != french)
    assert different / len(MESSAGES) >= 0.95


def test_french_guillemets_hold_no_break_spaces() -> None:
    for code, (_english, french) in MESSAGES.items():
        assert french.count("«") == french.count("»"), code
        assert "« " not in french and " »" not in french, code
        for i, char in enumerate(french):
            if char == "«":
                assert french[i + 1] == NBSP, code
            if char == "»":
                assert french[i - 1] == NBSP, code


def test_errata_are_fixed() -> None:
    assert MESSAGES["client_extension_id_invalid"][0] == "Client extension ID is invalid."
    assert MESSAGES["phone_number_not_found"][0] == "Phone number not found."
    assert MESSAGES["call_hash_invalid"][0] == "Call hash is invalid."
    assert MESSAGES["requests_soft_limit_reached"][0].endswith("may be denied.")


def test_catalog_texts() -> None:
    assert describe("phone_number_invalid") == "Phone number is invalid."
    assert describe("phone_number_invalid", "en") == "Phone number is invalid."
    assert describe("phone_number_invalid", "fr") == "Le numéro de téléphone est invalide."
    assert describe("auth_username_invalid", "fr") == (
        "Le nom d'utilisateur d'authentification est invalide."
    )


def test_languages() -> None:
    assert LANGUAGES == ("en", "fr")


def test_derived_required() -> None:
    assert describe("client_fax_profile_id_required") == "Client fax profile ID is required."
    assert describe("client_fax_profile_id_required", "fr") == (
        f"Le paramètre «{NBSP}client_fax_profile_id{NBSP}» est requis."
    )


def test_derived_invalid() -> None:
    assert describe("sms_did_invalid") == "SMS DID is invalid."
    assert describe("sms_did_invalid", "fr") == (
        f"Le paramètre «{NBSP}sms_did{NBSP}» est invalide."
    )
    assert describe("pbx_3cx_server_id_invalid") == "PBX 3CX server ID is invalid."
    assert describe("notify_url_invalid") == "Notify URL is invalid."
    assert describe("e911_ivr_moh_tts_invalid") == "E911 IVR MOH TTS is invalid."
    assert describe("vlan_mac_ip_uri_invalid") == "VLAN MAC IP URI is invalid."
    assert describe("dids_invalid") == "DIDs is invalid."
    assert describe("id_invalid") == "ID is invalid."


def test_derived_not_found() -> None:
    assert describe("client_fax_profile_id_not_found") == "Client fax profile ID not found."
    assert describe("client_fax_profile_id_not_found", "fr") == (
        f"Le paramètre «{NBSP}client_fax_profile_id{NBSP}» est introuvable."
    )


def test_catalog_wins_over_derivation() -> None:
    assert describe("prefix_required") == "No prefix nor ratecenter id was given."
    assert describe("client_did_id_invalid") == "Client DID ID is invalid."


def test_unknown_code() -> None:
    assert describe("something_odd") == "Error: something_odd."
    assert describe("something_odd", "fr") == f"Erreur{NBSP}: something_odd."
    assert describe("_required") == "Error: _required."
    assert describe("_invalid", "fr") == f"Erreur{NBSP}: _invalid."


def test_unknown_language_falls_back_to_english() -> None:
    assert describe("phone_number_invalid", "de") == "Phone number is invalid."
    assert describe("phone_number_invalid", "") == "Phone number is invalid."
    assert describe("client_fax_profile_id_required", "es") == (
        "Client fax profile ID is required."
    )
    assert describe("something_odd", "xx") == "Error: something_odd."
