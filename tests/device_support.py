"""Peers and device endpoints for the autoprovision tests.

The peer request types are built elsewhere: `peer` writes the row update_peer will
write (its username, SIP password and friendly name), as the sandbox writes its peer.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from tests.conftest import Api, codes, status
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.peer_tables import peers


def peer(app: XmlEngineApp, api: Api, *, password: str = "s3cret-Pass", name: str = "") -> int:
    username = f"{api.credentials.client_account_id}_{uuid.uuid4().hex[:8]}"
    query = peers.insert().values(
        account_id=api.credentials.client_account_id,
        username=username,
        password=password,
        friendly_name=name or username,
        created_at=time.time(),
    )
    returning = query.returning(peers.c.client_peer_id)
    return int(app.deps.db.run_sync(lambda conn: conn.execute(returning).scalar_one()))


def peer_row(app: XmlEngineApp, peer_id: int) -> Any:
    query = peers.select().where(peers.c.client_peer_id == peer_id)
    return app.deps.db.run_sync(lambda conn: conn.execute(query).one())


def endpoint(api: Api, **params: str) -> dict[str, Any]:
    """A new device endpoint, as update_device_endpoint answers it."""
    answer = api.json("update_device_endpoint", mode="create", **params)
    assert status(answer) == "success", codes(answer)
    (found,) = answer["device_endpoints"]["device_endpoint_details"]
    return found  # type: ignore[no-any-return]
