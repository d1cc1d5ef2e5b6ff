"""Every error code a handler answers is declared, so that the reference pages and the API
description list it: the codes a handler's `fail(...)`/`ApiError(...)` name, and the
message codes written in the functions it reaches by name (its `before` hook's included),
less the notices it answers on success."""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from collections.abc import Callable, Iterator
from typing import Any

from xmlengine.protocol.messages import MESSAGES
from xmlengine.protocol.reference_pages import GLOBAL_CODES
from xmlengine.request_types import build_registry

EVERY_REQUEST = {code for code, _ in GLOBAL_CODES}


def _reached(*roots: Callable[..., Any] | None) -> Iterator[types.FunctionType]:
    """The roots and the functions of xmlengine they name, directly or through a module."""
    seen: set[types.FunctionType] = set()
    todo = [root for root in roots if root is not None]
    while todo:
        fn = inspect.unwrap(todo.pop())
        if not isinstance(fn, types.FunctionType) or fn in seen:
            continue
        if not fn.__module__.startswith("xmlengine."):
            continue
        seen.add(fn)
        yield fn
        names = list(_names(fn.__code__))
        for name in names:
            found = fn.__globals__.get(name)
            if isinstance(found, types.ModuleType) and found.__name__.startswith("xmlengine."):
                todo += [getattr(found, n) for n in names if callable(getattr(found, n, None))]
            elif callable(found):
                todo.append(found)


def _names(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)


def _strings(node: ast.AST) -> set[str]:
    found = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            found.add(inner.value)
    return found


def _calls(tree: ast.AST, *names: str) -> set[str]:
    """The strings written in the arguments of calls to `names`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if called in names:
                for arg in node.args:
                    found |= _strings(arg)
    return found


def _named_strings(fn: types.FunctionType) -> set[str]:
    """The module-level strings (and tuples of strings) the function names."""
    found: set[str] = set()
    for name in _names(fn.__code__):
        value = fn.__globals__.get(name)
        values = value if isinstance(value, tuple) else (value,)
        found |= {item for item in values if isinstance(item, str)}
    return found


def answered_codes(*roots: Callable[..., Any] | None) -> set[str]:
    raised: set[str] = set()
    notices: set[str] = set()
    for fn in _reached(*roots):
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        except (OSError, TypeError):
            continue
        raised |= _calls(tree, "fail", "ApiError")
        raised |= (_strings(tree) | _named_strings(fn)) & MESSAGES.keys()
        notices |= _calls(tree, "notice", "Message")
    return raised - notices


def test_the_codes_handlers_answer_are_declared() -> None:
    undeclared = {}
    for rt in build_registry():
        if rt.handler is None:
            continue
        missing = answered_codes(rt.handler, rt.before) - {*rt.error_codes(), *EVERY_REQUEST}
        if missing:
            undeclared[rt.name] = sorted(missing)
    assert undeclared == {}


def test_the_scan_finds_a_handler_code() -> None:
    """The scan itself: dispatch_call's caller-id codes are constants a helper names."""
    dispatch = build_registry().find("dispatch_call")
    assert dispatch is not None
    assert {
        "global_callerid_name_undefined",
        "global_callerid_infos_undefined",
    } <= answered_codes(dispatch.handler)
