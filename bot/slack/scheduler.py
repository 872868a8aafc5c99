"""APScheduler 3 with its job store in the app's own database.

Jobs have stable ids and are only replaced when their trigger changes, so a run missed while
the bot was down is still due at start-up; coalescing then makes it fire once.
"""

from __future__ import annotations

from datetime import UTC

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine

from bot.domain.schedules import Schedule, SchedulesFile

SWEEP_JOB = "sweep"
SWEEP_MINUTES = 5
ROUND_JOB_PREFIX = "round:"


def make_scheduler(engine: Engine) -> BackgroundScheduler:
    """A scheduler whose jobs persist in `engine`'s database (the engine has pool_pre_ping)."""
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine)},
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        timezone=UTC,
    )


def round_job_id(schedule_key: str, tz: str) -> str:
    return f"{ROUND_JOB_PREFIX}{schedule_key}:{tz}"


def round_trigger(schedule: Schedule, tz: str) -> CronTrigger:
    """The schedule's days and time in one time zone; zoneinfo makes DST changes right."""
    local = schedule.local_time
    return CronTrigger(
        day_of_week=",".join(schedule.days), hour=local.hour, minute=local.minute, timezone=tz
    )


def sync_jobs(
    scheduler: BackgroundScheduler, schedules: SchedulesFile, time_zones: set[str]
) -> list[str]:
    """One job per schedule and time zone in use, plus the sweep; returns the round job ids."""
    wanted = {
        round_job_id(s.id, tz): (s, tz) for s in schedules.schedules for tz in sorted(time_zones)
    }
    for job in scheduler.get_jobs():
        if job.id.startswith(ROUND_JOB_PREFIX) and job.id not in wanted:
            job.remove()
    for job_id, (schedule, tz) in wanted.items():
        _ensure(
            scheduler,
            job_id,
            "bot.slack.jobs:run_scheduled_round",
            round_trigger(schedule, tz),
            [schedule.id, tz],
            f"{schedule.name} ({tz})",
        )
    _ensure(
        scheduler,
        SWEEP_JOB,
        "bot.slack.jobs:sweep",
        IntervalTrigger(minutes=SWEEP_MINUTES),
        [],
        "reminders, closing and resending",
    )
    return sorted(wanted)


def _ensure(
    scheduler: BackgroundScheduler,
    job_id: str,
    func: str,
    trigger: CronTrigger | IntervalTrigger,
    args: list[str],
    name: str,
) -> None:
    existing = scheduler.get_job(job_id)
    if (
        existing is not None
        and str(existing.trigger) == str(trigger)
        and list(existing.args) == args
    ):
        return
    scheduler.add_job(func, trigger, id=job_id, args=args, name=name, replace_existing=True)
