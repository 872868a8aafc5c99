"""Holding a PostgreSQL table locked from another connection, as a stuck transaction would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import URL, create_engine, text


@contextmanager
def locked_table(url: URL, table: str) -> Iterator[None]:
    """`table` held in ACCESS EXCLUSIVE mode, which no reader gets past, until the block ends."""
    engine = create_engine(url)
    try:
        with engine.connect() as holder:
            transaction = holder.begin()
            holder.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
            try:
                yield
            finally:
                transaction.rollback()
    finally:
        engine.dispose()
