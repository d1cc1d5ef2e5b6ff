"""The sandbox inspector at `/sandbox/`: a page to watch the account's traffic live
(docs/inspector.md)."""
