"""After a round opens: one reminder to those who haven't answered, closing, and racing runs."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.services.quiz.service import AnswerOutcome, AnswerRefused, QuizService, Refusal
from bot.services.rounds.followup import FollowUpService
from bot.services.rounds.service import RoundOpened, RoundService, plan_for_schedule
from storage import models
from storage.db import UnitOfWork, make_session_factory
from tests.bot.services.fakes import FakeDirectory
from tests.bot.services.rounds.test_service import (
    DAILY,
    LONDON,
    WEDNESDAY,
    at_ten,
    open_daily,
    round_service,
    stock,
)
from tests.conftest import Clock
from tests.e2e.workspace import HARRY, OLIVIA


@pytest.fixture
def directory(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> FakeDirectory:
    return stock(uow, clock, tmp_path / "bank")


@pytest.fixture
def rounds(uow: Callable[[], UnitOfWork], clock: Clock, directory: FakeDirectory) -> RoundService:
    return round_service(uow, clock)


@pytest.fixture
def quiz(uow: Callable[[], UnitOfWork], clock: Clock, directory: FakeDirectory) -> QuizService:
    return QuizService(uow=uow, directory=directory, clock=clock, recent_days=14)


@pytest.fixture
def followup(uow: Callable[[], UnitOfWork], clock: Clock) -> FollowUpService:
    return FollowUpService(uow=uow, clock=clock)


def send_all(rounds: RoundService, quiz: QuizService, round_id: int) -> list[int]:
    """Claim and mark sent every delivery of the round, as a successful fan-out would."""
    sent = []
    for delivery_id in rounds.unsent(round_id=round_id):
        assert rounds.claim(delivery_id=delivery_id) is not None
        quiz.mark_sent(delivery_id=delivery_id, channel="D0", ts=f"{delivery_id}.000100")
        sent.append(delivery_id)
    return sent


def deliveries_of(uow: Callable[[], UnitOfWork], slack_id: str) -> list[int]:
    with uow() as work:
        return list(
            work.session.scalars(
                select(models.Delivery.id)
                .join(models.Person, models.Person.id == models.Delivery.person_id)
                .where(models.Person.slack_id == slack_id)
                .order_by(models.Delivery.id)
            )
        )


def answer(
    uow: Callable[[], UnitOfWork], quiz: QuizService, slack_id: str, delivery_id: int
) -> AnswerOutcome | AnswerRefused:
    """Choose the question's first option, as a person clicking its first button would."""
    with uow() as work:
        options = work.session.get_one(models.Delivery, delivery_id).question_version.options
    return quiz.record_answer(slack_user=slack_id, delivery_id=delivery_id, chosen=[options[0][0]])


@pytest.fixture
def sent_round(rounds: RoundService, quiz: QuizService, clock: Clock) -> RoundOpened:
    """London's Wednesday round, both questions sent to Olivia and to Harry."""
    opened = open_daily(rounds, clock, LONDON, WEDNESDAY)
    assert len(send_all(rounds, quiz, opened.round_id)) == 4
    return opened


def test_one_reminder_goes_only_to_people_who_have_not_answered(
    sent_round: RoundOpened,
    quiz: QuizService,
    followup: FollowUpService,
    uow: Callable[[], UnitOfWork],
    clock: Clock,
) -> None:
    for delivery_id in deliveries_of(uow, OLIVIA.id):
        assert isinstance(answer(uow, quiz, OLIVIA.id, delivery_id), AnswerOutcome)
    clock.advance(hours=23, minutes=59)
    assert followup.due_reminders() == []

    clock.advance(minutes=1)
    (reminder,) = followup.due_reminders()
    clock.advance(hours=1)
    again = followup.due_reminders()

    assert (reminder.slack_user, reminder.waiting) == (HARRY.id, 2)
    assert reminder.closes_at == at_ten(LONDON, WEDNESDAY) + timedelta(hours=48)
    assert again == []


def test_someone_who_answered_part_of_a_round_is_reminded_of_the_rest(
    sent_round: RoundOpened,
    quiz: QuizService,
    followup: FollowUpService,
    uow: Callable[[], UnitOfWork],
    clock: Clock,
) -> None:
    answer(uow, quiz, OLIVIA.id, deliveries_of(uow, OLIVIA.id)[0])
    clock.advance(hours=24)

    reminders = sorted((r.slack_user, r.waiting) for r in followup.due_reminders())

    assert reminders == sorted([(OLIVIA.id, 1), (HARRY.id, 2)])


def test_no_reminder_for_questions_never_sent_or_after_the_round_closed(
    rounds: RoundService,
    quiz: QuizService,
    followup: FollowUpService,
    clock: Clock,
) -> None:
    unsent = open_daily(rounds, clock, LONDON, WEDNESDAY)
    clock.advance(hours=24)
    assert followup.due_reminders() == []
    send_all(rounds, quiz, unsent.round_id)
    clock.advance(hours=24)

    assert followup.due_reminders() == []


