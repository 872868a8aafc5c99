"""The UTC calendar day of a timestamp column, in SQL that SQLite and PostgreSQL share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class utc_day(FunctionElement[Any]):
    type = Date()
    inherit_cache = True
    name = "utc_day"


@compiles(utc_day)
def _generic(element: utc_day, compiler: Any, **kw: Any) -> str:
    # SQLite keeps UTC timestamps as text; its date() gives the text form Date columns use.
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _postgresql(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"
