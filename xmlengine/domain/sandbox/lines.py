"""The sandbox lines: DIDs and peers the sandbox network's traffic generator uses.

`serve` gives the demo account two sandbox DIDs (the first records its answered calls;
both take SMS, so the generator's inbound messages show up without any setting) and one
peer whose caller id is the first DID. Any enabled account with an enabled
sandbox DID gets traffic: inbound calls to its DIDs, outbound calls from its peers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, select

from xmlengine.network.traffic import Line
from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids
from xmlengine.storage.peer_tables import peers

DEMO_NUMBERS = ("5145550150", "4385550151")


@dataclass(frozen=True, slots=True)
class SandboxLines:
    numbers: tuple[str, ...]
    peer_username: str
    created: bool


def ensure_sandbox_lines(
    acct: AccountScope, *, now: float, numbers: Sequence[str] = DEMO_NUMBERS
) -> SandboxLines:
    """The account's sandbox DIDs and peer, created when it has no sandbox DID yet."""
    have = acct.execute(
        acct.select(dids, dids.c.phone_number)
        .where(dids.c.sandbox.is_(True))
        .order_by(dids.c.client_did_id)
    ).scalars()
    existing = tuple(str(number) for number in have)
    username = f"{acct.account_id}_sandbox"
    if existing:
        return SandboxLines(existing, username, created=False)
    acct.execute(
        acct.insert(dids),
        [
            {
                "phone_number": number,
                "sandbox": True,
                "enable_recording": index == 0,
                "options": "enable_recording,enable_sms" if index == 0 else "enable_sms",
                "created_at": now,
            }
            for index, number in enumerate(numbers)
        ],
    )
    acct.execute(
        acct.insert(peers).values(
            username=username,
            friendly_name="Sandbox phone",
            callerid_number=numbers[0],
            sandbox=True,
            enable_recording=True,
            created_at=now,
        )
    )
    return SandboxLines(tuple(numbers), username, created=True)


def sandbox_lines(conn: Connection) -> list[Line]:
    """Every line the traffic generator may use now."""
    enabled = tables.accounts.c.status == "enabled"
    found: list[Line] = []
    d = dids.c
    did_rows = conn.execute(
        select(d.account_id, d.client_did_id, d.phone_number)
        .join(tables.accounts, and_(tables.accounts.c.account_id == d.account_id, enabled))
        .where(d.sandbox.is_(True), d.status == "enabled")
        .order_by(d.client_did_id)
    ).all()
    found.extend(Line(int(r[0]), "did", int(r[1]), str(r[2])) for r in did_rows)
    with_dids = {line.account_id for line in found}
    p = peers.c
    peer_rows = conn.execute(
        select(p.account_id, p.client_peer_id, p.callerid_number)
        .where(p.sandbox.is_(True), p.status == "enabled")
        .order_by(p.client_peer_id)
    ).all()
    found.extend(
        Line(int(r[0]), "peer", int(r[1]), str(r[2])) for r in peer_rows if r[0] in with_dids
    )
    return found
