"""Engine, sessions, the unit of work and migrations."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

# Imported for its tables only: whatever goes through the database here (the app, the CLI,
# the tests) has every table mapped, not just those its own imports happen to reach.
from storage import schema as _schema  # noqa: F401
from storage.rollups import keep_tallies

MIGRATIONS = Path(__file__).parent / "migrations"
T = TypeVar("T")


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, real transactions and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, pool_pre_ping=True, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE takes the write lock up front: two writers then queue on the busy timeout
    # instead of deadlocking when both try to upgrade a read lock.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Without this the driver starts transactions on its own and a SAVEPOINT's release
    # commits, so a failed unit of work could leave half its rows behind.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """The app's sessions: they keep the summary's tallies as they write."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    # Here, where every writer of the app gets its sessions, so the tallies move in the same
    # transaction as the deliveries and answers they count, whichever part of the app writes.
    keep_tallies(factory)
    return factory


class UnitOfWork:
    """One session for one operation; it rolls back unless told to commit."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()


# PostgreSQL's "try again" codes: serialization_failure and deadlock_detected. The whole
# transaction was rolled back, so running the unit of work again is safe.
RETRYABLE = {"40001", "40P01"}


def retry_conflicts(work: Callable[[], T], *, attempts: int = 3) -> T:
    """Run `work` (one whole unit of work), again if PostgreSQL rolled it back as a conflict."""
    for attempt in range(attempts):
        try:
            return work()
        except DBAPIError as error:
            code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
            if code not in RETRYABLE or attempt == attempts - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration up to head on this database, in one transaction."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        # SQLite alters a table by copying it, which foreign keys would forbid while rows
        # point at it; the pragma only takes effect outside a transaction.
        if sqlite:
            _pragma(connection, "foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            if sqlite:
                _pragma(connection, "foreign_keys=ON")


def _pragma(connection: Connection, setting: str) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA {setting}")


def affected(result: Result[Any]) -> int:
    """Rows an UPDATE changed: how a claim knows it won."""
    return cast(CursorResult[Any], result).rowcount


def database_answers(engine: Engine) -> bool:
    """True when the database answers a trivial query."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
