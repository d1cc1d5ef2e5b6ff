"""The sandbox inspector's reads and writes, on the account's scope (docs/inspector.md)."""
