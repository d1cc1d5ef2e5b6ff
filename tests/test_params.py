"""Parameter tables: every reusable type valid, invalid and missing; rules; metadata.

The tables are declared here, as a family module would declare them, and parsed from
the raw values the HTTP layer hands over (strings, lists for `a[]`, mappings for `a[0]`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection
from starlette.testclient import TestClient

from tests.conftest import codes, new_account, status
from xmlengine.app import build_deps
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.http.app import XmlEngineApp
from xmlengine.params.addresses import Email, Ip, Mac, Phone, Port, SipUri, Url
from xmlengine.params.metadata import Metadata, PhpSerializedArray, attributes, unserialize
from xmlengine.params.records import Records
from xmlengine.params.rules import (
    date_span,
    equals,
    has_option,
    one_of,
    required_if,
    requires,
    together,
)
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Anything,
    Bool,
    Choice,
    Date,
    DateTime,
    Digits,
    Dtmf,
    Hash,
    Hex,
    Int,
    Invalid,
    Ref,
    Text,
    Upload,
    YesNo,
)
from xmlengine.protocol.registry import Family, Registry, Reply
from xmlengine.protocol.tree import El
from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope

UUID = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
HEX32 = "0123456789abcdef0123456789abcdef"


class UploadedFile:
    """What the multipart parser hands over for a file: anything that is not a string."""

    filename = "fax.pdf"


FILE = UploadedFile()


class AllTypes(Params):
    text: str | None = p(Text(min_len=2, max_len=5))
    pattern: str | None = p(Text(pattern=r"[a-z]+"))
    digits: str | None = p(Digits(8))
    digits_range: str | None = p(Digits(4, 8))
    hex: str | None = p(Hex())
    hash: str | None = p(Hash())
    hash_uuid: str | None = p(Hash(uuid_form=True))
    hashes: list[str] | None = p(Hash(uuid_form=True, many=True))
    int: int | None = p(Int(minimum=-5, maximum=10))
    int_step: int | None = p(Int(minimum=0, step=5))
    ints: list[int] | None = p(Int(minimum=1, many=True))
    ref: int | None = p(Ref(kind="subaccount", many=False))
    refs: list[int] | None = p(Ref(kind="subaccount", many=True, max_count=3))
    choice: str | None = p(Choice(values=("inbound", "outbound")))
    choice_nocase: str | None = p(Choice(values=("on", "off"), case_sensitive=False))
    choices: list[str] | None = p(Choice(values=("a", "b", "c"), many=True))
    bool: bool | None = p(Bool())
    yes_no: bool | None = p(YesNo())
    date: dt.date | None = p(Date())
    datetime: dt.datetime | None = p(DateTime())
    phone: str | None = p(Phone())
    phones: list[str] | None = p(Phone(many=True))
    nanp: str | None = p(Phone(min_len=10, max_len=10))
    email: str | None = p(Email(max_len=30))
    emails: list[str] | None = p(Email(many=True))
    url: str | None = p(Url())
    dtmf: str | None = p(Dtmf())
    sip_uri: str | None = p(SipUri())
    ip: str | None = p(Ip())
    port: int | None = p(Port())
    mac: str | None = p(Mac())
    anything: str | None = p(Anything())
    records: list[dict[str, Any]] | None = p(Records(min_count=1, max_count=2))
    upload: list[Any] | None = p(Upload())
    serialized: str | None = p(PhpSerializedArray())


VALID: list[tuple[str, Any, Any]] = [
    ("text", "ab", "ab"),
    ("text", " ab ", " ab "),  # free text keeps its spaces
    ("pattern", "abc", "abc"),
    ("digits", "12345678", "12345678"),
    ("digits_range", "1234", "1234"),
    ("digits_range", "12345678", "12345678"),
    ("hex", HEX32.upper(), HEX32),
    ("hash", HEX32, HEX32),
    ("hash_uuid", UUID, UUID),
    ("hash_uuid", HEX32, HEX32),
    ("hashes", f"{HEX32},{UUID}", [HEX32, UUID]),
    ("hashes", [HEX32, UUID], [HEX32, UUID]),
    ("int", "-5", -5),
    ("int", "10", 10),
    ("int", "007", 7),
    ("int_step", "15", 15),
    ("ints", "1, 2,3", [1, 2, 3]),
    ("ints", ["4", "5"], [4, 5]),
    ("ints", {"0": "6", "1": "7"}, [6, 7]),
    ("ref", "0", 0),
    ("ref", "42", 42),
    ("refs", "1,2,3", [1, 2, 3]),
    ("choice", "inbound", "inbound"),
    ("choice_nocase", "ON", "on"),
    ("choices", "a,c,a", ["a", "c"]),
    ("choices", ["b"], ["b"]),
    ("bool", "1", True),
    ("bool", "0", False),
    ("bool", "true", True),
    ("bool", "FALSE", False),
    ("yes_no", "yes", True),
    ("yes_no", "No", False),
    ("date", "2024-02-29", dt.date(2024, 2, 29)),
    ("datetime", "2024-02-29 23:59:59", dt.datetime(2024, 2, 29, 23, 59, 59)),
    ("phone", "5145550000", "5145550000"),
    ("phone", "+1 (514) 555-0000", "15145550000"),
    ("phones", "5145550000,+33123456789", ["5145550000", "33123456789"]),
    ("nanp", "+1 514 555 0000", "5145550000"),
    ("nanp", "5145550000", "5145550000"),
    ("email", "a.b+c@example.com", "a.b+c@example.com"),
    ("emails", "a@example.com, b@example.org", ["a@example.com", "b@example.org"]),
    ("url", "https://hooks.example.com/sms?key=1", "https://hooks.example.com/sms?key=1"),
    ("url", "http://10.0.0.1:8080/x", "http://10.0.0.1:8080/x"),
    ("dtmf", "12*#w9", "12*#w9"),
    ("sip_uri", "sip:alice@pbx.example.com", "sip:alice@pbx.example.com"),
    ("sip_uri", "bob@10.0.0.1:5060", "bob@10.0.0.1:5060"),
    ("ip", "192.168.0.1", "192.168.0.1"),
    ("ip", "2001:DB8::1", "2001:db8::1"),
    ("port", "5060", 5060),
    ("mac", "00:1A:2b:3c:4D:5e", "001a2b3c4d5e"),
    ("mac", "001a.2b3c.4d5e", "001a2b3c4d5e"),
    ("anything", "  any <text> ]]> kept as given ", "  any <text> ]]> kept as given "),
    ("records", {"0": {"x": "1"}}, [{"x": "1"}]),
    ("records", [{"x": "1"}, {"y": "2"}], [{"x": "1"}, {"y": "2"}]),
    ("upload", FILE, [FILE]),
    ("upload", [FILE, FILE], [FILE, FILE]),
    ("serialized", 'a:1:{s:4:"name";s:5:"value";}', 'a:1:{s:4:"name";s:5:"value";}'),
]

INVALID: list[tuple[str, Any]] = [
    ("text", "a"),
    ("text", "abcdef"),
    ("text", ["ab"]),
    ("text", {"0": "ab"}),
    ("pattern", "ABC"),
    ("digits", "1234567"),
    ("digits", "123456789"),
    ("digits", "1234567a"),
    ("digits", "١٢٣٤٥٦٧٨"),  # Arabic-Indic digits: not digits on this wire
    ("digits_range", "123"),
    ("digits_range", "123456789"),
    ("hex", HEX32[:31]),
    ("hex", HEX32[:31] + "g"),
    ("hash", UUID),
    ("hash_uuid", UUID.replace("-", "_")),
    ("hashes", f"{HEX32},nope"),
    ("int", "-6"),
    ("int", "11"),
    ("int", "1.5"),
    ("int", "1e3"),
    ("int", "٣"),  # Arabic-Indic three
    ("int", "9" * 19),
    ("int_step", "7"),
    ("ints", "1,x"),
    ("ints", "0"),
    ("ints", "1,2147483648"),
    ("ref", "-1"),
    ("ref", "2147483648"),  # ids are 32-bit
    ("refs", "1,2,3,4"),
    ("choice", "Inbound"),
    ("choice", "both"),
    ("choice_nocase", "maybe"),
    ("choices", "a,d"),
    ("bool", "yes"),
    ("bool", "2"),
    ("yes_no", "1"),
    ("date", "2023-02-29"),
    ("date", "2024-2-1"),
    ("date", "2024-02-01 00:00:00"),
    ("date", "٢٠٢٤-٠١-٠١"),
    ("datetime", "2024-02-29"),
    ("datetime", "2024-02-29T10:00:00"),
    ("datetime", "2024-02-29 24:00:00"),
    ("phone", "514555000"),
    ("phone", "1234567890123456"),
    ("phone", "514555000a"),
    ("nanp", "25145550000"),
    ("nanp", "+33123456789"),
    ("phones", "5145550000,12"),
    ("email", "not-an-email"),
    ("email", "a@b"),
    ("email", f"{'a' * 20}@example.com"),
    ("emails", "a@example.com,nope"),
    ("url", "ftp://example.com/x"),
    ("url", "https://"),
    ("url", "example.com/path"),
    ("url", "http://[::1"),
    ("url", "http://[not-ipv6]/x"),
    ("dtmf", "12x"),
    ("sip_uri", "alice"),
    ("ip", "256.0.0.1"),
    ("ip", "localhost"),
    ("port", "0"),
    ("port", "65536"),
    ("mac", "00:1a:2b:3c:4d"),
    ("mac", "00:1a:2b:3c:4d:zz"),
    ("anything", ["x"]),
    ("anything", "a\x00b"),  # no database keeps a NUL in text
    ("records", "x"),
    ("records", {"0": "x"}),
    ("records", {"0": {"x": "1"}, "1": {"x": "2"}, "2": {"x": "3"}}),
    ("upload", "not a file"),
    ("serialized", 's:3:"abc";'),
    ("serialized", 'a:1:{s:4:"name";s:5:"value";}trailing'),
    ("serialized", 'a:1:{s:4:"name";s:9:"value";}'),
    ("serialized", 'O:8:"stdClass":0:{}'),
    ("serialized", 'a:1:{s:4:"name";'),
    ("serialized", "a:" + "1:{i:0;a:" * 5000 + "0:{}" + "}" * 5000),
]


@pytest.mark.parametrize(("name", "raw", "expected"), VALID)
def test_a_valid_value_is_parsed(name: str, raw: Any, expected: Any) -> None:
    args, errors = AllTypes.parse({name: raw})
    assert errors == []
    assert getattr(args, name) == expected
    assert args.given(name) and args.sent(name)


@pytest.mark.parametrize(("name", "raw"), INVALID)
def test_an_invalid_value_is_refused_with_its_code(name: str, raw: Any) -> None:
    args, errors = AllTypes.parse({name: raw})
    assert errors == [f"{name}_invalid"]
    assert getattr(args, name) is None
    assert not args.given(name) and args.sent(name)


@pytest.mark.parametrize("name", sorted(AllTypes.table))
@pytest.mark.parametrize("missing", [None, "", [], {}])
def test_a_missing_optional_value_takes_its_default(name: str, missing: Any) -> None:
    raw = {} if missing is None else {name: missing}
    args, errors = AllTypes.parse(raw)
    assert errors == []
    assert getattr(args, name) is None
    assert not args.sent(name)


TYPED_TEXT = [
    (name, raw, expected)
    for name, raw, expected in VALID
    if isinstance(raw, str) and not AllTypes.table[name].type.keeps_spaces
]


@pytest.mark.parametrize(("name", "raw", "expected"), TYPED_TEXT)
@pytest.mark.parametrize("around", ["{}\n", " {} ", "\t{}\r\n"])
def test_white_space_around_a_typed_value_is_not_part_of_it(
    name: str, raw: str, expected: Any, around: str
) -> None:
    args, errors = AllTypes.parse({name: around.format(raw)})
    assert errors == []
    assert getattr(args, name) == expected


@pytest.mark.parametrize("name", sorted({name for name, _, _ in TYPED_TEXT}))
def test_white_space_alone_is_no_typed_value(name: str) -> None:
    args, errors = AllTypes.parse({name: " \n"})
    assert errors == []
    assert not args.sent(name)


def test_free_text_keeps_its_spaces() -> None:
    assert {n for n, p in AllTypes.table.items() if p.type.keeps_spaces} == {
        "text",
        "anything",
        "serialized",
    }
    args, errors = AllTypes.parse({"text": " ab\n", "anything": "\n x \n"})
    assert errors == []
    assert (args.text, args.anything) == (" ab\n", "\n x \n")


@pytest.mark.parametrize("name", sorted(set(AllTypes.table) - {"records", "upload"}))
def test_a_nul_character_is_refused_by_every_type(name: str) -> None:
    _, errors = AllTypes.parse({name: "ab\x00"})
    assert errors == [f"{name}_invalid"]


@pytest.mark.parametrize(
    ("value", "valid"),
    [("2147483647", True), ("2147483648", False), ("-2147483648", True), ("-2147483649", False)],
)
def test_an_unbounded_integer_is_32_bit(value: str, valid: bool) -> None:
    class Unbounded(Params):
        number: int | None = p(Int())

    assert Unbounded.parse({"number": value})[1] == ([] if valid else ["number_invalid"])


def test_every_type_is_covered_valid_and_invalid() -> None:
    assert {name for name, _, _ in VALID} == set(AllTypes.table)
    assert {name for name, _ in INVALID} == set(AllTypes.table)


class Required(Params):
    destination_number: str = p(Phone(), required=True)
    client_did_id: int = p(Int(minimum=1), required=True)
    retry_limit: int = p(Int(minimum=0, maximum=5), default=2)
    callerid: str | None = p(Text(max_len=3), code="callerid_name")
    special: str | None = p(Text(max_len=3))


def test_missing_required_values_are_all_reported() -> None:
    args, errors = Required.parse({})
    assert errors == ["destination_number_required", "client_did_id_required"]
    assert args.retry_limit == 2


def test_all_errors_are_collected_at_once_in_declaration_order() -> None:
    _, errors = Required.parse(
        {"client_did_id": "0", "retry_limit": "6", "callerid": "toolong", "special": "x" * 9}
    )
    assert errors == [
        "destination_number_required",
        "client_did_id_invalid",
        "retry_limit_invalid",
        "callerid_name_invalid",
        "special_invalid",
    ]


def test_a_refused_value_keeps_the_default() -> None:
    args, errors = Required.parse(
        {"destination_number": "5145550000", "client_did_id": "3", "retry_limit": "x"}
    )
    assert errors == ["retry_limit_invalid"]
    assert args.retry_limit == 2
    assert (args.destination_number, args.client_did_id) == ("5145550000", 3)


def test_a_type_may_name_its_own_code() -> None:
    class Coded(Params):
        plain: str | None = p(Text(max_len=1))
        own: str | None = p(Choice(values=("x",)))

    class Refusing(Text):
        invalid_code = "value_not_supported"

    class Typed(Params):
        field: str | None = p(Refusing(max_len=1))

    assert Coded.parse({"plain": "ab", "own": "y"})[1] == ["plain_invalid", "own_invalid"]
    assert Typed.parse({"field": "ab"})[1] == ["value_not_supported"]

    class Raising(Text):
        def parse(self, raw: Any) -> str:
            raise Invalid("phone_number_not_found")

    class WithRaising(Params):
        number: str | None = p(Raising())

    assert WithRaising.parse({"number": "1"})[1] == ["phone_number_not_found"]


def test_inherited_parameters_are_part_of_the_table() -> None:
    class Base(Params):
        language: str | None = p(Choice(values=("en", "fr")))

    class Child(Base):
        name: str = p(Text(), required=True)

    assert list(Child.table) == ["language", "name"]
    assert Child.parse({"language": "de"})[1] == ["language_invalid", "name_required"]


# --- rules ------------------------------------------------------------------------------------


class Ranged(Params):
    date_from: dt.date | None = p(Date())
    date_to: dt.date | None = p(Date())
    rules = (together("date_from", "date_to"), date_span("date_from", "date_to", months=12))


class Dependent(Params):
    mode: str | None = p(Choice(values=("create", "update")))
    options: list[str] | None = p(Choice(values=("record", "notify"), many=True))
    name: str | None = p(Text(max_len=10))
    email: str | None = p(Email())
    callback_url: str | None = p(Url())
    client_did_id: int | None = p(Int(minimum=1))
    source_number: str | None = p(Phone())
    rules = (
        requires("callback_url", "email"),
        one_of("client_did_id", "source_number"),
        required_if("name", equals("mode", "create")),
        required_if("email", has_option("notify"), code="notification_email_required"),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({}, []),
        ({"date_from": "2024-01-01", "date_to": "2024-01-31"}, []),
        ({"date_from": "2024-01-01"}, ["date_to_required"]),
        ({"date_to": "2024-01-01"}, ["date_from_required"]),
        ({"date_from": "2024-01-02", "date_to": "2024-01-01"}, ["date_range_invalid"]),
        ({"date_from": "2024-01-15", "date_to": "2025-01-15"}, []),
        ({"date_from": "2024-01-15", "date_to": "2025-01-16"}, ["date_range_invalid"]),
        ({"date_from": "2024-02-29", "date_to": "2025-02-28"}, []),
        ({"date_from": "2024-02-29", "date_to": "2025-03-01"}, ["date_range_invalid"]),
        ({"date_from": "2023-03-31", "date_to": "2024-03-31"}, []),
        ({"date_from": "2023-03-31", "date_to": "2024-04-01"}, ["date_range_invalid"]),
    ],
)
def test_together_and_a_twelve_month_span(raw: dict[str, str], expected: list[str]) -> None:
    assert Ranged.parse(raw)[1] == expected


def test_a_refused_value_is_not_also_reported_missing_by_a_rule() -> None:
    assert Ranged.parse({"date_from": "2024-13-01", "date_to": "2024-01-01"})[1] == [
        "date_from_invalid"
    ]
    assert Ranged.parse({"date_from": "bad", "date_to": "worse"})[1] == [
        "date_from_invalid",
        "date_to_invalid",
    ]
    _, errors = Dependent.parse(
        {"callback_url": "https://x.example/", "email": "nope", "source_number": "12"}
    )
    assert errors == ["email_invalid", "source_number_invalid"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"client_did_id": "1"}, []),
        ({"source_number": "5145550000"}, []),
        ({}, ["client_did_id_required"]),
        ({"client_did_id": "1", "callback_url": "https://x.example/"}, ["email_required"]),
        ({"client_did_id": "1", "callback_url": "https://x.example/", "email": "a@b.co"}, []),
        ({"client_did_id": "1", "mode": "create"}, ["name_required"]),
        ({"client_did_id": "1", "mode": "update"}, []),
        ({"client_did_id": "1", "mode": "create", "name": "x"}, []),
        ({"client_did_id": "1", "options": "record"}, []),
        ({"client_did_id": "1", "options": "record,notify"}, ["notification_email_required"]),
        (
            {"mode": "create", "options": ["notify"], "callback_url": "https://x.example/"},
            [
                "email_required",
                "client_did_id_required",
                "name_required",
                "notification_email_required",
            ],
        ),
        # A refused `mode` is not "create": its own error only.
        ({"client_did_id": "1", "mode": "destroy"}, ["mode_invalid"]),
    ],
)
def test_requires_one_of_and_required_if(raw: dict[str, Any], expected: list[str]) -> None:
    assert Dependent.parse(raw)[1] == expected


def test_one_of_with_the_guides_code() -> None:
    class Either(Params):
        message: str | None = p(Text())
        media: list[Any] | None = p(Upload())
        rules = (one_of("message", "media", code="message_or_media_required"),)

    assert Either.parse({})[1] == ["message_or_media_required"]
    assert Either.parse({"message": "hi"})[1] == []
    assert Either.parse({"media": FILE})[1] == []


def test_a_duplicate_code_is_reported_once() -> None:
    class Twice(Params):
        a: str | None = p(Text())
        b: str | None = p(Text())
        rules = (one_of("a", "b"), requires("b", "a"), one_of("b", "a", code="a_required"))

    assert Twice.parse({})[1] == ["a_required"]


# --- PHP-serialized metadata -----------------------------------------------------------------


def test_unserialize_reads_every_php_scalar_and_arrays() -> None:
    value = (
        'a:6:{s:1:"i";i:-42;s:1:"d";d:0.5;s:1:"t";b:1;s:1:"f";b:0;s:1:"n";N;i:7;a:1:{i:0;s:0:"";}}'
    )
    parsed, end = unserialize(value, 0)
    assert end == len(value)
    assert parsed == {"i": -42, "d": 0.5, "t": True, "f": False, "n": None, 7: {0: ""}}


def test_string_lengths_count_utf8_bytes_as_php_does() -> None:
    assert unserialize('s:5:"été";', 0) == ("été", 10)
    for wrong in ('s:3:"été";', 's:4:"été";', 's:6:"été";'):
        with pytest.raises(ValueError):
            unserialize(wrong, 0)
    assert PhpSerializedArray().parse('a:1:{s:7:"région";s:7:"Québec";}')


def test_attributes_are_the_scalar_pairs_as_text() -> None:
    stored = 'a:5:{s:4:"name";s:5:"Alice";s:3:"age";i:30;s:2:"ok";b:1;s:2:"no";N;s:3:"sub";a:0:{}}'
    assert attributes(stored) == {"name": "Alice", "age": "30", "ok": "1", "no": ""}
    assert attributes("just some raw text") is None
    assert attributes('s:3:"abc";') is None
    assert attributes("a:0:{}") == {}


def test_metadata_parameters_mix_into_a_table() -> None:
    class UpdateThing(Metadata):
        name: str = p(Text(), required=True)

    args, errors = UpdateThing.parse(
        {"name": "x", "serialized_metadata": 'a:1:{s:1:"k";s:1:"v";}', "raw_metadata": " ]]> "}
    )
    assert errors == []
    assert args.serialized_metadata == 'a:1:{s:1:"k";s:1:"v";}'
    assert args.raw_metadata == " ]]> "
    _, errors = UpdateThing.parse({"serialized_metadata": "garbage"})
    assert errors == ["serialized_metadata_invalid", "name_required"]


# --- a check against the caller's account, through the HTTP app ------------------------------

probe = Family("probe")


@probe.request_type("probe_subaccount")
class ProbeSubaccount(Params):
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    client_subaccount_ids: list[int] | None = p(Ref(kind="subaccount", many=True))


@probe.handler(ProbeSubaccount)
def probe_subaccount(args: ProbeSubaccount, acct: AccountScope, show: Any) -> Reply:
    return Reply([El("checked", str(args.client_subaccount_id))])


@pytest.fixture
def probe_app(settings: Settings, clock: ManualClock) -> XmlEngineApp:
    deps = build_deps(settings, clock)
    deps.registry = Registry([probe])
    return XmlEngineApp(deps, access_log_enabled=False)


@pytest.fixture
def probe_client(probe_app: XmlEngineApp) -> Iterator[TestClient]:
    with TestClient(probe_app) as test_client:
        yield test_client


def _subaccount(app: XmlEngineApp, account_id: int) -> int:
    def insert(conn: Connection) -> int:
        result = conn.execute(
            tables.subaccounts.insert().values(
                account_id=account_id, friendly_name="sub", created_at=time.time()
            )
        )
        return int(result.inserted_primary_key[0])

    return app.deps.db.run_sync(insert)


def test_an_id_of_another_account_is_invalid_like_an_unknown_one(
    probe_app: XmlEngineApp, probe_client: TestClient
) -> None:
    mine, theirs = new_account(probe_app), new_account(probe_app)
    my_sub = _subaccount(probe_app, mine.client_account_id)
    their_sub = _subaccount(probe_app, theirs.client_account_id)
    auth = {"username": mine.username, "auth_token": mine.auth_token}

    def ask(**params: str) -> Any:
        response = probe_client.get("/api/v1.1/json/probe_subaccount", params={**auth, **params})
        return response.json()

    assert ask(client_subaccount_id=str(my_sub))["checked"] == str(my_sub)
    assert status(ask(client_subaccount_id="0")) == "success"  # 0: none
    for other in (their_sub, their_sub + my_sub + 1000):
        assert codes(ask(client_subaccount_id=str(other))) == ["client_subaccount_id_invalid"]
    assert status(ask(client_subaccount_ids=f"{my_sub}")) == "success"
    assert codes(ask(client_subaccount_ids=f"{my_sub},{their_sub}")) == [
        "client_subaccount_ids_invalid"
    ]
    # A shape error answers before the database is asked.
    both = ask(client_subaccount_id=str(their_sub), client_subaccount_ids="x")
    assert codes(both) == ["client_subaccount_ids_invalid"]
