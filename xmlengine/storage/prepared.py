"""Statements for the hot paths: built once with SQLAlchemy Core, run straight on the driver.

Executing a Core statement costs tens of microseconds of SQLAlchemy bookkeeping — more
than the query itself on SQLite — and building one per request costs several times
that. A `Prepared` statement is compiled once per dialect; each run hands the SQL and
its parameters to the driver's cursor and returns plain tuples.

`PreparedRows` writes any number of rows of parameters with one statement, its rows a
`VALUES` list in the SQL (`inserting`, `updating`), not one run per row as the driver's
executemany does. SQLite's driver lets the GIL go around each step and each reset of a
statement, and its writing thread must then win the GIL back from the event loop: two
hand-offs per row, where one statement makes one. An UPDATE joined to its rows has a
fixed cost on SQLite (a table built for the join), so it pays from batches of several
rows: recording webhook outcomes took 21% more instructions than executemany in batches
of 2, 13% fewer in batches of 8, 22% fewer in batches of 16 (callgrind); the recorder
lets its batches gather (`work/recorder.py`).

Values go to the driver as given, with those the statement holds itself (a status
compared to, an offset), and rows come back as the driver reads them: SQLAlchemy's bind
and result processors are not applied. A caller passes what the column stores (ISO text
for a date on SQLite, a float for a Float: SQLite's REAL affinity would store an int as
a float anyway), and a statement that reads a column SQLAlchemy converts (a Boolean or
JSON read on SQLite, a DateTime) is not one to prepare. An expanding parameter
(`bindparam(..., expanding=True)`: `IN` a list) is rendered once per dialect and length
of its list.

PostgreSQL takes the same path, through the cursor of SQLAlchemy's asyncpg adapter
(asyncpg's own prepared statements and executemany underneath): on the deliveries
benchmark it cost no more CPU per delivery than SQLAlchemy's execution there (a little
less), so both databases run one code path rather than two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, bindparam, column, values
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import CTE


@dataclass(frozen=True, slots=True)
class _Sql:
    """A statement as its driver takes it."""

    text: str
    names: tuple[str, ...]  # the parameters, in the driver's order
    held: dict[str, Any]  # the values the statement holds itself
    # The parameters' values in the driver's order, taken in C (`itemgetter`)
    pick: Callable[[dict[str, Any]], tuple[Any, ...]]

    def values(self, params: dict[str, Any]) -> tuple[Any, ...]:
        return self.pick({**self.held, **params} if self.held else params)


def _sql(compiled: SQLCompiler, text: str, names: Sequence[str]) -> _Sql:
    held = {
        name: bind.effective_value
        for bind, name in compiled.bind_names.items()
        if not bind.required and not bind.expanding
    }
    return _Sql(text, tuple(names), held, _picker(tuple(names)))


def _picker(names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    if len(names) > 1:
        return itemgetter(*names)  # a tuple of their values
    return lambda params: tuple([params[name] for name in names])  # `itemgetter`'s is not


class Prepared:
    def __init__(self, statement: ClauseElement, *, scoped: bool = False) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[SQLCompiler, _Sql | None, tuple[str, ...]]] = {}
        self._expanded: dict[tuple[Any, ...], tuple[_Sql, dict[str, list[str]]]] = {}
        # Limited to the account bound when it runs (`account_scope.owned` applied).
        self.scoped = scoped

    def _compile(self, dialect: Dialect) -> tuple[SQLCompiler, _Sql | None, tuple[str, ...]]:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            sql = self.statement.compile(dialect=dialect)
            assert isinstance(sql, SQLCompiler)
            expanding = tuple(sorted({name for b, name in sql.bind_names.items() if b.expanding}))
            names = getattr(sql, "positiontup", None) or ()
            plain = None if expanding else _sql(sql, str(sql), names)
            compiled = self._compiled[dialect.name] = (sql, plain, expanding)
        return compiled

    def _for(self, dialect: Dialect, params: dict[str, Any]) -> tuple[_Sql, dict[str, Any]]:
        sql, plain, expanding = self._compile(dialect)
        if plain is not None:
            return plain, params
        key = (dialect.name, *(len(params[name]) for name in expanding))
        if (found := self._expanded.get(key)) is None:
            state = sql.construct_expanded_state(params)
            rendered = _sql(sql, state.statement, state.positiontup or ())
            found = self._expanded[key] = (rendered, dict(state.parameter_expansion))
        rendered, expansion = found
        flat = dict(params)
        for name in expanding:  # each item of the list under the name it was rendered with
            flat.update(zip(expansion[name], params[name], strict=True))
        return rendered, flat

    def rows(self, conn: Connection, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        compiled = self._compiled.get(conn.dialect.name)
        sql = compiled[1] if compiled is not None else None
        if sql is None:  # the first run, or a list to expand: else the SQL as it was compiled
            sql, params = self._for(conn.dialect, params)
        return _execute(conn, sql.text, sql.values(params))

    def first(self, conn: Connection, params: dict[str, Any]) -> tuple[Any, ...] | None:
        rows = self.rows(conn, params)
        return rows[0] if rows else None


Row = dict[str, Any]


class PreparedRows:
    """A statement for any number of rows of parameters, run once for all of them; built
    by `build` for a count of rows, each row's parameters named `{name}_{index}`, and
    kept per dialect and count."""

    MAX_ROWS = 256  # per statement: the drivers' limits on parameters stay far away

    def __init__(self, build: Callable[[int], ClauseElement]) -> None:
        self.build = build
        # The SQL, and where each of its parameters comes from: (index of the row, name),
        # or (-1, the value the statement holds). Taken so, the rows' values cost no
        # renamed copy of each row (that had cost more than the rows saved in steps).
        self._plans: dict[tuple[str, int], tuple[str, tuple[tuple[int, Any], ...]]] = {}

    def run(self, conn: Connection, rows: Sequence[Row]) -> None:
        for start in range(0, len(rows), self.MAX_ROWS):
            some = rows[start : start + self.MAX_ROWS]
            text, plan = self._plan(conn.dialect, len(some))
            _execute(conn, text, tuple([some[i][key] if i >= 0 else key for i, key in plan]))

    def _plan(self, dialect: Dialect, count: int) -> tuple[str, tuple[tuple[int, Any], ...]]:
        found = self._plans.get((dialect.name, count))
        if found is None:
            _, sql, _ = Prepared(self.build(count))._compile(dialect)
            assert sql is not None  # its rows are its parameters: none expands
            plan = tuple(
                (-1, sql.held[name]) if name in sql.held else _row_and_name(name)
                for name in sql.names
            )
            found = self._plans[dialect.name, count] = (sql.text, plan)
        return found


def _row_and_name(parameter: str) -> tuple[int, str]:
    name, _, index = parameter.rpartition("_")
    return int(index), name


def _execute(conn: Connection, text: str, values: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """`text` run on the driver's own cursor; the rows it returns."""
    cursor: Any = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(text, values)
        # A list from both drivers (pysqlite's, SQLAlchemy's asyncpg adapter): not copied.
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
    except Exception as error:  # the driver's own error, as SQLAlchemy would raise it
        raise DBAPIError(text, values, error) from error
    finally:
        cursor.close()


