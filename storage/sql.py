"""Small SQL expressions the read queries and the tally rebuild share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, case, cast, func, literal


def count_true(column: Any) -> Any:
    """How many rows have `column` true; 0 rather than NULL over no rows."""
    return func.coalesce(func.sum(cast(case((column, 1), else_=0), Integer)), 0)


def in_departments(column: Any, departments: Sequence[str] | None) -> Any:
    """The rows of these departments; None means every department, an empty list none."""
    return literal(True) if departments is None else column.in_(list(departments))
