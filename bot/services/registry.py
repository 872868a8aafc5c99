"""The services one app instance uses, built together from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.schedules import SchedulesFile
from bot.domain.summary.gaps import GapRules
from bot.services.mock_audit.service import MockAuditService
from bot.services.quiz.service import QuizService
from bot.services.rounds.followup import FollowUpService
from bot.services.rounds.service import RoundService
from bot.services.schedules import ScheduleAdmin
from bot.services.staff import SlackDirectory
from bot.services.summary.counts import AwarenessService
from bot.services.summary.gaps import GapService
from storage.db import UnitOfWork


@dataclass(frozen=True)
class Services:
    quiz: QuizService
    awareness: AwarenessService
    rounds: RoundService
    followup: FollowUpService
    schedules: ScheduleAdmin
    gaps: GapService
    mock: MockAuditService
    uow: Callable[[], UnitOfWork]
    min_people: int  # the smallest group a manager's summaries count (AUDITREADY_MIN_PEOPLE)


def build_services(
    *,
    uow: Callable[[], UnitOfWork],
    directory: SlackDirectory,
    clock: Callable[[], datetime],
    recent_days: int,
    admins: list[str],
    schedules: SchedulesFile,
    rules: GapRules,
    report_days: int,
) -> Services:
    return Services(
        quiz=QuizService(uow=uow, directory=directory, clock=clock, recent_days=recent_days),
        awareness=AwarenessService(uow=uow, admins=admins),
        rounds=RoundService(
            uow=uow, clock=clock, company=schedules.company, recent_days=recent_days
        ),
        followup=FollowUpService(uow=uow, clock=clock),
        schedules=ScheduleAdmin(uow=uow, schedules=schedules, clock=clock),
        gaps=GapService(uow=uow, rules=rules, clock=clock, days=report_days),
        mock=MockAuditService(uow=uow, clock=clock),
        uow=uow,
        min_people=rules.min_people,
    )
