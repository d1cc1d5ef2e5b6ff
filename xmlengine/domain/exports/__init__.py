"""Bulk exports: queued by a request, written by the worker, downloaded, expired
(docs/exports.md)."""
