"""The product's summary services as the benchmark drives them: as the operator (every
department), with the clock at the simulated now."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from summary_company import NOW

from bot.domain.summary.gaps import GapRules
from bot.services.access import OPERATOR, Access
from bot.services.summary.counts import AwarenessSummary, SummaryService
from bot.services.summary.gap_report import GapReport
from bot.services.summary.gaps import GapService
from storage.db import UnitOfWork
from storage.reports import Period

PERIOD_DAYS = 90
ADMIN = OPERATOR


def services_for(uow: Callable[[], UnitOfWork]) -> tuple[SummaryService, GapService]:
    access = Access(uow=uow, admins=[])
    return (
        SummaryService(uow=uow, access=access),
        GapService(uow=uow, access=access, rules=GapRules(), clock=lambda: NOW, days=PERIOD_DAYS),
    )


def no_database() -> UnitOfWork:
    raise RuntimeError("working out the period needs no database")


def current_period() -> Period:
    """The report's default period, as GapService works it out with the clock at NOW.

    Whole UTC days: it starts at midnight of its first day.
    """
    return services_for(no_database)[1].default_period()


@dataclass
class Summary:
    """What /awareness computes for an admin (bot/slack/summary/listeners.py `post_summary`).

    The gap report over the default period, with the stored question analysis; then the
    awareness summary since that period's start, given the report's department x procedure
    cells so that it does not read them again.
    """

    uow: Callable[[], UnitOfWork]
    awareness_seconds: list[float] = field(default_factory=list)
    report_seconds: list[float] = field(default_factory=list)

    def run(self) -> tuple[GapReport, AwarenessSummary]:
        awareness, gaps = services_for(self.uow)
        started = time.perf_counter()
        report = gaps.report(caller=ADMIN)
        middle = time.perf_counter()
        summary = awareness.summary(
            caller=ADMIN, since=report.period.start, cells=[g.cell for g in report.procedures]
        )
        self.report_seconds.append(middle - started)
        self.awareness_seconds.append(time.perf_counter() - middle)
        return report, summary
