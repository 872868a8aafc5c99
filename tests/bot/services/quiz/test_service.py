from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services.departments import declare_departments
from bot.services.quiz.service import (
    AnswerOutcome,
    AnswerRefused,
    NothingToAsk,
    QuestionToAsk,
    QuizService,
    Refusal,
)
from bot.services.staff import import_roster, sync_staff
from storage import models
from storage.db import UnitOfWork
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock

ROSTER_HEAD = {"oversees": "", "manager": "no", "admin": "no"}


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory(
        [
            slack_user("U1", "Ada Operator", email="ada@example.com"),
            slack_user("U2", "Bo Driver", email="bo@example.com"),
        ]
    )


@pytest.fixture
def quiz(
    uow: Callable[[], UnitOfWork], directory: FakeDirectory, clock: Clock, tmp_path: Path
) -> QuizService:
    write_bank(
        tmp_path / "bank",
        [
            procedure_file(
                "QP-08", [question("QP-08-001"), question("QP-08-002")], departments=["Production"]
            ),
            procedure_file("EP-03", [question("EP-03-001", answer="a")], departments=["Warehouse"]),
        ],
    )
    sync(uow, tmp_path / "bank", clock.now)
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    rows = [
        {
            **ROSTER_HEAD,
            "email": "ada@example.com",
            "slack_id": "",
            "name": "Ada",
            "department": "Production",
            "role": "operator",
        },
        {
            **ROSTER_HEAD,
            "email": "",
            "slack_id": "U2",
            "name": "Bo",
            "department": "Warehouse",
            "role": "driver",
        },
    ]
    import_roster(uow=uow, rows=rows, departments=declare_departments(["Production", "Warehouse"]))
    return QuizService(uow=uow, directory=directory, clock=clock, recent_days=14)


def ask(quiz: QuizService, user: str = "U1") -> QuestionToAsk:
    result = quiz.start_delivery(slack_user=user)
    assert isinstance(result, QuestionToAsk)
    return result


def test_a_person_only_gets_questions_for_their_department(quiz: QuizService) -> None:
    assert {ask(quiz, "U1").procedure_code for _ in range(4)} == {"QP-08"}
    assert ask(quiz, "U2").question_code == "EP-03-001"


def test_questions_not_asked_recently_come_first(quiz: QuizService, clock: Clock) -> None:
    first = ask(quiz)
    clock.advance(minutes=1)
    second = ask(quiz)
    assert {first.question_code, second.question_code} == {"QP-08-001", "QP-08-002"}


def test_when_all_were_asked_recently_the_oldest_comes_back(
    quiz: QuizService, clock: Clock
) -> None:
    first = ask(quiz)
    clock.advance(minutes=1)
    ask(quiz)
    clock.advance(minutes=1)
    assert ask(quiz).question_code == first.question_code


