"""Call notify settings of DIDs and peers: `enable_notify_callback`,
`notify_callback_url` and `notify_callback_triggers` (guide, update_did and update_peer).

A line notifies a trigger when its option is on, it has a URL and the trigger is one of
those it chose. `on_test` is not a call event: it is the test hit a changed URL gets
(`work.on_test`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Table, and_

from xmlengine.domain.local_times import local_times
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.account_tables import subaccount_associations
from xmlengine.storage.did_tables import dids
from xmlengine.storage.peer_tables import peers

ON_CREATE: Final = "on_create"
ON_RING: Final = "on_ring"
ON_ANSWER: Final = "on_answer"
ON_HANGUP: Final = "on_hangup"
ON_TEST: Final = "on_test"
ON_RECORD: Final = "on_record"
TRIGGERS: Final = (ON_CREATE, ON_RING, ON_ANSWER, ON_HANGUP, ON_TEST, ON_RECORD)
CALL_TRIGGERS: Final = (ON_CREATE, ON_RING, ON_ANSWER, ON_HANGUP, ON_RECORD)


@dataclass(frozen=True, slots=True)
class Notify:
    url: str
    triggers: frozenset[str]

    def wants(self, trigger: str) -> bool:
        return bool(self.url) and trigger in self.triggers


@dataclass(frozen=True, slots=True)
class LineSettings:
    """What a call through a DID or a peer needs to know of it."""

    kind: str  # "did" or "peer"
    line_id: int
    number: str
    subaccount_id: int | None
    record: bool
    notify: Notify | None  # None: notifications off


def parse_triggers(text: str) -> list[str]:
    """The guide's comma-separated list; ValueError names an unknown trigger."""
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in chosen if name not in TRIGGERS]
    if unknown:
        raise ValueError(f"unknown trigger {', '.join(unknown)}; one of {', '.join(TRIGGERS)}")
    return list(dict.fromkeys(chosen))


def _settings(kind: str, row: Any, number: str) -> LineSettings:
    notify = None
    if row.enable_notify_callback and row.notify_callback_url:
        chosen = frozenset(parse_triggers(row.notify_callback_triggers or ""))
        notify = Notify(row.notify_callback_url, chosen)
    return LineSettings(
        kind,
        int(row[0]),
        number,
        row.client_subaccount_id,
        bool(row.enable_recording),
        notify,
    )


def line_settings(acct: AccountScope, kind: str, line_id: int) -> LineSettings | None:
    """A DID's or peer's settings as they are now; None once it is gone or disabled."""
    table: Table = dids if kind == "did" else peers
    key, number = (
        (dids.c.client_did_id, dids.c.phone_number)
        if kind == "did"
        else (peers.c.client_peer_id, peers.c.callerid_number)
    )
    assoc = subaccount_associations.c
    belongs = and_(assoc.kind == kind, assoc.entity_id == key)
    query = acct.select(
        table,
        key,
        number.label("number"),
        assoc.client_subaccount_id,  # update_subaccount_associations or the line's update
        table.c.enable_notify_callback,
        table.c.notify_callback_url,
        table.c.notify_callback_triggers,
        table.c.enable_recording,
    )
    row = acct.execute(
        acct.outer_join(query, table, subaccount_associations, belongs).where(
            key == line_id, table.c.status == "enabled"
        )
    ).first()
    return None if row is None else _settings(kind, row, row.number)


def set_did_notify(
    acct: AccountScope,
    phone_number: str,
    *,
    url: str,
    triggers: Sequence[str],
) -> int | None:
    """Turn a DID's call notifications on (an empty `url` turns them off), as update_did
    with `preserve_missing_data` and these three settings does; its id, or None for a
    number the account does not have."""
    c = dids.c
    found = acct.execute(
        acct.select(dids, c.client_did_id, c.options).where(
            c.phone_number == phone_number, c.status != "deleted"
        )
    ).first()
    if found is None:
        return None
    options = [o for o in found.options.split(",") if o and o != "enable_notify_callback"]
    acct.execute(
        acct.update(dids)
        .where(c.client_did_id == found.client_did_id)
        .values(
            enable_notify_callback=bool(url),
            notify_callback_url=url,
            notify_callback_triggers=",".join(triggers),
            options=",".join([*options, "enable_notify_callback"] if url else options),
        )
    )
    return int(found.client_did_id)


_MOMENTS = ("create", "ring", "answer", "hangup")


def call_body(
    acct: AccountScope,
    *,
    trigger: str,
    call_hash: str,
    direction: str,
    source: str,
    destination: str,
    at: float,
    times: Mapping[str, float | None],
    did_id: int | None = None,
    did_number: str = "",
    peer_id: int | None = None,
    subaccount_id: int | None = None,
    details: Mapping[str, Any],
) -> dict[str, Any]:
    """A call notification's body (docs/sandbox.md, "Call notifications"); `times` has the
    moments the call was created, rang, was answered and hung up (epoch seconds)."""

    shown = local_times(acct.zone).text

    return {
        "trigger": trigger,
        "call_hash": call_hash,
        "direction": direction,
        "source_number": source,
        "destination_number": destination,
        "client_did_id": did_id,
        "did_number": did_number,
        "client_peer_id": peer_id,
        "client_subaccount_id": subaccount_id,
        "datetime": shown(at),
        **{f"datetime_{name}": shown(times.get(name)) for name in _MOMENTS},
        **details,
    }
