"""Whether a call_hash names a call of the account.

A call is a call of the account when the call history has it, or when one of the
account's recordings or voicemails was made for it (the network and the import create
those only for calls of the account). A call of another account is unknown, exactly
like a hash that names no call.
"""

from __future__ import annotations

import importlib

from sqlalchemy import Table

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.media_tables import call_recordings, call_voicemails


def _calls_table() -> Table | None:
    """The call history's table, once that part of the storage exists."""
    try:
        module = importlib.import_module("xmlengine.storage.call_tables")
    except ModuleNotFoundError:
        return None
    table = getattr(module, "calls", None)
    return table if isinstance(table, Table) else None


def find_call(acct: AccountScope, call_hash: str) -> tuple[bool, int | None]:
    """Whether `call_hash` is a call of the account, and the subaccount it belongs to."""
    calls = _calls_table()
    sources = [call_recordings, call_voicemails]
    if calls is not None and "call_hash" in calls.c and "account_id" in calls.c:
        sources.insert(0, calls)
    for table in sources:
        subaccount = table.c.get("client_subaccount_id")
        query = acct.select(
            table, table.c.call_hash, *([subaccount] if subaccount is not None else [])
        )
        row = acct.execute(query.where(table.c.call_hash == call_hash).limit(1)).first()
        if row is not None:
            found = tuple(row)
            return True, (found[1] if len(found) > 1 else None)
    return False, None
