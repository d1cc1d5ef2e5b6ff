"""The rules of update_peer and delete_peer that read the database (docs/pbx/peers.md).

Each answers the guide's error codes it finds, or none.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from xmlengine.domain import dids
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.catalog_tables import proxies
from xmlengine.storage.peer_tables import peers


def creation_problems(acct: AccountScope, *, username: str, proxy_id: int | None) -> list[str]:
    """A new peer: within the account's limit, a SIP username no peer of the service has,
    on a proxy of get_proxies."""
    found = []
    count = acct.execute(acct.select(peers, func.count())).scalar_one()
    if count >= acct.settings.peers_limit:
        found.append("peers_limit_reached")
    if acct.in_use(peers.c.username, username):
        found.append("peer_exist")
    known = select(proxies.c.proxy_id).where(
        proxies.c.proxy_id == proxy_id, proxies.c.status == "enabled"
    )
    if acct.execute(known).first() is None:
        found.append("proxy_id_invalid")
    return found


def did_dependency(acct: AccountScope, peer_id: int) -> list[str]:
    """`peer_did_dependency` when a DID rings the peer (deleting or disabling it)."""
    return ["peer_did_dependency"] if dids.ringing_peer(acct, peer_id) else []


def new_password() -> str:
    """The SIP secret of a peer created without `password`: 16 characters of the guide's
    alphabet, never shorter than its 6."""
    return secrets.token_urlsafe(12).replace("-", "x").replace("_", "y")
