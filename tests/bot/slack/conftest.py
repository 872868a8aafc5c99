"""A round world for the job and delivery tests: ZONED_PEOPLE in a Slack stand-in, on both
databases, at 10:00 London time on a Wednesday with no public holiday."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from bot.sandbox import SlackSandbox
from bot.slack.jobs import activate
from tests.conftest import Clock
from tests.e2e.rounds_world import RoundWorld, zoned_sandbox

LONDON = "Europe/London"
WEDNESDAY = date(2026, 11, 4)


@pytest.fixture
def sandbox() -> Iterator[SlackSandbox]:
    with zoned_sandbox() as running:
        yield running
    assert running.rejected == [], f"Slack would reject: {running.rejected}"


@pytest.fixture
def world(engine: Engine, sandbox: SlackSandbox, clock: Clock) -> Iterator[RoundWorld]:
    clock.now = datetime.combine(WEDNESDAY, time(10), tzinfo=ZoneInfo(LONDON)).astimezone(UTC)
    made = RoundWorld.open(sandbox, engine, clock).stock()
    made.activate()
    yield made
    activate(None)
