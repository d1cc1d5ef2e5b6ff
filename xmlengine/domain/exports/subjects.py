"""What can be exported: one `Subject` per kind of record, declared in `SUBJECTS`.

A subject names its rows (an owned table), the key that orders rows of the same moment,
the date column its period and order are read from, and its columns: each the name it
is written under (the CSV header, the JSON key), the table's columns it is made from and
how their values become text. Every value is text, as in the API's answers; times are
shown in the account's time zone, amounts in the currency the export was asked in.

A family adds its records to exports with one entry of `SUBJECTS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Table

from xmlengine.domain.calls.history import STATUS, CallSearch, fields_of, names_of
from xmlengine.domain.local_times import LocalTimes
from xmlengine.storage.call_tables import calls
from xmlengine.storage.fax_tables import call_faxes
from xmlengine.storage.media_tables import call_recordings
from xmlengine.storage.sms_tables import sms_messages


@dataclass(frozen=True, slots=True)
class Context:
    """How one export writes its values."""

    times: LocalTimes  # in the account's time zone
    exchange_rate: float  # CAD -> the export's currency
    language: str

    def names(self, kind: str) -> dict[int, str]:
        countries, states = names_of(self.language)
        return countries if kind == "country" else states


Show = Callable[[Sequence[Any], Context], str]


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # the CSV header, the JSON key
    reads: tuple[str, ...]  # the table's columns it is made from
    show: Show  # their values -> the text written


def _plain(values: Sequence[Any], _: Context) -> str:
    value = values[0]
    return "" if value is None else str(value)


def text(name: str, source: str = "") -> Column:
    """Text or a number, written as stored; nothing is empty."""
    return Column(name, (source or name,), _plain)


def nonzero(name: str) -> Column:
    """A number shown empty when it is 0 (a plain SMS has no attachment size)."""
    return Column(name, (name,), lambda v, _: str(v[0]) if v[0] else "")


def subaccount() -> Column:
    """`client_subaccount_id`, 0 for the main account, as get_sms and get_faxes show it."""
    return Column("client_subaccount_id", ("client_subaccount_id",), lambda v, _: str(v[0] or 0))


def date(name: str, source: str) -> Column:
    return Column(name, (source,), lambda v, ctx: ctx.times.date_time(v[0])[0])


def time(name: str, source: str) -> Column:
    return Column(name, (source,), lambda v, ctx: ctx.times.date_time(v[0])[1])


def money(name: str) -> Column:
    """An amount kept in CAD, with four decimals in the export's currency."""
    return Column(name, (name,), lambda v, ctx: f"{v[0] * ctx.exchange_rate:.4f}")


def mapped(name: str, source: str, texts: dict[str, str]) -> Column:
    return Column(name, (source,), lambda v, _: texts.get(v[0], str(v[0])))


def moment(name: str, source: str) -> Column:
    """A date and time, empty when there is none."""
    return Column(
        name, (source,), lambda v, ctx: "" if v[0] is None else " ".join(ctx.times.date_time(v[0]))
    )


def named(name: str, source: str) -> Column:
    """The name of a country or state id (`name` is "country" or "state")."""
    return Column(name, (source,), lambda v, ctx: ctx.names(name).get(v[0], ""))


@dataclass(frozen=True, slots=True)
class Subject:
    name: str
    table: Table  # owned: an `account_id` column
    key: str  # unique; orders the rows of one moment
    date_column: str  # epoch seconds
    columns: tuple[Column, ...]
    subaccount_column: str = "client_subaccount_id"

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def reads(self) -> tuple[str, ...]:
        """The table's columns a row is read with: each column's, then the keyset's."""
        wanted = [name for column in self.columns for name in column.reads]
        return (*dict.fromkeys(wanted), self.date_column, self.key)

    def texts(self, rows: Sequence[Sequence[Any]], ctx: Context) -> list[list[str]]:
        """Rows read with `reads`, as the texts of the columns."""
        position = {name: i for i, name in enumerate(self.reads)}
        plan = [(c.show, [position[name] for name in c.reads]) for c in self.columns]
        return [[show([row[i] for i in at], ctx) for show, at in plan] for row in rows]


_CALL_MONEY: Final = ("billed_amount", "current_rate", "monthly_usage")


def _call_column(name: str) -> Column:
    if name == "date":
        return date("date", "started_at")
    if name == "time":
        return time("time", "started_at")
    if name in ("country", "state"):
        return named(name, f"{name}_id")
    if name == "status":
        return mapped("status", "disposition", STATUS)
    if name in _CALL_MONEY:
        return money(name)
    return text(name)


# get_calls' fields on v1.1, with its `extras` and routing details (docs/call-history.md).
CALL_FIELDS: Final = fields_of(CallSearch(limit=0, extras=True, routing_details=True), "v1.1")

SUBJECTS: Final[dict[str, Subject]] = {
    subject.name: subject
    for subject in (
        Subject(
            "calls",
            calls,
            key="call_id",
            date_column="started_at",
            columns=tuple(_call_column(name) for name in CALL_FIELDS),
        ),
        Subject(
            "recordings",
            call_recordings,
            key="call_recording_id",
            date_column="created_at",
            columns=(
                text("call_recording_id"),
                text("recording_hash"),
                text("call_hash"),
                text("client_subaccount_id"),
                date("date", "created_at"),
                time("time", "created_at"),
                text("duration"),
                text("size"),
                text("status"),
                text("audio_format"),
            ),
        ),
        # get_sms' fields (docs/sms.md) but the attachment's download URL: its size and type.
        Subject(
            "sms",
            sms_messages,
            key="sms_log_id",
            date_column="created_at",
            columns=(
                text("sms_log_id"),
                text("sms_hash"),
                date("date", "created_at"),
                time("time", "created_at"),
                text("direction"),
                text("source_number"),
                text("destination_number"),
                text("client_did_id"),
                text("message"),
                nonzero("attachment_size"),
                text("attachment_mime_type"),
                text("status"),
                text("transmission_status"),
                moment("datetime_transmission", "transmitted_at"),
                subaccount(),
                text("message_type"),
                text("segments"),
                money("billed_amount"),
            ),
        ),
        # get_faxes' fields (docs/faxes.md) but the document's download URL.
        Subject(
            "faxes",
            call_faxes,
            key="call_fax_id",
            date_column="created_at",
            columns=(
                text("call_fax_id"),
                text("call_hash"),
                text("client_fax_profile_id"),
                subaccount(),
                text("client_did_id"),
                text("unique_id"),
                date("date", "created_at"),
                time("time", "created_at"),
                text("direction"),
                text("source_number"),
                text("destination_number"),
                text("pages"),
                text("size"),
                text("status"),
                text("transmission_status"),
                text("transmission_reason"),
                moment("datetime_transmission", "transmitted_at"),
            ),
        ),
    )
}


def context(zone: dt.tzinfo, exchange_rate: float, language: str) -> Context:
    return Context(LocalTimes(zone), exchange_rate, language)
