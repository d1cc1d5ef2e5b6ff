"""The family the DID request types are declared in."""

from xmlengine.protocol.registry import Family
from xmlengine.storage.account_scope import own
from xmlengine.storage.did_tables import dids

family = Family("dids")

# The sandbox's lines are DIDs already; their request types are not built yet.
own("did", dids, "client_did_id")
