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

T = TypeVar("T")


class SqliteReads:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Opened on the first read (after migrations): SQLAlchemy's connection, and a cursor
        # of the driver's kept for BEGIN and its end.
        self._connection: tuple[Connection, sqlite3.Cursor] | None = None
        self._lock = threading.Lock()

    def run(self, work: Callable[[Connection], T]) -> T:
        with self._lock:
            opened = self._connection
            if opened is None:
                conn = self.engine.connect()
                driver: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
                opened = self._connection = conn, driver.cursor()
            conn, cursor = opened
            cursor.execute("BEGIN")
            try:
                return work(conn)
            finally:  # nothing to keep or to undo: the snapshot ends either way
                if conn.get_transaction() is not None:  # SQLAlchemy joined: it ends it
                    conn.rollback()
                elif cursor.connection.in_transaction:
                    cursor.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection[0].close()
                self._connection = None
            self.engine.dispose()