def test_an_answer_records_the_evidence_as_it_was(
    quiz: QuizService, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    delivered = ask(quiz)
    clock.advance(seconds=42)
    outcome = quiz.record_answer(slack_user="U1", delivery_id=delivered.delivery_id, chosen=["b"])
    assert isinstance(outcome, AnswerOutcome)
    assert outcome.is_correct and not outcome.already_answered
    with uow() as work:
        answer = work.session.scalars(select(models.Answer)).one()
        assert (answer.department, answer.role) == ("Production", "operator")
        assert (answer.procedure_code, answer.procedure_revision) == ("QP-08", "A")
        assert answer.clauses == ["ISO 9001:2015 8.7"]
        assert answer.question_version == 1
        assert answer.seconds_taken == 42
        assert answer.chosen == ["b"]


def test_a_wrong_answer_is_marked_wrong_and_shows_the_right_one(quiz: QuizService) -> None:
    delivered = ask(quiz)
    outcome = quiz.record_answer(slack_user="U1", delivery_id=delivered.delivery_id, chosen=["a"])
    assert isinstance(outcome, AnswerOutcome)
    assert not outcome.is_correct
    assert outcome.correct == ["b"]


def test_a_second_answer_records_nothing_and_keeps_the_first(
    quiz: QuizService, uow: Callable[[], UnitOfWork]
) -> None:
    delivered = ask(quiz)
    quiz.record_answer(slack_user="U1", delivery_id=delivered.delivery_id, chosen=["a"])
    again = quiz.record_answer(slack_user="U1", delivery_id=delivered.delivery_id, chosen=["b"])
    assert isinstance(again, AnswerOutcome)
    assert again.already_answered and again.chosen == ["a"]
    with uow() as work:
        assert work.session.scalar(select(func.count(models.Answer.id))) == 1


def test_racing_clicks_leave_one_answer(quiz: QuizService, uow: Callable[[], UnitOfWork]) -> None:
    delivered = ask(quiz)
    barrier = threading.Barrier(6)
    results: list[AnswerOutcome | AnswerRefused] = []

    def click() -> None:
        barrier.wait()
        results.append(
            quiz.record_answer(slack_user="U1", delivery_id=delivered.delivery_id, chosen=["b"])
        )

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with uow() as work:
        assert work.session.scalar(select(func.count(models.Answer.id))) == 1
    fresh = [r for r in results if isinstance(r, AnswerOutcome) and not r.already_answered]
    assert len(fresh) == 1
    assert len(results) == 6


def test_someone_elses_delivery_is_refused(quiz: QuizService) -> None:
    delivered = ask(quiz, "U1")
    result = quiz.record_answer(slack_user="U2", delivery_id=delivered.delivery_id, chosen=["b"])
    assert result == AnswerRefused(Refusal.NOT_YOURS)


def test_unknown_delivery_and_unknown_option_are_refused(quiz: QuizService) -> None:
    assert quiz.record_answer(slack_user="U1", delivery_id=9999, chosen=["b"]) == AnswerRefused(
        Refusal.UNKNOWN_DELIVERY
    )
    delivered = ask(quiz)
    refused = quiz.record_answer(slack_user="U1", delivery_id=delivered.delivery_id, chosen=["z"])
    assert refused == AnswerRefused(Refusal.NOTHING_CHOSEN)


def test_a_retired_question_no_longer_takes_answers(
    quiz: QuizService, uow: Callable[[], UnitOfWork], tmp_path: Path, clock: Clock
) -> None:
    delivered = ask(quiz, "U2")
    remaining = procedure_file("QP-08", [question("QP-08-001")], departments=["Production"])
    write_bank(tmp_path / "bank", [remaining])
    sync(uow, tmp_path / "bank", clock.now)
    result = quiz.record_answer(slack_user="U2", delivery_id=delivered.delivery_id, chosen=["a"])
    assert result == AnswerRefused(Refusal.RETIRED)
    assert isinstance(quiz.start_delivery(slack_user="U2"), NothingToAsk)


def test_an_answer_keeps_pointing_at_the_version_asked(
    quiz: QuizService, uow: Callable[[], UnitOfWork], tmp_path: Path, clock: Clock
) -> None:
    delivered = ask(quiz, "U2")
    edited = procedure_file("EP-03", [question("EP-03-001", answer="c")], departments=["Warehouse"])
    write_bank(tmp_path / "bank", [edited])
    sync(uow, tmp_path / "bank", clock.now)
    outcome = quiz.record_answer(slack_user="U2", delivery_id=delivered.delivery_id, chosen=["a"])
    assert isinstance(outcome, AnswerOutcome) and outcome.is_correct
    with uow() as work:
        assert work.session.scalars(select(models.Answer.question_version)).one() == 1


def test_an_unsynced_person_is_looked_up_in_slack(
    quiz: QuizService, directory: FakeDirectory, uow: Callable[[], UnitOfWork]
) -> None:
    directory.users.append(slack_user("U9", "New Starter", tz="Asia/Singapore"))
    result = quiz.start_delivery(slack_user="U9")
    assert isinstance(result, NothingToAsk)
    assert directory.info_calls == ["U9"]
    with uow() as work:
        person = work.session.scalars(
            select(models.Person).where(models.Person.slack_id == "U9")
        ).one()
        assert (person.name, person.tz) == ("New Starter", "Asia/Singapore")
