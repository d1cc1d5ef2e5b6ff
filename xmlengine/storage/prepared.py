"""Statements for the hot paths: built once with SQLAlchemy Core, run straight on the driver.

Executing a Core statement costs tens of microseconds of SQLAlchemy bookkeeping — more
than the query itself on SQLite — and building one per request costs several times
that. A `Prepared` statement is compiled once per dialect; each run hands the SQL and
its parameters to the driver's cursor and returns plain tuples.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement


class Prepared:
    def __init__(self, statement: ClauseElement, *, scoped: bool = False) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, tuple[str, ...]]] = {}
        # Limited to the account bound when it runs (`account_scope.owned` applied).
        self.scoped = scoped

    def _for(self, dialect: Dialect) -> tuple[str, tuple[str, ...]]:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            sql = self.statement.compile(dialect=dialect)
            names = tuple(getattr(sql, "positiontup", None) or ())
            compiled = self._compiled[dialect.name] = (str(sql), names)
        return compiled

    def rows(self, conn: Connection, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        sql, names = self._for(conn.dialect)
        values = tuple([params[name] for name in names])
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, values)
            return list(cursor.fetchall())
        except Exception as error:  # the driver's own error, as SQLAlchemy would raise it
            raise DBAPIError(sql, values, error) from error
        finally:
            cursor.close()

    def first(self, conn: Connection, params: dict[str, Any]) -> tuple[Any, ...] | None:
        rows = self.rows(conn, params)
        return rows[0] if rows else None