def inserting(table: Table, names: Iterable[str]) -> PreparedRows:
    """`INSERT INTO table (names) VALUES (...), (...), ...`: a row of the table per row."""
    given = tuple(names)
    return PreparedRows(
        lambda count: table.insert().values(
            [{name: bindparam(f"{name}_{i}") for name in given} for i in range(count)]
        )
    )


def updating(
    table: Table, keys: tuple[str, ...], names: tuple[str, ...], fixed: Row | None = None
) -> PreparedRows:
    """`WITH batch(keys, names) AS (VALUES ...) UPDATE table SET name = batch.name, ...
    FROM batch WHERE table.key = batch.key AND ...`: each row sets `names` (and the
    `fixed` values) in the rows of the table its `keys` match, none when none does.
    (SQLite takes no column names on a subquery's alias: they are the CTE's.)"""
    given = keys + names

    def build(count: int) -> ClauseElement:
        # typed: PostgreSQL reads the types of a VALUES list from its parameters
        shape = [column(name, table.c[name].type) for name in given]
        rows = [
            tuple(bindparam(f"{name}_{i}", type_=table.c[name].type) for name in given)
            for i in range(count)
        ]
        batch: CTE = values(*shape, name="batch").data(rows).cte("batch")
        return (
            table.update()
            .add_cte(batch)
            .where(*(table.c[key] == batch.c[key] for key in keys))
            .values({**{name: batch.c[name] for name in names}, **(fixed or {})})
        )

    return PreparedRows(build)
