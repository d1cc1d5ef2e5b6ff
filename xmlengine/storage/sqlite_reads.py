"""Transactions that only read, run at once on the event loop's own SQLite connection.

In WAL mode a reader sees the last commit and neither waits for the writer (the
dedicated thread, or another process) nor holds it up, so a read needs no hand-off:
it runs where it was asked for. The connection is opened `query_only`: work that writes
fails, rather than taking the write lock from the loop. A read asked for while another
thread holds the connection (a test's second loop) waits for it, which is rare and short.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine

from xmlengine.storage.sqlite_thread import transaction

T = TypeVar("T")


class SqliteReads:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Opened on the first read (after migrations): SQLAlchemy's and the driver's.
        self._connection: tuple[Connection, sqlite3.Connection] | None = None
        self._lock = threading.Lock()

    def run(self, work: Callable[[Connection], T]) -> T:
        with self._lock:
            opened = self._connection
            if opened is None:
                conn = self.engine.connect()
                driver: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
                opened = self._connection = conn, driver
            result: T = transaction(*opened, work, writes=False)
            return result

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection[0].close()
                self._connection = None
            self.engine.dispose()
