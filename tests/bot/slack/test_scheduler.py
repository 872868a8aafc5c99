"""Round jobs fire at each zone's local time, survive restarts, and a missed run fires once."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine, select, text

from bot.domain.schedules import Schedule, SchedulesFile
from bot.services.rounds.service import RoundService
from bot.slack.app import utc_now
from bot.slack.jobs import activate, start_scheduler
from bot.slack.scheduler import (
    SWEEP_JOB,
    make_scheduler,
    round_job_id,
    round_trigger,
    sync_jobs,
)
from storage import models
from tests.e2e.rounds_world import RoundWorld, zoned_sandbox
from tests.e2e.workspace import DAILY, ZONED_PEOPLE, ZONED_SCHEDULES

LONDON, SINGAPORE, NEW_YORK = "Europe/London", "Asia/Singapore", "America/New_York"
WEEKDAYS = Schedule(
    id="weekdays", name="Weekday questions", days=["mon", "tue", "wed", "thu", "fri"], time="10:00"
)
UNTIL_EXECUTED = 20.0  # seconds a started scheduler gets to run a due job


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def next_fire(schedule: Schedule, tz: str, after: datetime) -> datetime:
    fire: datetime = round_trigger(schedule, tz).get_next_fire_time(None, after)
    return fire.astimezone(UTC)


@pytest.mark.parametrize(
    ("tz", "after", "fires"),
    [
        (LONDON, utc(2026, 3, 26, 12), utc(2026, 3, 27, 10)),  # Friday, still GMT
        (LONDON, utc(2026, 3, 27, 12), utc(2026, 3, 30, 9)),  # Monday, BST since Sunday
        (LONDON, utc(2026, 10, 23, 12), utc(2026, 10, 26, 10)),  # Monday, GMT again
        (NEW_YORK, utc(2026, 3, 5, 16), utc(2026, 3, 6, 15)),  # Friday, EST
        (NEW_YORK, utc(2026, 3, 6, 16), utc(2026, 3, 9, 14)),  # Monday, EDT since Sunday
        (NEW_YORK, utc(2026, 10, 30, 16), utc(2026, 11, 2, 15)),  # Monday, EST again
        (SINGAPORE, utc(2026, 3, 27, 12), utc(2026, 3, 30, 2)),  # no daylight saving
    ],
)
def test_a_round_fires_at_ten_local_time_on_either_side_of_a_clock_change(
    tz: str, after: datetime, fires: datetime
) -> None:
    fire = next_fire(WEEKDAYS, tz, after)

    assert fire == fires
    local = fire.astimezone(ZoneInfo(tz))
    assert (local.time(), local.strftime("%a")) == (time(10), fires.strftime("%a"))


@pytest.fixture
def scheduler(engine: Engine) -> Iterator[BackgroundScheduler]:
    made = make_scheduler(engine)
    made.start(paused=True)
    yield made
    made.shutdown(wait=True)


def test_sync_makes_one_job_per_schedule_and_zone_plus_the_sweep(
    scheduler: BackgroundScheduler,
) -> None:
    ids = sync_jobs(scheduler, ZONED_SCHEDULES, {LONDON, SINGAPORE, NEW_YORK})

    assert ids == [round_job_id("daily", tz) for tz in sorted([LONDON, NEW_YORK, SINGAPORE])]
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {*ids, SWEEP_JOB}
    london = jobs[round_job_id("daily", LONDON)]
    assert (london.args, london.func_ref) == (
        ("daily", LONDON),
        "bot.slack.jobs:run_scheduled_round",
    )
    assert london.trigger.timezone == ZoneInfo(LONDON)


def test_a_changed_time_replaces_the_job_and_a_zone_no_longer_used_is_dropped(
    scheduler: BackgroundScheduler,
) -> None:
    sync_jobs(scheduler, ZONED_SCHEDULES, {LONDON, SINGAPORE})
    long_ago = utc(2026, 1, 5, 10)
    scheduler.modify_job(round_job_id("daily", LONDON), next_run_time=long_ago)
    at_eleven = DAILY.model_copy(update={"time": "11:00"})
    moved = SchedulesFile(company=ZONED_SCHEDULES.company, schedules=[at_eleven])

    sync_jobs(scheduler, moved, {LONDON})

    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {round_job_id("daily", LONDON), SWEEP_JOB}
    replaced = jobs[round_job_id("daily", LONDON)]
    assert str(replaced.trigger) == str(round_trigger(at_eleven, LONDON))
    assert replaced.next_run_time.astimezone(ZoneInfo(LONDON)).time() == time(11)


def test_a_job_whose_trigger_is_unchanged_keeps_its_next_run(
    scheduler: BackgroundScheduler,
) -> None:
    sync_jobs(scheduler, ZONED_SCHEDULES, {LONDON})
    missed = utc(2026, 11, 2, 10)
    scheduler.modify_job(round_job_id("daily", LONDON), next_run_time=missed)

    sync_jobs(scheduler, ZONED_SCHEDULES, {LONDON})

    assert scheduler.get_job(round_job_id("daily", LONDON)).next_run_time == missed


class Executions:
    """Jobs the scheduler ran, counted from its own events; waits for the ones a test expects."""

    def __init__(self, expected: set[str]) -> None:
        self.ran: list[str] = []
        self.errors: list[str] = []
        self._expected = expected
        self._lock = threading.Lock()
        self.all_ran = threading.Event()

    def __call__(self, event: JobExecutionEvent) -> None:
        with self._lock:
            (self.errors if event.exception else self.ran).append(event.job_id)
            if self._expected <= {*self.ran, *self.errors}:
                self.all_ran.set()


@pytest.fixture
def london_only(engine: Engine) -> Iterator[RoundWorld]:
    """ZONED_PEOPLE with everyone outside London gone, so one round job runs."""
    with zoned_sandbox() as sandbox:
        world = RoundWorld.open(sandbox, engine, utc_now)
        with time_machine.travel(utc(2026, 11, 2, 8), tick=False):
            world.stock()
        rounds: RoundService = world.runtime.services.rounds
        for user in ZONED_PEOPLE:
            if user.tz != LONDON:
                rounds.deactivate(slack_user=user.id)
        yield world
        activate(None)


def start(world: RoundWorld) -> BackgroundScheduler:
    services = world.runtime.services
    return start_scheduler(
        engine=world.runtime.engine,
        schedules=world.runtime.schedules,
        services=services,
        sender=world.runtime.sender,
        clock=world.clock,
    )


def listening_start(world: RoundWorld, executions: Executions) -> BackgroundScheduler:
    """start_scheduler's steps, with `executions` listening before any job can run."""
    scheduler = make_scheduler(world.runtime.engine)
    scheduler.add_listener(executions, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    activate(dataclasses.replace(world.activate(), scheduler=scheduler))
    scheduler.start(paused=True)
    sync_jobs(scheduler, world.runtime.schedules, world.runtime.services.rounds.time_zones())
    scheduler.resume()
    return scheduler


def stored_next_run(world: RoundWorld, job_id: str) -> datetime:
    """The job's next run as the job store keeps it in the database."""
    with world.session() as session:
        stamp = session.execute(
            text("SELECT next_run_time FROM apscheduler_jobs WHERE id = :id"), {"id": job_id}
        ).scalar_one()
    return datetime.fromtimestamp(stamp, UTC)


def test_runs_missed_while_the_bot_was_down_fire_once_on_restart(
    london_only: RoundWorld,
) -> None:
    job = round_job_id("daily", LONDON)
    with time_machine.travel(utc(2026, 11, 2, 9), tick=True) as traveller:
        first = start(london_only)
        assert first.get_job(job).next_run_time == utc(2026, 11, 2, 10)
        first.shutdown(wait=True)
        # Down from Monday 09:00 to Thursday 10:30: four 10:00 runs were missed.
        traveller.move_to(utc(2026, 11, 5, 10, 30))
        restarted = london_only.restarted(utc_now)
        executions = Executions({job, SWEEP_JOB})
        second = listening_start(restarted, executions)
        try:
            assert executions.all_ran.wait(UNTIL_EXECUTED), executions.ran
        finally:
            second.shutdown(wait=True)
            restarted.runtime.engine.dispose()

    assert (executions.ran.count(job), executions.errors) == (1, [])
    assert stored_next_run(london_only, job) == utc(2026, 11, 6, 10)
    with london_only.session() as session:
        dates = list(session.scalars(select(models.Round.local_date)))
    assert dates == [date(2026, 11, 5)]
    assert sorted(london_only.posts_per_delivery().values()) == [1, 1, 1, 1]
