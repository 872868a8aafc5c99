from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.services.access import Access, NotAllowed, person
from bot.services.departments import declare_departments
from bot.services.quiz.service import QuestionToAsk, QuizService
from bot.services.staff import import_roster, sync_staff
from bot.services.summary.counts import SummaryService
from storage.db import UnitOfWork
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock

PEOPLE = [
    # slack id, department, role, manager, oversees, admin
    ("P1", "Production", "operator", "no", "", "no"),
    ("P2", "Production", "operator", "no", "", "no"),
    ("W1", "Warehouse", "driver", "no", "", "no"),
    ("W2", "Warehouse", "driver", "no", "", "no"),
    ("WM", "Warehouse", "manager", "yes", "", "no"),
    ("QA", "Quality", "manager", "yes", "", "yes"),
]


@pytest.fixture
def world(
    uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path
) -> tuple[QuizService, SummaryService]:
    directory = FakeDirectory([slack_user(p[0], f"Person {p[0]}") for p in PEOPLE])
    write_bank(
        tmp_path,
        [
            procedure_file("QP-08", [question("QP-08-001")]),
            procedure_file("EP-03", [question("EP-03-001")]),
        ],
    )
    sync(uow, tmp_path, clock.now)
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    import_roster(
        uow=uow,
        rows=[
            {
                "email": "",
                "slack_id": s,
                "name": s,
                "department": d,
                "role": r,
                "manager": m,
                "oversees": o,
                "admin": a,
            }
            for s, d, r, m, o, a in PEOPLE
        ],
        departments=declare_departments(["Production", "Warehouse", "Quality"]),
    )
    quiz = QuizService(uow=uow, directory=directory, clock=clock, recent_days=14)
    return quiz, SummaryService(uow=uow, access=Access(uow=uow, admins=[]))


def answer(quiz: QuizService, user: str, right: bool) -> str:
    asked = quiz.start_delivery(slack_user=user)
    assert isinstance(asked, QuestionToAsk)
    quiz.record_answer(
        slack_user=user, delivery_id=asked.delivery_id, chosen=["b" if right else "a"]
    )
    return asked.procedure_code


def test_staff_are_refused_and_get_no_data(world: tuple[QuizService, SummaryService]) -> None:
    _, awareness = world
    for user in ("P1", "U-unknown"):
        with pytest.raises(NotAllowed):
            awareness.summary(caller=person(user))


def test_a_manager_sees_only_the_departments_they_oversee(
    world: tuple[QuizService, SummaryService],
) -> None:
    quiz, awareness = world
    answer(quiz, "P1", right=True)
    answer(quiz, "W1", right=False)
    answer(quiz, "W2", right=True)
    summary = awareness.summary(caller=person("WM"))
    assert summary.scope.departments == ["Warehouse"]
    assert [t.key for t in summary.counts.by_department] == [("Warehouse",)]
    overall = summary.counts.overall
    assert (overall.people_reached, overall.answers, overall.correct) == (2, 2, 1)


def test_an_admin_sees_everything_with_participation(
    world: tuple[QuizService, SummaryService],
) -> None:
    quiz, awareness = world
    answer(quiz, "P1", right=True)
    answer(quiz, "P2", right=False)
    quiz.start_delivery(slack_user="W1")  # sent, never answered
    summary = awareness.summary(caller=person("QA"))
    by_department = {t.key[0]: t for t in summary.counts.by_department}
    assert by_department["Production"].share_correct == 0.5
    assert by_department["Warehouse"].deliveries == 1
    assert by_department["Warehouse"].answers == 0
    assert summary.counts.overall.participation == pytest.approx(2 / 3)


def test_admins_can_come_from_settings(
    uow: Callable[[], UnitOfWork], world: tuple[QuizService, SummaryService]
) -> None:
    access = Access(uow=uow, admins=["P1"])
    summary = SummaryService(uow=uow, access=access).summary(caller=person("P1"))
    assert summary.scope.is_admin and summary.scope.departments is None
