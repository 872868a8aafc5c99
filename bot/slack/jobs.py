"""Scheduler jobs: entrypoints like listeners, run with the process's job context.

APScheduler stores jobs by function reference and plain arguments, so the live services
are found through the context the process activated at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine

from bot.domain.schedules import SchedulesFile
from bot.services.access import scheduled
from bot.services.registry import Services
from bot.services.rounds.service import plan_for_schedule
from bot.services.schedules import ScheduleAdmin
from bot.slack.mock_audit.export import send_findings
from bot.slack.rounds.delivery import Sender, close_expired, deliver, send_reminders
from bot.slack.scheduler import make_scheduler, sync_jobs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    schedules: SchedulesFile
    admin: ScheduleAdmin
    sender: Sender
    clock: Callable[[], datetime]
    time_zones: Callable[[], set[str]]
    scheduler: BaseScheduler | None = None
    also_on_sweep: Callable[[], None] | None = None


_context: JobContext | None = None


def activate(context: JobContext | None) -> None:
    """Make `context` the one jobs in this process run with (None to clear it)."""
    global _context
    _context = context


def current() -> JobContext:
    if _context is None:
        raise RuntimeError("no job context: call bot.slack.jobs.activate() before starting jobs")
    return _context


def run_scheduled_round(schedule_key: str, tz: str) -> None:
    """Open today's round of a schedule in one time zone and send it."""
    context = current()
    schedule = context.schedules.get(schedule_key)
    if schedule is None:
        log.warning("schedule %s is no longer in the schedules file; skipped", schedule_key)
        return
    if context.admin.is_paused(schedule_key):
        log.info("schedule %s is paused; skipped", schedule_key)
        return
    plan = plan_for_schedule(schedule, tz=tz, now=context.clock())
    opened = context.sender.rounds.open(plan)
    report = deliver(context.sender, context.sender.rounds.unsent(round_id=opened.round_id))
    log.info(
        "round %s (%s, %s): %d new deliveries, %d sent, skipped %s, failed %s",
        opened.round_id,
        schedule_key,
        tz,
        opened.created,
        report.sent,
        dict(opened.skipped),
        dict(report.failed),
    )


def sweep() -> None:
    """Resend what a crash or a Slack outage left unsent, remind once, close expired questions."""
    context = current()
    resent = deliver(context.sender, context.sender.rounds.unsent())
    reminded = send_reminders(context.sender)
    closed = close_expired(context.sender)
    context.sender.rounds.forget_old_keys()
    if context.also_on_sweep is not None:
        context.also_on_sweep()
    if context.scheduler is not None:
        sync_jobs(context.scheduler, context.schedules, context.time_zones())
    if resent.sent or reminded or closed:
        log.info("sweep: %d resent, %d reminded, %d closed", resent.sent, reminded, closed)


def start_scheduler(
    *,
    engine: Engine,
    schedules: SchedulesFile,
    services: Services,
    sender: Sender,
    clock: Callable[[], datetime],
) -> BackgroundScheduler:
    """Start the persistent scheduler with one job per schedule and time zone in use.

    It starts paused so that jobs are reconciled with the schedules file before any runs;
    runs missed while the bot was down then fire once on resume.
    """
    scheduler = make_scheduler(engine)
    activate(job_context(schedules, services, sender, clock, scheduler))
    scheduler.start(paused=True)
    sync_jobs(scheduler, schedules, services.rounds.time_zones())
    scheduler.resume()
    return scheduler


def job_context(
    schedules: SchedulesFile,
    services: Services,
    sender: Sender,
    clock: Callable[[], datetime],
    scheduler: BaseScheduler | None = None,
) -> JobContext:
    """What the jobs of this process run with, the sweep's housekeeping included."""
    return JobContext(
        schedules=schedules,
        admin=services.schedules,
        sender=sender,
        clock=clock,
        time_zones=services.rounds.time_zones,
        scheduler=scheduler,
        also_on_sweep=lambda: _housekeeping(services, sender),
    )


def _housekeeping(services: Services, sender: Sender) -> None:
    close_due_mock_audits(services, sender)
    if services.gaps.refresh_analysis_if_due():
        log.info("sweep: question analysis recomputed")


def close_due_mock_audits(services: Services, sender: Sender) -> None:
    """Close mock audits whose window has ended and send their findings to the admins."""
    window_ended = scheduled("window ended")
    for round_id in services.mock.due_to_close():
        services.mock.close(caller=window_ended, round_id=round_id)
        report = services.mock.findings(caller=window_ended, round_id=round_id)
        for admin in services.access.admin_ids():
            send_findings(client=sender.client, report=report, user=admin)
