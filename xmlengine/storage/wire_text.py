"""Wire text computed by the database: SQL constructs spelled for SQLite, the one database
that writes pages (`domain/calls/pages.py`; on PostgreSQL they cost more than Python's
loop, and have no spelling there: compiling one fails).

Each construct is one small function (SQLAlchemy `@compiles`). The texts are those
Python writes: integers in decimal, amounts with four decimals as `f"{x:.4f}"`
(correctly rounded), dates `YYYY-MM-DD` and times `HH:MM:SS` of an epoch already
shifted to local time.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import Float, Integer, Text, case, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class _Function(FunctionElement[Any]):
    inherit_cache = True


class truncated(_Function):
    """A number truncated toward zero, as Python's `int()` does."""

    type = Integer()


class int_text(_Function):
    """An integer as text; NULL as the empty string."""

    type = Text()


class four_decimals_text(_Function):
    """A number with four decimals, as printf rounds it (`money_text`)."""

    type = Text()


class date_text(_Function):
    """`YYYY-MM-DD` of whole epoch seconds (already shifted to local time)."""

    type = Text()


class time_text(_Function):
    """`HH:MM:SS` of whole epoch seconds (already shifted to local time)."""

    type = Text()


class json_record(_Function):
    """A JSON object of key, value, key, value... in this order."""

    type = Text()


class json_page(_Function):
    """A JSON array of the first argument over the rows, in the order of the others; `[]`
    for no row. SQLite (before 3.44) has no ORDER BY inside an aggregate: it aggregates
    in the order of its ordered subquery."""

    type = Text()


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


def _arg(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    return _args(element, compiler, **kw)[0]


@compiles(truncated, "sqlite")
def _truncated_sqlite(element: truncated, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({_arg(element, compiler, **kw)} AS INTEGER)"


@compiles(int_text)
def _int_text(element: int_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"coalesce(CAST({_arg(element, compiler, **kw)} AS TEXT), '')"


@compiles(four_decimals_text, "sqlite")
def _four_decimals_sqlite(element: four_decimals_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"printf('%.4f', {_arg(element, compiler, **kw)})"


@compiles(date_text, "sqlite")
def _date_text_sqlite(element: date_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({_arg(element, compiler, **kw)}, 'unixepoch')"


@compiles(time_text, "sqlite")
def _time_text_sqlite(element: time_text, compiler: SQLCompiler, **kw: Any) -> str:
    return f"time({_arg(element, compiler, **kw)}, 'unixepoch')"


@compiles(json_record, "sqlite")
def _json_record_sqlite(element: json_record, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_object({', '.join(_args(element, compiler, **kw))})"


@compiles(json_page, "sqlite")
def _json_page_sqlite(element: json_page, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array({_arg(element, compiler, **kw)})"


# Beyond the rounding error of a product below 2**41 (an amount below 2e8), and far beyond
# that of printf's extended precision.
_NEAR_HALF: Final = 0.001


def money_text(value: ColumnElement[Any]) -> ColumnElement[str]:
    """A non-negative float with four decimals as `f"{value:.4f}"` writes it: rounded from
    its exact binary value, half to even. SQLite's printf rounds in extended precision,
    right but near a half: there (0.00015, stored as 0.000149999..., becomes 0.0002) the
    ten-thousandths are found here, truncated from the rounded product, plus one when the
    exact product lies above the half. Its side comes from splitting the value in two
    halves whose products by 10000 are exact (Veltkamp's split), computed for the values
    near a half alone (measured: the split for every value cost a third of the page)."""
    scaled = value * float_literal(10000.0)
    below = truncated(scaled)
    spread = value * float_literal(1025.0)  # 2**10 + 1: a high part of 43 bits
    high = spread - (spread - value)
    low = value - high
    excess = (high * float_literal(10000.0) - (below + float_literal(0.5))) + low * float_literal(
        10000.0
    )
    up = case(
        (excess > float_literal(0.0), int_literal(1)),
        (excess < float_literal(0.0), int_literal(0)),
        else_=below % int_literal(2),  # a tie: to the even one
    )
    return case(
        (
            (scaled - below).between(
                float_literal(0.5 - _NEAR_HALF), float_literal(0.5 + _NEAR_HALF)
            ),
            four_decimals_text((below + up) / float_literal(10000.0)),
        ),
        else_=four_decimals_text(value),
    )


def float_literal(value: float) -> ColumnElement[float]:
    return literal_column(f"CAST({value!r} AS FLOAT)", Float())


def text_literal(value: str) -> ColumnElement[str]:
    """A string written into the statement (names and keys: fixed per statement)."""
    return literal_column("'" + value.replace("'", "''") + "'", Text())


def int_literal(value: int) -> ColumnElement[int]:
    return literal_column(str(int(value)), Integer())
