"""The databases a writes trial runs on: a SQLite file, or a fresh PostgreSQL database."""

from __future__ import annotations

import sqlite3
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

BENCH_DATABASE = "bench_writes"


class Database(ABC):
    """A fresh database per trial."""

    name: str

    @abstractmethod
    @contextmanager
    def fresh(self) -> Iterator[str]:
        """A URL to an empty database, dropped when the block ends."""

    @abstractmethod
    def version(self) -> str:
        """The server's name and version, for the results."""

    @abstractmethod
    def finish(self) -> None:
        """Leave nothing behind."""


class SqliteDatabase(Database):
    name = "sqlite"

    @contextmanager
    def fresh(self) -> Iterator[str]:
        with tempfile.TemporaryDirectory(prefix="writes-") as folder:
            yield f"sqlite:///{Path(folder) / 'writes.db'}"

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version}"

    def finish(self) -> None:
        """Each trial's folder went with its trial."""


class PostgresDatabase(Database):
    name = "postgresql"

    def __init__(self, server_url: str) -> None:
        self._admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        url = make_url(server_url).set(database=BENCH_DATABASE)
        self._url = url.render_as_string(hide_password=False)

    def _drop(self) -> None:
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    @contextmanager
    def fresh(self) -> Iterator[str]:
        self._drop()
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {BENCH_DATABASE}")
        try:
            yield self._url
        finally:
            self._drop()

    def version(self) -> str:
        with self._admin.connect() as connection:
            return "PostgreSQL " + str(connection.exec_driver_sql("SHOW server_version").scalar())

    def finish(self) -> None:
        self._drop()
        self._admin.dispose()
