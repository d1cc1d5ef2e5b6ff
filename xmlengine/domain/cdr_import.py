"""Importing call detail records (CSV or JSON) into an account's call history.

Every record is read, checked and logged through `record_calls` in the caller's one
transaction: a single bad record makes the import refuse, with every bad record's line
number, and nothing is left half-imported. The columns are documented in
docs/cdr-import.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, TextIO

from sqlalchemy import Connection, select

from xmlengine.domain.calls.records import CallInput, record_calls
from xmlengine.storage import account_tables, tables
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import EXTRA_FIELDS, calls

MAX_PROBLEMS: Final = 50
BATCH: Final = 1000

_INTEGERS: Final = (
    "duration",
    "billed_duration",
    "client_peer_id",
    "client_did_id",
    "client_channel_id",
    "client_subaccount_id",
    *EXTRA_FIELDS[1:],
)
_DECIMALS: Final = ("billed_amount", "current_rate")
_TEXTS: Final = (
    "direction",
    "source",
    "destination",
    "disposition",
    "callerid_name",
    "callerid_number",
    "routing_type",
    "bindings",
    "source_type",
    "source_details",
    "destination_type",
    "destination_details",
    "metadata",
    "call_hash",
    "failure_code",
)
_TIMES: Final = ("started_at", "datetime", "date", "time")
COLUMNS: Final = frozenset((*_TIMES, *_INTEGERS, *_DECIMALS, *_TEXTS))
_LOCAL = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} bad record(s)")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    fields: Mapping[str, Any]


Row = Record | Problem


def read_csv(stream: TextIO) -> Iterator[Row]:
    """Records of a CSV file with a header line; the line a record starts on."""
    reader = csv.DictReader(stream, restkey="\x00extra")
    unknown = sorted(set(reader.fieldnames or ()) - COLUMNS)
    if not reader.fieldnames:
        yield Problem(1, "no header line")
        return
    if unknown:
        yield Problem(1, f"unknown column(s): {', '.join(unknown)}")
        return
    start = reader.line_num + 1
    for row in reader:
        if "\x00extra" in row:
            yield Problem(start, "more values than columns")
        else:
            yield Record(start, row)
        start = reader.line_num + 1


def read_json(text: str) -> Iterator[Row]:
    """Records of a JSON array of objects, or of JSON Lines (one object per line)."""
    decoder = json.JSONDecoder()
    at = _skip_space(text, 0)
    in_array = text.startswith("[", at)
    if in_array:
        at = _skip_space(text, at + 1)
    while at < len(text):
        if in_array and text.startswith("]", at):
            return
        line = text.count("\n", 0, at) + 1
        try:
            value, end = decoder.raw_decode(text, at)
        except json.JSONDecodeError as error:
            yield Problem(text.count("\n", 0, error.pos) + 1, f"not JSON: {error.msg}")
            return
        if isinstance(value, dict):
            unknown = sorted(set(value) - COLUMNS)
            if unknown:
                yield Problem(line, f"unknown field(s): {', '.join(unknown)}")
            else:
                yield Record(line, value)
        else:
            yield Problem(line, "a call record is a JSON object")
        at = _skip_space(text, end)
        if in_array and text.startswith(",", at):
            at = _skip_space(text, at + 1)
        elif in_array and not text.startswith("]", at):
            yield Problem(text.count("\n", 0, at) + 1, "expected ',' or ']'")
            return


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def to_call(fields: Mapping[str, Any], tz: dt.tzinfo) -> CallInput:
    """A call from one record's fields; ValueError names what is wrong."""
    values = {k: v for k, v in fields.items() if v is not None and v != ""}
    found: dict[str, Any] = {}
    problems = []
    try:
        found["started_at"] = _start(values, tz)
    except ValueError as error:
        problems.append(str(error))
    for name in _INTEGERS:
        if name in values:
            try:
                found[name] = _integer(values[name])
            except ValueError:
                problems.append(f"{name}: a whole number")
    for name in _DECIMALS:
        if name in values:
            try:
                found[name] = float(values[name])
            except (TypeError, ValueError):
                problems.append(f"{name}: a number")
    for name in _TEXTS:
        if name in values:
            value = values[name]
            if name == "metadata" and isinstance(value, dict | list):
                value = json.dumps(value)
            found[name] = str(value).strip() if name != "metadata" else str(value)
    for name in ("direction", "source", "destination"):
        if name not in found:
            problems.append(f"{name}: required")
    if problems:
        raise ValueError("; ".join(problems))
    extras = {name: found.pop(name) for name in EXTRA_FIELDS if name in found}
    if "call_hash" in found:
        found["call_hash"] = found["call_hash"].lower()
    call = CallInput(**found, extras=extras)
    invalid = call.problems()
    if invalid:
        raise ValueError("; ".join(invalid))
    return call


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(value)
    if isinstance(value, str) and not re.fullmatch(r"\s*-?\d{1,18}\s*", value):
        raise ValueError(value)
    return int(value)


