"""Credentials of both generations and the global errors (guide, "Initial query parameters")."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, select
from starlette.testclient import TestClient

from tests.conftest import codes, new_account, status
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials, add_user, rotate_token
from xmlengine.http.app import XmlEngineApp
from xmlengine.protocol.messages import MESSAGES, NAMING
from xmlengine.storage import tables

V10 = "/xml_engine/xml_engine.php"
V11 = "/api/v1.1/json/get_account_details"


def _get(client: TestClient, path: str, params: dict[str, str] | list[tuple[str, str]]) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    return response.json()


def v11(client: TestClient, **params: str) -> Any:
    return _get(client, V11, params)


def v10(client: TestClient, **params: str) -> Any:
    return _get(client, V10, {"output_format": "json", **params})


def _messages(answer: Any) -> list[tuple[str, str]]:
    return [
        (m["code"], m["_content"])
        for m in answer["response_details"]["response_messages"]["message"]
    ]


def _account_id(answer: Any) -> str:
    assert status(answer) == "success", codes(answer)
    return str(answer["account_details"]["client_account_id"])


# --- every way in --------------------------------------------------------------------------


def test_v11_username_and_token(client: TestClient, account: Credentials) -> None:
    answer = v11(client, username=account.username, auth_token=account.auth_token)
    assert _account_id(answer) == str(account.client_account_id)


def test_v11_client_user_id_and_token(client: TestClient, account: Credentials) -> None:
    answer = v11(client, client_user_id=str(account.client_user_id), auth_token=account.auth_token)
    assert _account_id(answer) == str(account.client_account_id)
    assert answer["account_details"]["username"] == account.username


def test_v10_client_account_id_and_token(client: TestClient, account: Credentials) -> None:
    answer = v10(
        client,
        request_type="get_account_details",
        client_account_id=str(account.client_account_id),
        auth_token=account.auth_token,
    )
    assert _account_id(answer) == str(account.client_account_id)


def test_surrounding_spaces_are_tolerated(client: TestClient, account: Credentials) -> None:
    answer = v11(client, username=f" {account.username} ", auth_token=f"{account.auth_token} ")
    assert _account_id(answer) == str(account.client_account_id)


def test_a_second_user_of_the_account_opens_the_same_account(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    second = app.deps.db.run_sync(
        lambda conn: add_user(
            conn, account.client_account_id, username=f"{account.username}-2", now=time.time()
        )
    )
    assert second.auth_token != account.auth_token
    by_name = v11(client, username=second.username, auth_token=second.auth_token)
    assert _account_id(by_name) == str(account.client_account_id)
    assert by_name["account_details"]["username"] == second.username
    by_account = v10(
        client,
        request_type="get_account_details",
        client_account_id=str(account.client_account_id),
        auth_token=second.auth_token,
    )
    assert _account_id(by_account) == str(account.client_account_id)
    # One user's token does not open another user, even of the same account.
    crossed = v11(client, username=account.username, auth_token=second.auth_token)
    assert codes(crossed) == ["authentication_failed"]


def test_a_rotated_token_replaces_the_old_one(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    rotated = app.deps.db.run_sync(lambda conn: rotate_token(conn, account.username))
    assert rotated is not None and rotated.auth_token != account.auth_token
    old = v11(client, username=account.username, auth_token=account.auth_token)
    assert codes(old) == ["authentication_failed"]
    new = v11(client, username=account.username, auth_token=rotated.auth_token)
    assert _account_id(new) == str(account.client_account_id)


# --- each global error where it belongs -----------------------------------------------------


def test_auth_username_required(client: TestClient, account: Credentials) -> None:
    answer = v11(client, auth_token=account.auth_token)
    assert _messages(answer) == [("auth_username_required", "Auth username is required.")]
    # v1.0 credentials do not open v1.1.
    answer = v11(
        client, client_account_id=str(account.client_account_id), auth_token=account.auth_token
    )
    assert codes(answer) == ["auth_username_required"]


@pytest.mark.parametrize("username", ["has space", "semi;colon", "x" * 65, "<user>"])
def test_auth_username_invalid(client: TestClient, account: Credentials, username: str) -> None:
    answer = v11(client, username=username, auth_token=account.auth_token)
    assert _messages(answer) == [("auth_username_invalid", "Auth username is invalid.")]


def test_a_username_sent_as_an_array_is_invalid(client: TestClient, account: Credentials) -> None:
    answer = _get(
        client, V11, [("username[]", account.username), ("auth_token", account.auth_token)]
    )
    assert codes(answer) == ["auth_username_invalid"]


def test_authentication_token_required(client: TestClient, account: Credentials) -> None:
    for params in (
        {"username": account.username},
        {"username": account.username, "auth_token": ""},
    ):
        answer = v11(client, **params)
        assert _messages(answer) == [("authentication_token_required", "Auth token is required.")]
    answer = v10(
        client, request_type="get_account_details", client_account_id=str(account.client_account_id)
    )
    assert codes(answer) == ["authentication_token_required"]


def test_authentication_failed_with_a_wrong_token(client: TestClient, account: Credentials) -> None:
    wrong = "0" * 32 if account.auth_token != "0" * 32 else "1" * 32
    assert codes(v11(client, username=account.username, auth_token=wrong)) == [
        "authentication_failed"
    ]
    assert codes(v11(client, client_user_id=str(account.client_user_id), auth_token=wrong)) == [
        "authentication_failed"
    ]
    assert codes(
        v10(
            client,
            request_type="get_account_details",
            client_account_id=str(account.client_account_id),
            auth_token=wrong,
        )
    ) == ["authentication_failed"]


def test_authentication_failed_with_the_token_of_another_user(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    other = new_account(app)
    assert codes(v11(client, username=account.username, auth_token=other.auth_token)) == [
        "authentication_failed"
    ]
    assert codes(
        v11(client, client_user_id=str(account.client_user_id), auth_token=other.auth_token)
    ) == ["authentication_failed"]
    v10_answer = v10(
        client,
        request_type="get_account_details",
        client_account_id=str(account.client_account_id),
        auth_token=other.auth_token,
    )
    assert codes(v10_answer) == ["authentication_failed"]


@pytest.mark.parametrize(
    "mangle",
    [
        str.upper,  # the guide: 32 *lowercase* hexadecimal characters
        lambda token: token[:31],
        lambda token: token + "0",
        lambda token: token[:31] + "g",
        lambda token: "not a token",
    ],
)
def test_authentication_failed_with_a_malformed_token(
    client: TestClient, account: Credentials, mangle: Any
) -> None:
    token = mangle(account.auth_token)
    if token == account.auth_token:  # an all-digit token has no upper case
        pytest.skip("this token is unchanged by the mangling")
    answer = v11(client, username=account.username, auth_token=token)
    assert codes(answer) == ["authentication_failed"]


def test_a_token_sent_as_an_array_fails(client: TestClient, account: Credentials) -> None:
    params = [("username", account.username), ("auth_token[]", account.auth_token)]
    assert codes(_get(client, V11, params)) == ["authentication_failed"]


def test_authentication_failed_for_an_unknown_user(
    client: TestClient, account: Credentials
) -> None:
    answer = v11(client, username=f"{account.username}-nobody", auth_token=account.auth_token)
    assert codes(answer) == ["authentication_failed"]
    answer = v11(client, client_user_id="1234", auth_token=account.auth_token)
    assert codes(answer) == ["authentication_failed"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_authentication_failed_names_what_was_sent(
    client: TestClient, account: Credentials, language: str
) -> None:
    wrong = "0" * 32 if account.auth_token != "0" * 32 else "1" * 32
    french = language == "fr"
    sent = {
        "username": v11(client, username=account.username, auth_token=wrong, language=language),
        "client_user_id": v11(
            client,
            client_user_id=str(account.client_user_id),
            auth_token="not a token",
            language=language,
        ),
        "client_account_id": v10(
            client,
            request_type="get_account_details",
            client_account_id=str(account.client_account_id),
            auth_token=wrong,
            language=language,
        ),
    }
    for name, answer in sent.items():
        ((code, text),) = _messages(answer)
        assert code == "authentication_failed"
        quoted = f"«\u00a0{name}\u00a0»" if french else f"'{name}'"
        assert quoted in text, (name, text)
        assert ("client_account_id" in text) == (name == "client_account_id"), text
    # v1.0 keeps the guide's own text.
    assert _messages(sent["client_account_id"])[0][1] == MESSAGES["authentication_failed"][french]


def _set_status(app: XmlEngineApp, table: Any, column: Any, value: int, new: str) -> None:
    def change(conn: Connection) -> None:
        conn.execute(table.update().where(column == value).values(status=new))

    app.deps.db.run_sync(change)


def test_authentication_failed_for_a_disabled_user(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    credentials = {"username": account.username, "auth_token": account.auth_token}
    assert status(v11(client, **credentials)) == "success"
    _set_status(
        app, tables.users, tables.users.c.client_user_id, account.client_user_id, "disabled"
    )
    assert codes(v11(client, **credentials)) == ["authentication_failed"]
    v10_answer = v10(
        client,
        request_type="get_account_details",
        client_account_id=str(account.client_account_id),
        auth_token=account.auth_token,
    )
    assert codes(v10_answer) == ["authentication_failed"]


def test_authentication_failed_for_a_disabled_account(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    accounts = tables.accounts
    _set_status(app, accounts, accounts.c.account_id, account.client_account_id, "suspended")
    answer = v11(client, username=account.username, auth_token=account.auth_token)
    assert codes(answer) == ["authentication_failed"]


def test_client_user_id_invalid(client: TestClient, account: Credentials) -> None:
    for user_id in ("123", "123456789", "12a45"):
        answer = v11(client, client_user_id=user_id, auth_token=account.auth_token)
        assert codes(answer) == ["client_user_id_invalid"]


# Arabic-Indic digits and superscripts: `str.isdigit` says yes to both.
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@pytest.mark.parametrize(
    "digits", [_ARABIC_INDIC, _SUPERSCRIPT], ids=["arabic-indic", "superscript"]
)
def test_login_ids_are_ascii_digits_only(
    client: TestClient, account: Credentials, digits: dict[int, str]
) -> None:
    user_id = str(account.client_user_id).translate(digits)
    answer = v11(client, client_user_id=user_id, auth_token=account.auth_token)
    assert codes(answer) == ["client_user_id_invalid"]
    account_id = str(account.client_account_id).translate(digits)
    answer = v10(
        client,
        request_type="get_account_details",
        client_account_id=account_id,
        auth_token=account.auth_token,
    )
    assert codes(answer) == ["client_account_id_invalid"]


def test_client_account_id_required(client: TestClient, account: Credentials) -> None:
    answer = v10(client, request_type="get_account_details", auth_token=account.auth_token)
    assert _messages(answer) == [("client_account_id_required", "Client account ID is required.")]
    # v1.1 credentials do not open v1.0.
    answer = v10(
        client,
        request_type="get_account_details",
        username=account.username,
        auth_token=account.auth_token,
    )
    assert codes(answer) == ["client_account_id_required"]


@pytest.mark.parametrize("account_id", ["1234567", "123456789", "1234567a", "-1234567"])
def test_client_account_id_invalid(
    client: TestClient, account: Credentials, account_id: str
) -> None:
    answer = v10(
        client,
        request_type="get_account_details",
        client_account_id=account_id,
        auth_token=account.auth_token,
    )
    assert _messages(answer) == [("client_account_id_invalid", "Client account ID is invalid.")]


def test_request_type_required(client: TestClient, account: Credentials) -> None:
    answer = v10(
        client, client_account_id=str(account.client_account_id), auth_token=account.auth_token
    )
    assert _messages(answer) == [("request_type_required", "Request type is required.")]
    answer = v10(
        client,
        request_type=" ",
        client_account_id=str(account.client_account_id),
        auth_token=account.auth_token,
    )
    assert codes(answer) == ["request_type_required"]


def test_request_type_invalid(client: TestClient, account: Credentials) -> None:
    answer = v10(
        client,
        request_type="get_everything",
        client_account_id=str(account.client_account_id),
        auth_token=account.auth_token,
    )
    assert _messages(answer) == [("request_type_invalid", "Request type is invalid.")]
    assert answer["response_details"]["request_type"] == "get_everything"
    auth = {"username": account.username, "auth_token": account.auth_token}
    assert codes(_get(client, "/api/v1.1/json/get_everything", auth)) == ["request_type_invalid"]


def test_every_missing_credential_is_reported_at_once(client: TestClient) -> None:
    assert codes(v11(client)) == ["authentication_token_required", "auth_username_required"]
    assert codes(v10(client)) == [
        "request_type_required",
        "authentication_token_required",
        "client_account_id_required",
    ]
    answer = v10(client, request_type="nope", client_account_id="12")
    assert codes(answer) == [
        "request_type_invalid",
        "authentication_token_required",
        "client_account_id_invalid",
    ]


def test_an_invalid_request_type_and_failed_credentials_are_both_reported(
    client: TestClient, account: Credentials
) -> None:
    answer = _get(
        client,
        "/api/v1.1/json/get_everything",
        {"username": account.username, "auth_token": "f" * 32},
    )
    assert codes(answer) == ["request_type_invalid", "authentication_failed"]


# --- language and currency ------------------------------------------------------------------


def test_french_descriptions(client: TestClient, account: Credentials) -> None:
    for language in ("fr", "FR", " fr "):
        answer = v10(client, language=language)
        assert _messages(answer) == [
            (code, MESSAGES[code][1])
            for code in (
                "request_type_required",
                "authentication_token_required",
                "client_account_id_required",
            )
        ]
    answer = v11(client, username=account.username, auth_token="f" * 32, language="fr")
    assert _messages(answer) == [
        ("authentication_failed", NAMING["authentication_failed", "username"][1])
    ]
    answer = v11(client, username="bad name", auth_token=account.auth_token, language="fr")
    assert _messages(answer) == [("auth_username_invalid", MESSAGES["auth_username_invalid"][1])]


def test_english_is_the_default_and_can_be_asked_for(client: TestClient) -> None:
    for params in ({}, {"language": "en"}, {"language": ""}):
        answer = v11(client, **params)
        assert _messages(answer)[0] == (
            "authentication_token_required",
            MESSAGES["authentication_token_required"][0],
        )


@pytest.mark.parametrize("language", ["de", "english", "f"])
def test_language_invalid(client: TestClient, account: Credentials, language: str) -> None:
    answer = v11(
        client, username=account.username, auth_token=account.auth_token, language=language
    )
    assert _messages(answer) == [("language_invalid", "Language is invalid.")]
    # Reported with the other problems, in English.
    assert codes(v11(client, language=language)) == [
        "language_invalid",
        "authentication_token_required",
        "auth_username_required",
    ]


@pytest.mark.parametrize("currency", ["GBP", "CA", "dollars"])
def test_currency_invalid(client: TestClient, account: Credentials, currency: str) -> None:
    auth = {"username": account.username, "auth_token": account.auth_token}
    answer = v11(client, **auth, currency=currency)
    assert _messages(answer) == [("currency_invalid", MESSAGES["currency_invalid"][0])]
    answer = v11(client, **auth, currency=currency, language="fr")
    assert _messages(answer) == [("currency_invalid", MESSAGES["currency_invalid"][1])]


@pytest.mark.parametrize("currency", ["CAD", "USD", "EUR", "eur", ""])
def test_valid_currencies_are_accepted(
    client: TestClient, account: Credentials, currency: str
) -> None:
    answer = v11(
        client, username=account.username, auth_token=account.auth_token, currency=currency
    )
    assert status(answer) == "success"


# --- the token at rest ---------------------------------------------------------------------


def test_the_token_is_stored_only_as_a_hash(app: XmlEngineApp, account: Credentials) -> None:
    def read(conn: Connection) -> list[Any]:
        return list(conn.execute(select(tables.users)).mappings())

    rows = app.deps.db.run_sync(read)
    (row,) = [r for r in rows if r["client_user_id"] == account.client_user_id]
    assert row["token_hash"] == hashlib.sha256(account.auth_token.encode()).hexdigest()
    for stored in rows:
        for value in stored.values():
            assert account.auth_token not in str(value)
            assert account.auth_token.upper() not in str(value)


# --- credentials verified a moment ago -----------------------------------------------------


@pytest.fixture
def cached(settings: Settings, clock: ManualClock) -> Iterator[tuple[XmlEngineApp, TestClient]]:
    """The app as served: a login verified is kept for `CACHE_SECONDS`."""
    app = create_app(dataclasses.replace(settings, auth_cache_seconds=CACHE_SECONDS), clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        yield app, client


CACHE_SECONDS = 5.0


def test_kept_credentials_open_the_account_until_they_expire(
    cached: tuple[XmlEngineApp, TestClient], clock: ManualClock
) -> None:
    """Found again by the credentials as sent: a token rotated by another process opens
    the account until its entry expires, and not after."""
    app, client = cached
    account = new_account(app)
    sent = {"username": account.username, "auth_token": account.auth_token}
    assert _account_id(v11(client, **sent)) == str(account.client_account_id)
    rotated = app.deps.db.run_sync(lambda conn: rotate_token(conn, account.username))
    assert rotated is not None
    clock.advance(CACHE_SECONDS - 1)
    assert _account_id(v11(client, **sent)) == str(account.client_account_id)
    clock.advance(1)
    assert codes(v11(client, **sent)) == ["authentication_failed"]
    assert _account_id(v11(client, username=account.username, auth_token=rotated.auth_token))


def test_kept_credentials_open_nothing_for_other_ones(
    cached: tuple[XmlEngineApp, TestClient],
) -> None:
    """Another token, another generation or another identifier of the same login is
    verified on its own, and fails or succeeds as it would have alone."""
    app, client = cached
    account = new_account(app)
    token = account.auth_token
    assert _account_id(v11(client, username=account.username, auth_token=token))
    wrong = ("0" if token[0] != "0" else "1") + token[1:]
    assert codes(v11(client, username=account.username, auth_token=wrong)) == [
        "authentication_failed"
    ]
    assert codes(v11(client, username=account.username, auth_token=token.upper())) == [
        "authentication_failed"
    ]
    spaced = v11(client, username=f" {account.username} ", auth_token=token)
    assert _account_id(spaced) == str(account.client_account_id)
    by_id = v11(client, client_user_id=str(account.client_user_id), auth_token=token)
    assert _account_id(by_id) == str(account.client_account_id)
    v10_answer = v10(
        client,
        request_type="get_account_details",
        client_account_id=str(account.client_account_id),
        auth_token=token,
    )
    assert _account_id(v10_answer) == str(account.client_account_id)
    arrays = [("username", account.username), ("auth_token[]", token)]
    assert codes(_get(client, V11, arrays)) == ["authentication_failed"]
    named_twice = [("username[]", account.username), ("auth_token", token)]
    assert codes(_get(client, V11, named_twice)) == ["auth_username_invalid"]


def test_kept_credentials_hold_no_token(cached: tuple[XmlEngineApp, TestClient]) -> None:
    app, client = cached
    account = new_account(app)
    assert _account_id(v11(client, username=account.username, auth_token=account.auth_token))
    kept = repr(app.deps.auth._cache)
    assert account.username in kept
    assert account.auth_token not in kept
    assert account.auth_token.upper() not in kept
