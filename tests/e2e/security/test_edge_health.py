"""/healthz and /readyz answer promptly whatever the database does: 200 when it answers, 503
with a one-line reason when it is down, stalled or not migrated.

No timing assertions: a request that hung would fail on the client's 5 s timeout instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from bot.sandbox import SlackSandbox
from bot.slack.app import create_app
from bot.slack.health import NO_SCHEDULER, NOT_MIGRATED, STALLED, UNAVAILABLE
from bot.slack.server import serve_in_background
from storage.db import make_engine
from tests.e2e.conftest import make_settings
from tests.e2e.harness import E2E
from tests.e2e.locks import locked_table

CLIENT_TIMEOUT = 5.0


def get(e2e: E2E, path: str) -> httpx.Response:
    return httpx.get(f"{e2e.slack.http.base_url}{path}", timeout=CLIENT_TIMEOUT)


@contextmanager
def locked_schema(e2e: E2E) -> Iterator[None]:
    """A transaction holding the one lock no reader gets past, as a stuck migration would."""
    with locked_table(e2e.runtime.engine.url, "alembic_version"):
        yield


def test_healthy_and_ready_on_a_migrated_database(e2e: E2E) -> None:
    health, ready = get(e2e, "/healthz"), get(e2e, "/readyz")

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


def test_a_locked_postgres_database_answers_503_instead_of_hanging(e2e: E2E) -> None:
    if e2e.runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's readers are never blocked by a writer (WAL)")
    with locked_schema(e2e):
        health, ready = get(e2e, "/healthz"), get(e2e, "/readyz")

    assert (health.status_code, health.json()) == (503, {"status": STALLED})
    assert (ready.status_code, ready.json()) == (503, {"status": STALLED})
    assert get(e2e, "/healthz").status_code == 200


def test_a_writer_holding_sqlites_lock_does_not_make_it_unhealthy(e2e: E2E) -> None:
    url = e2e.runtime.engine.url
    if url.get_backend_name() != "sqlite":
        pytest.skip("SQLite only")
    holder = sqlite3.connect(str(url.database), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert get(e2e, "/healthz").status_code == 200
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_not_ready_while_the_scheduler_is_stopped(e2e: E2E) -> None:
    running = False
    e2e.runtime.readiness.watch_scheduler(lambda: running)

    stopped = get(e2e, "/readyz")
    running = True
    started = get(e2e, "/readyz")

    assert (stopped.status_code, stopped.json()) == (503, {"status": NO_SCHEDULER})
    assert started.status_code == 200
    assert get(e2e, "/healthz").status_code == 200


@pytest.fixture
def unmigrated(sandbox: SlackSandbox, tmp_path: Path) -> Iterator[str]:
    """The app on an empty database nobody migrated."""
    settings = make_settings(api_url=sandbox.base_url, database_url=f"sqlite:///{tmp_path}/new.db")
    engine = make_engine(settings.database_url)
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE unrelated (id INTEGER)"))
    runtime = create_app(settings, engine=engine)
    server = serve_in_background(runtime.web)
    try:
        yield server.base_url
    finally:
        server.stop()
        engine.dispose()


def test_an_unmigrated_database_is_healthy_but_not_ready(unmigrated: str) -> None:
    health = httpx.get(f"{unmigrated}/healthz", timeout=CLIENT_TIMEOUT)
    ready = httpx.get(f"{unmigrated}/readyz", timeout=CLIENT_TIMEOUT)

    assert health.status_code == 200
    assert (ready.status_code, ready.json()) == (503, {"status": NOT_MIGRATED})


def test_a_missing_database_is_neither_healthy_nor_ready_and_is_not_created(
    sandbox: SlackSandbox, tmp_path: Path
) -> None:
    path = tmp_path / "gone.db"
    settings = make_settings(api_url=sandbox.base_url, database_url=f"sqlite:///{path}")
    runtime = create_app(settings)
    server = serve_in_background(runtime.web)
    try:
        health = httpx.get(f"{server.base_url}/healthz", timeout=CLIENT_TIMEOUT)
        ready = httpx.get(f"{server.base_url}/readyz", timeout=CLIENT_TIMEOUT)
    finally:
        server.stop()
        runtime.engine.dispose()

    assert (health.status_code, health.json()) == (503, {"status": UNAVAILABLE})
    assert ready.status_code == 503
    assert not path.exists()


def test_an_unreachable_postgres_server_answers_503(sandbox: SlackSandbox) -> None:
    # Nothing listens on port 9 of loopback: the connection is refused at once.
    url = "postgresql+psycopg://nobody@127.0.0.1:9/none"
    runtime = create_app(make_settings(api_url=sandbox.base_url, database_url=url))
    server = serve_in_background(runtime.web)
    try:
        health = httpx.get(f"{server.base_url}/healthz", timeout=CLIENT_TIMEOUT)
    finally:
        server.stop()
        runtime.engine.dispose()

    assert (health.status_code, health.json()) == (503, {"status": UNAVAILABLE})
