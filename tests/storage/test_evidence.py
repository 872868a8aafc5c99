from __future__ import annotations

from collections.abc import Callable, Generator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.services.departments import declare_departments
from bot.services.quiz.service import AnswerOutcome, QuestionToAsk, QuizService
from bot.services.staff import import_roster, sync_staff
from storage.db import UnitOfWork
from storage.evidence import BATCH, EvidenceRow, evidence_rows, evidence_statement
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock

CLAUSES = ["ISO 14001:2015 8.1", "ISO 45001:2018 8.2"]


WAREHOUSE_AND_PRODUCTION = declare_departments(["Production", "Warehouse"])


def roster_row(slack_id: str, department: str, role: str) -> dict[str, str]:
    return {
        "email": "",
        "slack_id": slack_id,
        "name": "",
        "department": department,
        "role": role,
        "oversees": "",
        "manager": "no",
        "admin": "no",
    }


@pytest.fixture
def quiz(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> QuizService:
    directory = FakeDirectory([slack_user("U1", "Ada Operator"), slack_user("U2", "Bo Driver")])
    write_bank(
        tmp_path / "bank",
        [
            procedure_file("QP-08", [question("QP-08-001")], departments=["Production"]),
            procedure_file(
                "EP-03",
                [question("EP-03-001", answer="a", clauses=CLAUSES)],
                revision="C",
                departments=["Warehouse"],
            ),
        ],
    )
    sync(uow, tmp_path / "bank", clock.now)
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    import_roster(
        uow=uow,
        rows=[roster_row("U1", "Production", "operator"), roster_row("U2", "Warehouse", "driver")],
        departments=WAREHOUSE_AND_PRODUCTION,
    )
    return QuizService(uow=uow, directory=directory, clock=clock, recent_days=14)


def answer(quiz: QuizService, clock: Clock, user: str, chosen: str, seconds: int) -> None:
    asked = quiz.start_delivery(slack_user=user)
    assert isinstance(asked, QuestionToAsk)
    clock.advance(seconds=seconds)
    outcome = quiz.record_answer(slack_user=user, delivery_id=asked.delivery_id, chosen=[chosen])
    assert isinstance(outcome, AnswerOutcome)
    clock.advance(minutes=5)


@pytest.fixture
def answered(quiz: QuizService, clock: Clock, uow: Callable[[], UnitOfWork]) -> Clock:
    """Ada answers in Production, Bo in the Warehouse, then Ada moves and answers again."""
    answer(quiz, clock, "U1", "b", 30)
    answer(quiz, clock, "U2", "c", 12)
    import_roster(
        uow=uow,
        rows=[roster_row("U1", "Warehouse", "picker")],
        departments=WAREHOUSE_AND_PRODUCTION,
    )
    answer(quiz, clock, "U1", "a", 7)
    return clock


def rows(
    uow: Callable[[], UnitOfWork],
    *,
    since: datetime | None = None,
    departments: list[str] | None = None,
) -> list[EvidenceRow]:
    with uow() as work:
        return list(evidence_rows(work.session, since=since, departments=departments))


def test_every_answer_streams_in_time_order_with_its_evidence(
    answered: Clock, uow: Callable[[], UnitOfWork]
) -> None:
    first, second, third = rows(uow)
    assert first.answered_at < second.answered_at < third.answered_at
    assert first.answer_id < second.answer_id < third.answer_id
    assert (first.slack_id, first.name, first.role, first.department) == (
        "U1",
        "Ada Operator",
        "operator",
        "Production",
    )
    assert (first.question_code, first.question_version) == ("QP-08-001", 1)
    assert (first.procedure_code, first.procedure_revision) == ("QP-08", "A")
    assert (first.clauses, first.seconds_taken, first.chosen, first.result) == (
        "ISO 9001:2015 8.7",
        30,
        "b",
        "correct",
    )
    assert (second.name, second.department, second.chosen, second.result) == (
        "Bo Driver",
        "Warehouse",
        "c",
        "incorrect",
    )
    assert second.clauses == "ISO 14001:2015 8.1; ISO 45001:2018 8.2"
    assert second.procedure_revision == "C"


def test_the_department_and_role_are_the_ones_recorded_on_the_answer(
    answered: Clock, uow: Callable[[], UnitOfWork]
) -> None:
    ada = [r for r in rows(uow) if r.slack_id == "U1"]
    assert [(r.department, r.role, r.question_code) for r in ada] == [
        ("Production", "operator", "QP-08-001"),
        ("Warehouse", "picker", "EP-03-001"),
    ]


def test_departments_filter_on_the_snapshot_even_after_a_move(
    answered: Clock, uow: Callable[[], UnitOfWork]
) -> None:
    production = rows(uow, departments=["Production"])
    assert [(r.name, r.question_code) for r in production] == [("Ada Operator", "QP-08-001")]
    assert {r.name for r in rows(uow, departments=["Warehouse"])} == {"Ada Operator", "Bo Driver"}
    assert rows(uow, departments=[]) == []


def test_since_leaves_out_older_answers(answered: Clock, uow: Callable[[], UnitOfWork]) -> None:
    everything = rows(uow)
    later = rows(uow, since=everything[1].answered_at)
    assert later == everything[1:]
    assert rows(uow, since=answered.now + timedelta(days=1)) == []


def test_rows_stream_lazily_in_batches(answered: Clock, uow: Callable[[], UnitOfWork]) -> None:
    statement = evidence_statement(since=None, departments=None)
    assert statement.get_execution_options()["yield_per"] == BATCH
    with uow() as work:
        stream = evidence_rows(work.session, since=None, departments=None)
        assert isinstance(stream, Generator)
        assert next(stream).question_code == "QP-08-001"
        stream.close()
