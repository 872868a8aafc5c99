"""`/healthz` and `/readyz`, answered within a second whatever the database is doing.

A probe has its own connections (none borrowed from the app's pool, which busy listeners may
have taken), a statement timeout on PostgreSQL and a short busy timeout on SQLite, and the
endpoint stops waiting after `BUDGET` seconds in any case: a database that is down or stalled
gets a 503 with a one-line reason, never a hung request. One probe runs at a time; requests
arriving meanwhile share its answer, so a stalled database can't pile up probe threads.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

log = logging.getLogger(__name__)

# How long an endpoint waits for the probe; the database's own timeouts sit inside it.
BUDGET = 1.0
STATEMENT_TIMEOUT_MS = 700
SQLITE_BUSY_SECONDS = 0.5
# libpq's smallest connect timeout; BUDGET still bounds the wait.
CONNECT_TIMEOUT_SECONDS = 2

UNAVAILABLE = "database unavailable"
STALLED = f"database did not answer within {BUDGET:g}s"
NOT_MIGRATED = "database schema is not migrated to the latest version"
NO_SCHEDULER = "scheduler is not running"


@dataclass(frozen=True)
class DatabaseState:
    answered: bool
    reason: str
    revision: str | None = None


class Probe:
    """Asks the database whether it answers, and which migration it is at."""

    def __init__(self, app_engine: Engine) -> None:
        self._engine = _probe_engine(app_engine)
        self._postgres = self._engine.dialect.name == "postgresql"
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")
        self._lock = threading.Lock()
        self._running: Future[DatabaseState] | None = None

    def start(self) -> Future[DatabaseState]:
        with self._lock:
            if self._running is None or self._running.done():
                self._running = self._executor.submit(self._probe)
            return self._running

    async def state(self) -> DatabaseState:
        running = asyncio.wrap_future(self.start())
        try:
            # Shielded: the probe is shared, and a caller giving up must not cancel it.
            return await asyncio.wait_for(asyncio.shield(running), timeout=BUDGET)
        except TimeoutError:
            return DatabaseState(False, STALLED)

    def _probe(self) -> DatabaseState:
        try:
            with self._engine.connect() as connection, connection.begin():
                if self._postgres:
                    connection.exec_driver_sql(
                        f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"
                    )
                return DatabaseState(True, "ok", _revision(connection))
        except DBAPIError as error:
            log.warning("health probe: %s", error.__class__.__name__)
            return DatabaseState(False, STALLED if _timed_out(error) else UNAVAILABLE)
        except (SQLAlchemyError, OSError, sqlite3.Error) as error:
            log.warning("health probe: %s", error.__class__.__name__)
            return DatabaseState(False, UNAVAILABLE)

    def close(self) -> None:
        self._executor.shutdown(wait=False)
        self._engine.dispose()


def _revision(connection: Connection) -> str | None:
    # Reading the table, not just `SELECT 1`: a lock held on it (a migration, a stuck
    # transaction) is a database the app can't use either.
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _timed_out(error: DBAPIError) -> bool:
    # PostgreSQL's statement or connect timeout, or SQLite's busy timeout running out.
    words = str(error.orig).lower()
    return "timeout" in words or "database is locked" in words


def _probe_engine(app_engine: Engine) -> Engine:
    url = app_engine.url
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if not database or database == ":memory:" or database.startswith("file:"):
            return app_engine  # a private in-memory database only the app's engine can see
        return create_engine("sqlite://", poolclass=NullPool, creator=_sqlite_creator(database))
    if url.get_backend_name() == "postgresql":
        return create_engine(
            url, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS}
        )
    return create_engine(url, poolclass=NullPool)


def _sqlite_creator(path: str) -> Callable[[], sqlite3.Connection]:
    # mode=rw: a probe must never create an empty database file where the real one is missing.
    def connect() -> sqlite3.Connection:
        return sqlite3.connect(
            f"file:{path}?mode=rw",
            uri=True,
            timeout=SQLITE_BUSY_SECONDS,
            check_same_thread=False,
        )

    return connect


@dataclass
class Readiness:
    """What /readyz needs besides the database: the migration head, and the scheduler's
    state once `bot serve` has started one."""

    head: Callable[[], set[str]]
    scheduler_running: Callable[[], bool] | None = None

    def watch_scheduler(self, running: Callable[[], bool]) -> None:
        self.scheduler_running = running


Endpoint = Callable[[Request], Awaitable[Response]]


def health_endpoints(probe: Probe, readiness: Readiness) -> tuple[Endpoint, Endpoint]:
    """GET /healthz (the database answers) and GET /readyz (and is migrated, and the
    scheduler runs if there is one)."""

    async def healthz(_request: Request) -> Response:
        state = await probe.state()
        if state.answered:
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": state.reason}, status_code=503)

    async def readyz(_request: Request) -> Response:
        state = await probe.state()
        reason = state.reason if not state.answered else None
        if reason is None and state.revision not in readiness.head():
            reason = NOT_MIGRATED
        running = readiness.scheduler_running
        if reason is None and running is not None and not running():
            reason = NO_SCHEDULER
        if reason is None:
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": reason}, status_code=503)

    return healthz, readyz
