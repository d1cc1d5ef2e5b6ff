"""The request-type registry: each request type declared once, by family.

A declaration names the request type, its parameter table (a `Params` subclass), its
rate-limit pool and, once built, its handler. `get_request_types`, the docs and the
machine-readable description are all read from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from xmlengine.params.table import Params
from xmlengine.protocol.errors import Message
from xmlengine.protocol.tree import El

SHARED_POOL = "shared_pool"

P = TypeVar("P", bound=type[Params])


@dataclass(slots=True)
class Reply:
    """What a handler answers: payload elements and success notices."""

    payload: list[El] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)

    @classmethod
    def notice(cls, code: str, text: str, *payload: El) -> Reply:
        return cls(list(payload), [Message(code, text)])


# (parameters, the account's scope, the answer context) -> Reply
Handler = Callable[[Any, Any, Any], Reply]


@dataclass(slots=True)
class RequestType:
    name: str
    family: str
    params: type[Params]
    pool: str = SHARED_POOL
    summary: str = ""
    extension: bool = False  # beyond the guide: marked as such in get_request_types
    handler: Handler | None = None


class Family:
    """The request types of one family module, declared with its decorators."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.request_types: list[RequestType] = []
        self._by_params: dict[type[Params], RequestType] = {}

    def request_type(
        self, name: str, *, pool: str = SHARED_POOL, summary: str = "", extension: bool = False
    ) -> Callable[[P], P]:
        def declare(params: P) -> P:
            rt = RequestType(name, self.name, params, pool, summary, extension)
            self.request_types.append(rt)
            self._by_params[params] = rt
            return params

        return declare

    def handler(self, params: type[Params]) -> Callable[[Handler], Handler]:
        def attach(fn: Handler) -> Handler:
            self._by_params[params].handler = fn
            return fn

        return attach


class Registry:
    def __init__(self, families: Iterable[Family]) -> None:
        self.by_name: dict[str, RequestType] = {}
        for family in families:
            for rt in family.request_types:
                if rt.name in self.by_name:
                    raise ValueError(f"request type {rt.name} declared twice")
                self.by_name[rt.name] = rt

    def find(self, name: str) -> RequestType | None:
        return self.by_name.get(name)

    def __iter__(self) -> Any:
        return iter(sorted(self.by_name.values(), key=lambda rt: rt.name))

    def __len__(self) -> int:
        return len(self.by_name)
