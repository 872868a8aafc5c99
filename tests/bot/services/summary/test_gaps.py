"""The stored verdicts: computed once for the company, read by every view, kept current."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.domain.summary.gaps import GapRules
from bot.services.access import OPERATOR, Access, Caller, person
from bot.services.quiz.service import QuizService
from bot.services.summary.counts import SummaryService
from bot.services.summary.gaps import GapService, period_ending
from storage.db import UnitOfWork
from storage.tallies import AnalysisRun
from tests.bot.services.summary.test_counts import answer, world
from tests.conftest import Clock

__all__ = ["world"]

ADMIN: Caller = OPERATOR


def gaps(uow: Callable[[], UnitOfWork], clock: Clock) -> GapService:
    access = Access(uow=uow, admins=[])
    return GapService(uow=uow, access=access, rules=GapRules(), clock=clock, days=90)


def facility(service: GapService, *, fresh: bool = False) -> dict[str, tuple[int, float]]:
    report = service.report(caller=ADMIN, fresh_analysis=fresh)
    return {q.question_code: (q.answers, q.facility) for q in report.quality}


def test_a_summary_recomputes_the_verdicts_only_when_answers_came_in(
    world: tuple[QuizService, SummaryService], uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz, _ = world
    service = gaps(uow, clock)
    codes = {answer(quiz, "P1", right=True), answer(quiz, "P2", right=False)}
    service.refresh_analysis()
    computed_at = clock.now
    stored = facility(service)
    assert sum(n for n, _ in stored.values()) == 2

    clock.advance(minutes=5)
    # Nothing new: the stored verdicts are served as they were computed.
    assert service.report(caller=ADMIN).analysis_as_of == computed_at

    codes.add(answer(quiz, "W1", right=False))
    clock.advance(minutes=1)
    report = service.report(caller=ADMIN)
    assert report.analysis_as_of == clock.now
    assert sum(q.answers for q in report.quality) == 3
    assert {q.question_code.rsplit("-", 1)[0] for q in report.quality} == codes


def test_the_sweep_recomputes_only_when_answers_came_in_and_not_too_often(
    world: tuple[QuizService, SummaryService], uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz, _ = world
    service = gaps(uow, clock)
    assert service.refresh_analysis_if_due() is True  # never computed
    answer(quiz, "P1", right=True)
    clock.advance(minutes=10)
    assert service.refresh_analysis_if_due() is False  # answers came in, but too soon
    clock.advance(minutes=6)
    assert service.refresh_analysis_if_due() is True
    assert sum(n for n, _ in facility(service).values()) == 1
    clock.advance(minutes=30)
    assert service.refresh_analysis_if_due() is False  # nothing new
    clock.advance(days=1)
    assert service.refresh_analysis_if_due() is True  # the period moved on a day


def test_without_a_stored_analysis_the_summary_computes_it(
    world: tuple[QuizService, SummaryService], uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz, _ = world
    answer(quiz, "P1", right=False)
    report = gaps(uow, clock).report(caller=ADMIN)
    assert [(q.answers, q.facility) for q in report.quality] == [(1, 0.0)]
    assert report.analysis_as_of == clock.now


def test_a_cell_has_one_verdict_in_every_scope_and_a_manager_sees_only_their_departments(
    world: tuple[QuizService, SummaryService], uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz, _ = world
    service = gaps(uow, clock)
    for user, right in [("P1", True), ("P2", True), ("W1", False), ("W2", False), ("WM", False)]:
        for _ in range(3):
            answer(quiz, user, right=right)
            clock.advance(hours=1)
    company = {
        (g.cell.department, g.cell.subject): g for g in service.report(caller=ADMIN).procedures
    }
    warehouse = service.report(caller=person("WM"))
    assert {g.cell.department for g in warehouse.procedures} == {"Warehouse"}
    assert {g.cell.department for g in warehouse.clauses} <= {"Warehouse"}
    assert warehouse.systemic == []
    for gap in warehouse.procedures:
        same = company[(gap.cell.department, gap.cell.subject)]
        assert (gap.grade, gap.p_weak, gap.estimate, gap.auditor_chance) == (
            same.grade,
            same.p_weak,
            same.estimate,
            same.auditor_chance,
        )
    assert all(p.department == "Warehouse" for p in warehouse.practice)


def test_periods_are_whole_utc_days_ending_today() -> None:
    end = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)
    period = period_ending(end, days=90)
    assert period.start == datetime(2026, 8, 29, tzinfo=UTC)
    assert period.end == end
    assert period_ending(end, days=1).start == datetime(2026, 11, 26, tzinfo=UTC)


def test_two_refreshes_at_once_take_turns_and_leave_one_analysis(
    world: tuple[QuizService, SummaryService], uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz, _ = world
    for user in ("P1", "P2", "W1", "W2"):
        answer(quiz, user, right=user.startswith("P"))
    service = gaps(uow, clock)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def refresh() -> None:
        start.wait()
        try:
            service.refresh_analysis()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=refresh) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with uow() as work:
        assert work.session.scalar(select(func.count()).select_from(AnalysisRun)) == 1
    assert sum(n for n, _ in facility(service).values()) == 4
