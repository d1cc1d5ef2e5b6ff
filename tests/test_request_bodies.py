"""Request bodies that cannot be read as parameters are refused whole, with an envelope
(HTTP 200, WIRE.md): a malformed multipart form, a body larger than 64 MiB."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, parse_xml, status
from xmlengine.http.app import MAX_BODY
from xmlengine.protocol.messages import describe

MIB = 1024 * 1024
BOUNDARY = "xmlengine-test-boundary"


def _part(name: str | None, value: str, filename: str | None = None) -> str:
    disposition = "form-data" + (f'; name="{name}"' if name is not None else "")
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n{value}\r\n"


def _form(*parts: str) -> bytes:
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


WITH_BOUNDARY = f"multipart/form-data; boundary={BOUNDARY}"
MALFORMED = {
    "no boundary": ("multipart/form-data", b"x"),
    "garbage": (WITH_BOUNDARY, b"\x00\xff not a multipart body at all \r\n--"),
    "a part without a name": (WITH_BOUNDARY, _form(_part(None, "38"))),
    "too many fields": (WITH_BOUNDARY, _form(*(_part(f"f{i}", "1") for i in range(10_001)))),
    "too many files": (
        WITH_BOUNDARY,
        _form(*(_part(f"file{i}", "x", filename=f"{i}.txt") for i in range(101))),
    ),
}


def _post(client: TestClient, api: Api, content: Any, **headers: str) -> Any:
    response = client.post(
        "/api/v1.1/json/get_countries", params=api.auth(), content=content, headers=headers
    )
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_multipart_body_answers_an_error_envelope(
    client: TestClient, api: Api, case: str
) -> None:
    content_type, body = MALFORMED[case]
    answer = _post(client, api, body, **{"content-type": content_type})
    assert answer["response_details"]["request_type"] == "get_countries"
    assert status(answer) == "error"
    assert codes(answer) == ["request_body_invalid"]


def test_a_well_formed_multipart_body_is_read(client: TestClient, api: Api) -> None:
    body = _form(_part("country_id", "38"))
    answer = _post(client, api, body, **{"content-type": WITH_BOUNDARY})
    assert status(answer) == "success", codes(answer)


def test_the_refusal_is_in_the_format_and_language_of_the_query(
    client: TestClient, api: Api
) -> None:
    response = client.post(
        "/xml_engine/xml_engine.php",
        params={
            "request_type": "get_countries",
            "client_account_id": str(api.credentials.client_account_id),
            "auth_token": api.credentials.auth_token,
            "language": "fr",
        },
        content=b"x",
        headers={"content-type": "multipart/form-data"},
    )
    assert response.status_code == 200
    xml = parse_xml(response.content)
    assert codes(xml) == ["request_body_invalid"]
    message = xml.find("response_details/response_messages/message")
    assert message is not None and message.text == describe("request_body_invalid", "fr")


def _chunks(total: int, size: int = MIB) -> Iterator[bytes]:
    chunk = b"a" * size
    sent = 0
    while sent < total:
        yield chunk[: total - sent]
        sent += size


def test_a_body_declared_larger_than_64_mib_is_refused_whole(client: TestClient, api: Api) -> None:
    body = b"country_id=38&padding=" + b"a" * (MAX_BODY - 21)
    assert len(body) == MAX_BODY + 1
    answer = _post(client, api, body, **{"content-type": "application/x-www-form-urlencoded"})
    assert codes(answer) == ["request_body_too_large"]


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", WITH_BOUNDARY])
def test_a_streamed_body_over_64_mib_is_refused_whole(
    client: TestClient, api: Api, content_type: str
) -> None:
    # In a multipart body, the bytes are a file's: no part limit stops it before 64 MiB.
    file_part = _part("x", "", filename="big.bin")[:-2].encode()
    head = b"country_id=38&x=" if "urlencoded" in content_type else file_part
    stream = (chunk for part in ([head], _chunks(MAX_BODY)) for chunk in part)
    answer = _post(client, api, stream, **{"content-type": content_type})
    assert codes(answer) == ["request_body_too_large"]


def test_a_body_of_64_mib_is_read(client: TestClient, api: Api) -> None:
    head = b"country_id=38&x="
    stream = (chunk for part in ([head], _chunks(MAX_BODY - len(head))) for chunk in part)
    answer = _post(client, api, stream, **{"content-type": "application/x-www-form-urlencoded"})
    assert status(answer) == "success", codes(answer)


def test_the_refusal_codes_have_their_texts() -> None:
    assert describe("request_body_too_large") == (
        "Request body is too large: at most 64 MiB is accepted."
    )
    assert describe("request_body_invalid", "fr").startswith("Le corps de la requête")
