"""New DIDs of an account, as other features make them (a completed port request).

One function writes the rows, with only the columns every DID has; the DID family's own
settings keep their defaults. A DID's subaccount is an association, like any entity's.
"""

from __future__ import annotations

from collections.abc import Sequence

from xmlengine.domain.subaccounts import associate
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids


def add_numbers(
    acct: AccountScope, numbers: Sequence[str], *, subaccount_id: int | None, at: float
) -> list[int]:
    """The DIDs of `numbers` (digits), made for the account unless it has them already."""
    c = dids.c
    have = set(acct.execute(acct.select(dids, c.phone_number)).scalars())
    made = []
    for number in dict.fromkeys(numbers):
        if number in have:
            continue
        query = acct.insert(dids).values(phone_number=number, created_at=at)
        did_id = int(acct.execute(query.returning(c.client_did_id)).scalar_one())
        associate(acct, "did", did_id, subaccount_id)
        made.append(did_id)
    return made
