from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from storage.db import UnitOfWork, make_engine, make_session_factory, upgrade

POSTGRES_URL = os.environ.get("AUDITREADY_TEST_POSTGRES_URL")


def fresh_postgres() -> Engine:
    assert POSTGRES_URL
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("AUDITREADY_TEST_POSTGRES_URL is not set (scripts/test.sh sets it)")
        made = fresh_postgres()
    else:
        made = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    upgrade(made)
    yield made
    made.dispose()


@pytest.fixture
def uow(engine: Engine) -> Callable[[], UnitOfWork]:
    return functools.partial(UnitOfWork, make_session_factory(engine))


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
