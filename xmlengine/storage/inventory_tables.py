"""The numbers taken out of the sandbox's inventory (migration 0013); the inventory
itself is derived from the numbering plan (domain/inventory.py). Shared by every account
of the server, like a carrier's stock: no `account_id`, the DID row says whose it is."""

from __future__ import annotations

from sqlalchemy import Column, Float, String, Table

from xmlengine.storage.tables import metadata

inventory_taken = Table(
    "inventory_taken",
    metadata,
    Column("phone_number", String(20), primary_key=True),  # ten digits
    Column("reason", String(16), nullable=False),  # activated
    Column("taken_at", Float, nullable=False),
)
