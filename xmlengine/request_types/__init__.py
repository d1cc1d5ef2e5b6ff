"""The request types, one module per family; `build_registry` gathers them all."""

from __future__ import annotations

from functools import cache

from xmlengine.protocol.registry import Registry


@cache
def build_registry() -> Registry:
    from xmlengine.request_types import account, meta, reference

    return Registry([meta.family, account.family, reference.family])
