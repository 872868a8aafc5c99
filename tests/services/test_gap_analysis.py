"""The stored question analysis: read by summaries, recomputed on the sweep when due."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.domain.gaps import GapRules
from bot.services.awareness import AwarenessService, Scope
from bot.services.gaps import GapService, period_ending
from bot.services.quiz import QuizService
from storage.db import UnitOfWork
from storage.tallies import AnalysisRun
from tests.conftest import Clock
from tests.services.test_awareness import answer, world

__all__ = ["world"]

ADMIN = Scope(departments=None, is_admin=True)


def gaps(uow: Callable[[], UnitOfWork], clock: Clock) -> GapService:
    return GapService(uow=uow, rules=GapRules(), clock=clock, days=90)


def facility(service: GapService, *, fresh: bool = False) -> dict[str, tuple[int, float]]:
    report = service.report(scope=ADMIN, fresh_analysis=fresh)
    return {q.question_code: (q.answers, q.facility) for q in report.quality}


def test_summaries_read_the_stored_analysis_until_it_is_recomputed(
    world: tuple[QuizService, AwarenessService], uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz, _ = world
    service = gaps(uow, clock)
    codes = {answer(quiz, "P1", right=True), answer(quiz, "P2", right=False)}
    service.refresh_analysis()
    stored = facility(service)
    assert sum(n for n, _ in stored.values()) == 2
    computed_at = clock.now

    clock.advance(minutes=5)
    codes.add(answer(quiz, "W1", right=False))
    # The summary still shows the analysis as computed, and says when that was.
    report = service.report(scope=ADMIN)
    assert {q.question_code: (q.answers, q.facility) for q in report.quality} == stored
    assert report.analysis_as_of == computed_at
    # The command-line report computes it afresh.
    assert sum(n for n, _ in facility(service, fresh=True).values()) == 3
    assert {code.rsplit("-", 1)[0] for code in facility(service, fresh=True)} == codes


def test_the_sweep_recomputes_only_when_answers_came_in_and_not_too_often(
    world: tuple[QuizService, AwarenessService], uow: Callable[[], UnitOfWork], clock: Clock
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
    world: tuple[QuizService, AwarenessService], uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz, _ = world
    answer(quiz, "P1", right=False)
    report = gaps(uow, clock).report(scope=ADMIN)
    assert [(q.answers, q.facility) for q in report.quality] == [(1, 0.0)]
    assert report.analysis_as_of == clock.now


def test_a_managers_stored_analysis_counts_only_their_departments(
    world: tuple[QuizService, AwarenessService], uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    quiz, _ = world
    service = gaps(uow, clock)
    answer(quiz, "P1", right=True)
    answer(quiz, "W1", right=False)
    answer(quiz, "W2", right=False)
    service.refresh_analysis()
    warehouse = service.report(scope=Scope(departments=["Warehouse"], is_admin=False))
    assert sum(q.answers for q in warehouse.quality) == 2
    assert all(q.facility == 0.0 for q in warehouse.quality)


def test_periods_are_whole_utc_days_ending_today() -> None:
    end = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)
    period = period_ending(end, days=90)
    assert period.start == datetime(2026, 8, 29, tzinfo=UTC)
    assert period.end == end
    assert period_ending(end, days=1).start == datetime(2026, 11, 26, tzinfo=UTC)


def test_two_refreshes_at_once_take_turns_and_leave_one_analysis(
    world: tuple[QuizService, AwarenessService], uow: Callable[[], UnitOfWork], clock: Clock
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
