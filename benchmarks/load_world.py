"""The system `load.py` drives: the real app on a loopback port, its database, the stand-in.

Built as `tests/e2e/conftest.py` builds it, with the product's own executors and backlog:
`create_app`, `serve_in_background`, a `SlackSandbox` of a few hundred people, the sample bank
and a roster (`company.load_people`). A few people are admins, so their `/awareness` is a full
summary and their Home tab a dashboard.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from company import load_people, sandbox_users
from pydantic import SecretStr
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.sandbox import SandboxUser, SlackSandbox
from bot.settings import Settings
from bot.slack.app import Runtime, create_app
from bot.slack.server import BackgroundServer, serve_in_background
from storage.db import make_engine, upgrade

TOKEN = "xoxb-load-benchmark"
SECRET = "load-benchmark-signing-secret"
BENCH_DATABASE = "bench_load"
POSTGRES_URL_VARIABLE = "AUDITREADY_TEST_POSTGRES_URL"


@dataclass(frozen=True)
class World:
    runtime: Runtime
    sandbox: SlackSandbox
    server: BackgroundServer
    people: list[SandboxUser]
    admins: list[SandboxUser]
    database: str  # e.g. "SQLite 3.45.1" or "PostgreSQL 16.4"

    @property
    def staff(self) -> list[SandboxUser]:
        return self.people[len(self.admins) :]

    def quiet(self, *, idle: float = 1.0, timeout: float = 120.0) -> bool:
        """Wait until the backlog is empty and Slack has heard nothing new for `idle` s."""
        deadline = time.monotonic() + timeout
        seen, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            calls = len(self.sandbox.calls)
            if calls != seen or self.runtime.backlog.queued:
                seen, since = calls, time.monotonic()
            elif time.monotonic() - since >= idle:
                return True
            time.sleep(0.1)
        return False


@contextmanager
def running_world(
    *, database: str, people: int, admins: int, postgres_url: str | None, slack_latency: float
) -> Iterator[World]:
    users = sandbox_users(people, domain="load.example")
    with ExitStack() as stack:
        url, version = stack.enter_context(_database(database, postgres_url))
        sandbox = stack.enter_context(
            SlackSandbox(users=users, bot_token=TOKEN, latency=slack_latency)
        )
        settings = Settings(
            slack_bot_token=SecretStr(TOKEN),
            slack_signing_secret=SecretStr(SECRET),
            slack_app_token=None,
            slack_api_url=sandbox.base_url,
            database_url=url,
            admins=[u.id for u in users[:admins]],
        )
        engine = make_engine(url)
        stack.callback(engine.dispose)
        upgrade(engine)
        runtime = create_app(settings, engine=engine)
        load_people(runtime, users)
        server = serve_in_background(runtime.web)
        stack.callback(server.stop)
        yield World(runtime, sandbox, server, users, users[:admins], version)


@contextmanager
def _database(kind: str, postgres_url: str | None) -> Iterator[tuple[str, str]]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="load-") as folder:
            yield f"sqlite:///{Path(folder) / 'load.db'}", f"SQLite {sqlite3.sqlite_version}"
        return
    server_url = postgres_url or os.environ.get(POSTGRES_URL_VARIABLE)
    if not server_url:
        raise SystemExit(f"--database postgresql needs --postgres-url or {POSTGRES_URL_VARIABLE}")
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    drop = text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    try:
        with admin.connect() as connection:
            connection.execute(drop)
            connection.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
            version = str(connection.execute(text("SHOW server_version")).scalar())
        url = make_url(server_url).set(database=BENCH_DATABASE)
        yield url.render_as_string(hide_password=False), f"PostgreSQL {version}"
    finally:
        with admin.connect() as connection:
            connection.execute(drop)
        admin.dispose()
