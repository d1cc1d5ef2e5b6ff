"""The request types, one module per family; `build_registry` gathers them all."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from xmlengine.protocol.registry import Registry

FAMILIES = (
    "meta",
    "account",
    "subaccounts",
    "billing",
    "reference",
    "network",
    "calls",
    "faxes",
    "dids",
    "porting",
    "sms",
    "peers",
    "mailboxes",
    "extensions",
    "director",
    "e911",
    "channels",
    "call_control",
    "queues",
    "callerid",
    "ivr",
    "media",
    "devices",
    "pbx3cx",
    "webhooks",
    "exports",
)


@cache
def build_registry() -> Registry:
    modules = [import_module(f"xmlengine.request_types.{name}") for name in FAMILIES]
    return Registry(module.family for module in modules)
