"""Sums of fen in SQL, exact: ``numeric`` in PostgreSQL, a Python ``int`` here.

``sum(bigint)`` is ``numeric`` in PostgreSQL, so it never overflows however many settlements a
range holds; it is never cast back to BIGINT. app/bounds.py says why no stored amount can
overflow; this is why no report can.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Numeric, SQLColumnExpression, TypeDecorator, cast, func

__all__ = ["Fen", "fen_sum"]


class Fen(TypeDecorator[int]):
    """A sum of fen: ``numeric`` in the database, read back as an exact Python ``int``."""

    impl = Numeric
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else int(value)


def fen_sum(
    column: SQLColumnExpression[Any], where: SQLColumnExpression[bool] | None = None
) -> ColumnElement[int]:
    """``sum(column)``, of the rows matching ``where`` if given; 0 when there are none."""
    total = func.sum(column) if where is None else func.sum(column).filter(where)
    return cast(func.coalesce(total, 0), Fen)