def _start(values: Mapping[str, Any], tz: dt.tzinfo) -> float:
    given = [name for name in ("started_at", "datetime", "date") if name in values]
    if len(given) != 1 or ("date" in values) != ("time" in values):
        raise ValueError("the start: one of started_at, datetime, or date with time")
    try:
        if "started_at" in values:
            raw = values["started_at"]
            if isinstance(raw, int | float) and not isinstance(raw, bool):
                return float(raw)
            if re.fullmatch(r"\d+(\.\d+)?", str(raw).strip()):
                return float(raw)
            moment = dt.datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError("started_at: epoch seconds or a time with its UTC offset")
            return moment.timestamp()
        text = values["datetime"] if "datetime" in values else f"{values['date']} {values['time']}"
        text = str(text).strip()
        if not _LOCAL.match(text):
            raise ValueError(text)
        moment = dt.datetime.fromisoformat(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).timestamp()
    except ValueError as error:
        message = str(error)
        if message.startswith("started_at:"):
            raise
        raise ValueError("the start: a date YYYY-MM-DD and a time HH:MM:SS") from None


@dataclass(slots=True)
class Known:
    """What the records may name: the account's subaccounts and channels, hashes seen."""

    subaccounts: set[int]
    channels: set[int]
    hashes: set[str]


def _known(acct: AccountScope) -> Known:
    sub, chan = tables.subaccounts, account_tables.channels
    return Known(
        set(acct.execute(acct.select(sub, sub.c.client_subaccount_id)).scalars()),
        set(acct.execute(acct.select(chan, chan.c.client_channel_id)).scalars()),
        set(),
    )


def _refused(call: CallInput, known: Known) -> str | None:
    if call.client_subaccount_id and call.client_subaccount_id not in known.subaccounts:
        return "client_subaccount_id: not a subaccount of the account"
    if call.client_channel_id and call.client_channel_id not in known.channels:
        return "client_channel_id: not a channel group of the account"
    if call.call_hash is not None:
        if call.call_hash in known.hashes:
            return "call_hash: already in this file"
        known.hashes.add(call.call_hash)
    return None


def import_calls(
    acct: AccountScope,
    rows: Iterable[Row],
    *,
    logged: Callable[[Collection[str]], Iterable[str]],
    charge: bool = False,
    progress: Callable[[int], None] = lambda line: None,
) -> int:
    """Log every record, or none: ImportFailed lists the bad ones (the caller rolls back).

    `logged` names the hashes of those given that any account's history has already
    (`logged_hashes` over the import's transaction): a call_hash is unique everywhere.
    """
    known = _known(acct)
    problems: list[Problem] = []
    batch: list[tuple[int, CallInput]] = []
    count = 0

    def flush() -> None:
        nonlocal count
        _refuse_logged_hashes(logged, batch, problems)
        if not problems:
            record_calls(acct, [c for _, c in batch], charge=charge)
            count += len(batch)
        batch.clear()

    for row in rows:
        progress(row.line)
        if isinstance(row, Problem):
            problems.append(row)
        else:
            try:
                call = to_call(row.fields, acct.zone)
            except ValueError as error:
                problems.append(Problem(row.line, str(error)))
            else:
                refused = _refused(call, known)
                if refused:
                    problems.append(Problem(row.line, refused))
                batch.append((row.line, call))
        if len(problems) >= MAX_PROBLEMS:
            break
        if len(batch) >= BATCH:
            flush()
    if batch and len(problems) < MAX_PROBLEMS:
        flush()
    if problems:
        raise ImportFailed(problems)
    return count


def logged_hashes(conn: Connection, hashes: Collection[str]) -> list[str]:
    """Which of `hashes` any account's call history has: read across accounts, since a
    call_hash names one call everywhere."""
    query = select(calls.c.call_hash).where(calls.c.call_hash.in_(list(hashes)))
    return list(conn.execute(query).scalars())


def _refuse_logged_hashes(
    logged: Callable[[Collection[str]], Iterable[str]],
    batch: list[tuple[int, CallInput]],
    problems: list[Problem],
) -> None:
    """A call_hash already in the history (this account's or another's) is refused."""
    wanted = {call.call_hash: line for line, call in batch if call.call_hash}
    if not wanted:
        return
    for taken in logged(wanted.keys()):
        problems.append(Problem(wanted[taken], "call_hash: already logged"))
    problems.sort(key=lambda p: p.line)
