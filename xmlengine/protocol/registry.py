"""The request-type registry: each request type declared once, by family.

A declaration names the request type, its parameter table (a `Params` subclass), its
rate-limit pool, the error codes its handler answers beyond those of its parameters and
rules (`answers`: what the database or the account decides, such as a number the account
does not have), whether it only reads (`reads_only`: by default, a `get_*` does) and,
once built, its handler. `get_request_types`, the docs and the
machine-readable description are all read from here.

A family also declares the files the API serves (`Family.download`): each kind's URL
name, the hash that names one file, its formats (each extension with its content type),
the pool a download spends, and a small function that finds the file in the caller's
account scope.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from xmlengine.config import Settings
from xmlengine.params.rules import declared_rules
from xmlengine.params.table import Params
from xmlengine.params.types import ParamType
from xmlengine.protocol.errors import Message
from xmlengine.protocol.tree import El, Record
from xmlengine.storage.account_scope import AccountScope

SHARED_POOL = "shared_pool"

P = TypeVar("P", bound=type[Params])


@dataclass(slots=True)
class Reply:
    """What a handler answers: payload elements and success notices."""

    payload: list[El | Record] = field(default_factory=list)
    notices: list[Message] = field(default_factory=list)

    @classmethod
    def notice(cls, code: str, text: str, *payload: El | Record) -> Reply:
        return cls(list(payload), [Message(code, text)])


# (parameters, the account's scope, the answer context) -> Reply
Handler = Callable[[Any, Any, Any], Reply]

# Work in the caller's account scope, in a transaction of its own.
InScope = Callable[[Callable[[AccountScope], Any]], Awaitable[Any]]
# Undoes what a `before` made outside the database when the transaction rolls back
# (a file written for a row that was never committed).
Undo = Callable[[], None]
# What a request type does before its transaction, with the valid parameters: waiting on
# the network (update_peer's on_test hit) or rendering files without holding the
# database; it refuses with ApiError, and returns what undoes its work if any.
Before = Callable[[Any, InScope, Settings], Awaitable[Undo | None]]


@dataclass(slots=True)
class RequestType:
    name: str
    family: str
    params: type[Params]
    pool: str = SHARED_POOL
    summary: str = ""
    extension: bool = False  # beyond the guide: marked as such in get_request_types
    answers: tuple[str, ...] = ()  # the handler's own error codes (and its `before`'s)
    reads_only: bool = False  # its transaction writes nothing (Database.read)
    handler: Handler | None = None
    before: Before | None = None

    def error_codes(self) -> list[str]:
        """Every error code the request type answers, besides those of every request."""
        params = self.params
        codes = [code for param in params.table.values() for code in param.error_codes()]
        codes += [code for rule in declared_rules(params) for code in rule.codes]
        return sorted({*codes, *self.answers})


# The file a hash names in the caller's account: None when unknown, foreign or deleted.
Find = Callable[[AccountScope, str], Path | None]


@dataclass(frozen=True, slots=True)
class Download:
    """A kind of file served at `/api/v1.1/{kind}/{hash}.{extension}`.

    A file is stored under the extension of its format, and served under that one only
    (an export kept as CSV is not found as `.jsonl`). A kind of files of many types (MMS
    attachments) declares no formats: each file is served under its own extension, with
    the content type that extension names.
    """

    kind: str
    family: str
    hash: ParamType  # parses the URL's hash, as the parameter naming the same file does
    formats: Mapping[str, str] | None  # extension -> content type; None: each file's own
    find: Find  # runs in one transaction of the caller's account, which it may write
    pool: str = SHARED_POOL


class Family:
    """The request types and downloads of one family module, declared with its decorators."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.request_types: list[RequestType] = []
        self.downloads: list[Download] = []
        self._by_params: dict[type[Params], RequestType] = {}

    def request_type(
        self,
        name: str,
        *,
        pool: str = SHARED_POOL,
        summary: str = "",
        extension: bool = False,
        answers: Iterable[str] = (),
        reads_only: bool | None = None,  # None: by its name, as the guide names them
    ) -> Callable[[P], P]:
        reads = name.startswith("get_") if reads_only is None else reads_only

        def declare(params: P) -> P:
            rt = RequestType(
                name, self.name, params, pool, summary, extension, tuple(answers), reads
            )
            self.request_types.append(rt)
            self._by_params[params] = rt
            return params

        return declare

    def handler(self, params: type[Params]) -> Callable[[Handler], Handler]:
        def attach(fn: Handler) -> Handler:
            self._by_params[params].handler = fn
            return fn

        return attach

    def before(self, params: type[Params]) -> Callable[[Before], Before]:
        def attach(fn: Before) -> Before:
            self._by_params[params].before = fn
            return fn

        return attach

    def download(
        self,
        kind: str,
        *,
        hash: ParamType,
        formats: Mapping[str, str] | None,
        find: Find,
        pool: str = SHARED_POOL,
    ) -> None:
        own = None if formats is None else dict(formats)
        self.downloads.append(Download(kind, self.name, hash, own, find, pool))


# The v1.1 URLs of request types: `/api/v1.1/{format}/...` is never a download.
FORMATS = ("xml", "json")


class Registry:
    def __init__(self, families: Iterable[Family]) -> None:
        self.by_name: dict[str, RequestType] = {}
        self.downloads: dict[str, Download] = {}
        for family in families:
            for rt in family.request_types:
                if rt.name in self.by_name:
                    raise ValueError(f"request type {rt.name} declared twice")
                self.by_name[rt.name] = rt
            for download in family.downloads:
                if download.kind in FORMATS:
                    raise ValueError(f"download {download.kind}: the URL of a format")
                if download.kind in self.downloads:
                    raise ValueError(f"download {download.kind} declared twice")
                self.downloads[download.kind] = download

    def find(self, name: str) -> RequestType | None:
        return self.by_name.get(name)

    def download(self, kind: str) -> Download | None:
        return self.downloads.get(kind)

    def __iter__(self) -> Any:
        return iter(sorted(self.by_name.values(), key=lambda rt: rt.name))

    def __len__(self) -> int:
        return len(self.by_name)