def test_after_the_window_unanswered_questions_close_and_a_late_answer_is_refused(
    sent_round: RoundOpened,
    quiz: QuizService,
    followup: FollowUpService,
    uow: Callable[[], UnitOfWork],
    clock: Clock,
) -> None:
    olivia_first, olivia_second = deliveries_of(uow, OLIVIA.id)
    answer(uow, quiz, OLIVIA.id, olivia_first)
    clock.advance(hours=47, minutes=59)
    assert followup.due_closures() == []
    assert isinstance(answer(uow, quiz, OLIVIA.id, olivia_second), AnswerOutcome)

    clock.advance(minutes=1)
    closures = followup.due_closures()
    late = answer(uow, quiz, HARRY.id, deliveries_of(uow, HARRY.id)[0])

    assert sorted(c.delivery_id for c in closures) == deliveries_of(uow, HARRY.id)
    assert all(c.channel == "D0" and c.ts == f"{c.delivery_id}.000100" for c in closures)
    assert late == AnswerRefused(Refusal.CLOSED)
    assert followup.due_closures() == []
    with uow() as work:
        closed = work.session.execute(
            select(models.Delivery.id, models.Delivery.closed_at).order_by(models.Delivery.id)
        ).all()
        answers = work.session.scalar(select(func.count()).select_from(models.Answer))
    assert {i for i, at in closed if at is not None} == set(deliveries_of(uow, HARRY.id))
    assert answers == 2


def test_a_question_never_sent_is_closed_without_a_message_to_update(
    rounds: RoundService, followup: FollowUpService, clock: Clock
) -> None:
    opened = open_daily(rounds, clock, LONDON, WEDNESDAY)
    clock.advance(hours=48)

    assert followup.due_closures() == []
    assert rounds.unsent(round_id=opened.round_id) == []


def test_two_runs_of_the_same_round_at_once_give_each_question_once(
    rounds: RoundService, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    clock.now = at_ten(LONDON, WEDNESDAY)
    plan = plan_for_schedule(DAILY, tz=LONDON, now=clock())
    start = threading.Barrier(2)

    def run() -> RoundOpened:
        start.wait(timeout=10)
        return rounds.open(plan)

    with ThreadPoolExecutor(max_workers=2) as pool:
        opened = [f.result(timeout=30) for f in [pool.submit(run), pool.submit(run)]]

    assert opened[0].round_id == opened[1].round_id
    assert opened[0].created + opened[1].created == 4
    with uow() as work:
        per_person = work.session.execute(
            select(
                models.Delivery.person_id,
                func.count(),
                func.count(func.distinct(models.Delivery.question_code)),
            ).group_by(models.Delivery.person_id)
        ).all()
        rounds_made = work.session.scalar(select(func.count()).select_from(models.Round))
    assert sorted((n, distinct) for _, n, distinct in per_person) == [(2, 2), (2, 2)]
    assert rounds_made == 1


def test_a_question_sent_after_the_reminder_does_not_earn_a_second_one(
    rounds: RoundService, quiz: QuizService, followup: FollowUpService, clock: Clock
) -> None:
    opened = open_daily(rounds, clock, LONDON, WEDNESDAY)
    olivia_first, olivia_second, *_ = rounds.unsent(round_id=opened.round_id)
    quiz.mark_sent(delivery_id=olivia_first, channel="D0", ts="1.000100")
    clock.advance(hours=24)
    assert [r.slack_user for r in followup.due_reminders()] == [OLIVIA.id]

    # Slack refused her second question until now; the sweep sends it after the reminder.
    quiz.mark_sent(delivery_id=olivia_second, channel="D0", ts="1.000200")
    clock.advance(minutes=5)

    assert followup.due_reminders() == []


class CommitNever(UnitOfWork):
    """A unit of work whose process dies just before it commits."""

    def commit(self) -> None:
        raise RuntimeError("the process died before committing")


def test_a_round_whose_opening_never_commits_leaves_nothing_behind(
    engine: Engine,
    uow: Callable[[], UnitOfWork],
    clock: Clock,
    tmp_path: Path,
) -> None:
    stock(uow, clock, tmp_path / "bank")
    dying = round_service(functools.partial(CommitNever, make_session_factory(engine)), clock)

    with pytest.raises(RuntimeError, match="died"):
        open_daily(dying, clock, LONDON, WEDNESDAY)

    with uow() as work:
        left = [
            work.session.scalar(select(func.count()).select_from(model))
            for model in (models.Round, models.Delivery)
        ]
    assert left == [0, 0]
