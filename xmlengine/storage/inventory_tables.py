"""The numbers taken out of the sandbox's inventory and the orders of new numbers
(migration 0015); the inventory itself is derived from the numbering plan
(domain/inventory.py). The taken numbers are shared by every account of the server, like
a carrier's stock: no `account_id`, the DID row says whose it is."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Integer, String, Table, Text

from xmlengine.storage.tables import metadata

inventory_taken = Table(
    "inventory_taken",
    metadata,
    Column("phone_number", String(20), primary_key=True),  # ten digits
    Column("reason", String(16), nullable=False),  # activated, ordered
    Column("taken_at", Float, nullable=False),
)

# An order_new_dids request, answered by the sandbox later (domain/did_orders.py).
did_orders = Table(
    "did_orders",
    metadata,
    Column("did_order_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False, index=True),
    Column("prefix", String(15), nullable=False, server_default=""),
    Column("ratecenter_id", Integer, nullable=True),
    Column("type", String(16), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("prefix_preference", String(16), nullable=False),
    Column("sequential", String(16), nullable=False),
    Column("features", String(32), nullable=False, server_default=""),  # t38,sms,mms
    Column("capacity", String(8), nullable=False),
    Column("comments", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),  # pending, completed, failed
    Column("numbers", Text, nullable=False, server_default=""),  # delivered, comma-separated
    Column("failure", String(255), nullable=False, server_default=""),
    Column("created_at", Float, nullable=False),
    Column("completed_at", Float, nullable=True),
)
