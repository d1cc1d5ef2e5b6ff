"""A real webhook receiver on 127.0.0.1 for the tests: records what it gets, answers as told."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass
class Plan:
    """How one path answers: statuses in turn (then `default`), optionally held."""

    statuses: list[int] = field(default_factory=list)
    default: int = 200
    body: bytes = b"ok"
    location: str = ""
    hold: threading.Event | None = None  # answer only once set


class Receiver:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.plans: dict[str, Plan] = {}
        self.arrived = threading.Event()  # set on every request
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver._handle(self)

            def do_GET(self) -> None:
                receiver._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def plan(self, path: str, **how: object) -> Plan:
        plan = Plan(**how)  # type: ignore[arg-type]
        self.plans[path] = plan
        return plan

    def at(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def wait_for(self, path: str, count: int, timeout: float) -> bool:
        """Whether `count` requests to `path` arrived (waiting at most `timeout`, a safety net)."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self.at(path)) >= count, timeout)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("content-length") or 0)
        body = handler.rfile.read(length)
        with self._lock:
            self.received.append(
                Received(
                    handler.command,
                    parts.path,
                    dict(parse_qsl(parts.query)),
                    {k.lower(): v for k, v in handler.headers.items()},
                    body,
                )
            )
            plan = self.plans.get(parts.path) or Plan()
            status = plan.statuses.pop(0) if plan.statuses else plan.default
            self._changed.notify_all()
        self.arrived.set()
        if plan.hold is not None:
            plan.hold.wait()
        handler.send_response(status)
        if plan.location:
            handler.send_header("location", plan.location)
        handler.send_header("content-length", str(len(plan.body)))
        handler.end_headers()
        handler.wfile.write(plan.body)


@contextmanager
def receiving() -> Iterator[Receiver]:
    receiver = Receiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        for plan in receiver.plans.values():
            if plan.hold is not None:
                plan.hold.set()
        receiver.server.shutdown()
        receiver.server.server_close()
        thread.join()
