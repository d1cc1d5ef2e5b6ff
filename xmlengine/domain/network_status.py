"""Network status entries (incidents and maintenance), posted and resolved by the operator."""

from __future__ import annotations

from typing import Final

from sqlalchemy import Connection

from xmlengine.storage.catalog_tables import network_status

SEVERITIES: Final = ("minor", "major", "critical", "maintenance")


class NetworkStatusError(ValueError):
    pass


def post(
    conn: Connection, title: str, *, at: float, description: str = "", severity: str = "minor"
) -> int:
    if severity not in SEVERITIES:
        raise NetworkStatusError(f"severity is one of {', '.join(SEVERITIES)}")
    if not title.strip():
        raise NetworkStatusError("a title is needed")
    query = network_status.insert().values(
        title=title.strip(),
        description=description,
        severity=severity,
        created_at=at,
        updated_at=at,
    )
    return int(conn.execute(query.returning(network_status.c.network_status_id)).scalar_one())


def resolve(conn: Connection, entry_id: int, *, at: float) -> None:
    done = conn.execute(
        network_status.update()
        .where(network_status.c.network_status_id == entry_id)
        .values(resolved_at=at, updated_at=at)
    )
    if not done.rowcount:
        raise NetworkStatusError(f"no network status entry {entry_id}")
