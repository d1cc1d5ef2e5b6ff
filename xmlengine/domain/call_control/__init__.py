"""Calls the API places: `dispatch_call` and `voicemail_broadcast` (docs/call-control.md)."""
