"""Device endpoints: the catalog model they are, the peers on their lines, what goes
when one is deleted.

`client_peer_ids` is the guide's `1234|Mike Phone,5678|Barbara`: peer ids in line order,
each with an optional label; it is kept one row per line (`device_endpoint_peers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select

from xmlengine.domain.provisioning.files import format_of
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.catalog_tables import devices
from xmlengine.storage.device_tables import device_endpoint_peers

lines = device_endpoint_peers
INT32_MAX = 2**31 - 1  # ids are `integer` columns: a larger one names no peer


@dataclass(frozen=True, slots=True)
class PeerLine:
    client_peer_id: int
    label: str = ""

    def text(self) -> str:
        return f"{self.client_peer_id}|{self.label}" if self.label else str(self.client_peer_id)


def parse_peer_lines(value: str | None) -> list[PeerLine]:
    """The lines of a `client_peer_ids` the parameter's pattern accepted."""
    found = []
    for item in (value or "").split(","):
        peer, _, label = item.strip().partition("|")
        if peer:
            found.append(PeerLine(int(peer), label.strip()))
    return found


def device(acct: AccountScope, device_id: int) -> Row[Any] | None:
    """The catalog's model (`get_devices`)."""
    return acct.execute(select(devices).where(devices.c.device_id == device_id)).first()


def line_count(model: Row[Any]) -> int:
    """The SIP accounts a model takes: its lines, within what its make's file has room for."""
    found = format_of(model.make)
    lines: int = model.lines
    return min(lines, found.max_accounts) if found else lines


def peer_lines_refused(acct: AccountScope, model: Row[Any], wanted: Sequence[PeerLine]) -> bool:
    """Each peer once, the account's own, no more than the model's lines, labels only on a
    model that shows them."""
    ids = [line.client_peer_id for line in wanted]
    return (
        len(set(ids)) != len(ids)
        or any(i > INT32_MAX for i in ids)
        or len(ids) > line_count(model)
        or (not model.supports_labels and any(line.label for line in wanted))
        or (bool(ids) and not acct.owns("peer", ids))
    )


def replace_peer_lines(acct: AccountScope, endpoint_id: int, wanted: Sequence[PeerLine]) -> None:
    endpoint = lines.c.client_device_endpoint_id
    acct.execute(acct.delete(lines).where(endpoint == endpoint_id))
    if wanted:
        acct.execute(
            acct.insert(lines),
            [
                {
                    "client_device_endpoint_id": endpoint_id,
                    "line": n,
                    "client_peer_id": line.client_peer_id,
                    "label": line.label,
                }
                for n, line in enumerate(wanted, 1)
            ],
        )


def peer_lines(acct: AccountScope, endpoint_ids: Sequence[int]) -> dict[int, list[PeerLine]]:
    """endpoint id -> its lines, for every given endpoint."""
    found: dict[int, list[PeerLine]] = {i: [] for i in endpoint_ids}
    query = (
        acct.select(lines)
        .where(lines.c.client_device_endpoint_id.in_(endpoint_ids))
        .order_by(lines.c.client_device_endpoint_id, lines.c.line)
    )
    for row in acct.execute(query):
        found[row.client_device_endpoint_id].append(PeerLine(row.client_peer_id, row.label))
    return found


def forget_endpoint(acct: AccountScope, endpoint_id: int) -> None:
    """Before an endpoint is deleted: its lines go."""
    acct.execute(acct.delete(lines).where(lines.c.client_device_endpoint_id == endpoint_id))
