"""The services one app instance uses, built together from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.schedules import SchedulesFile
from bot.domain.summary.gaps import GapRules
from bot.services.access import Access
from bot.services.mock_audit.model_review import SecondOpinion
from bot.services.mock_audit.service import MockAuditService
from bot.services.quiz.service import QuizService
from bot.services.rounds.followup import FollowUpService
from bot.services.rounds.service import STALE_CLAIM, RoundService
from bot.services.schedules import ScheduleAdmin
from bot.services.staff import SlackDirectory
from bot.services.summary.counts import SummaryService
from bot.services.summary.gaps import GapService
from storage.db import UnitOfWork


@dataclass(frozen=True)
class Services:
    access: Access
    quiz: QuizService
    summary: SummaryService
    gaps: GapService
    rounds: RoundService
    followup: FollowUpService
    schedules: ScheduleAdmin
    mock: MockAuditService


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
    stale_claim: timedelta = STALE_CLAIM,
    second_opinion: SecondOpinion | None = None,
) -> Services:
    access = Access(uow=uow, admins=admins)
    return Services(
        access=access,
        quiz=QuizService(uow=uow, directory=directory, clock=clock, recent_days=recent_days),
        summary=SummaryService(uow=uow, access=access),
        gaps=GapService(uow=uow, access=access, rules=rules, clock=clock, days=report_days),
        rounds=RoundService(
            uow=uow,
            clock=clock,
            company=schedules.company,
            recent_days=recent_days,
            access=access,
            stale_claim=stale_claim,
        ),
        followup=FollowUpService(uow=uow, clock=clock),
        schedules=ScheduleAdmin(uow=uow, schedules=schedules, clock=clock, access=access),
        mock=MockAuditService(
            uow=uow,
            clock=clock,
            access=access,
            min_people=rules.min_people,
            second_opinion=second_opinion,
        ),
    )
