"""Rounds opening while people answer, on SQLite and PostgreSQL (finding F2).

On PostgreSQL a round's deliveries and a person's answer both move the running tallies; when
each wrote its tally rows flush by flush, the two could lock the same rows in opposite orders
and deadlock. The test prints what it counted: answers sent, recorded, failed, duplicated.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from bot.domain.schedules import Company
from bot.services.access import Access
from bot.services.departments import declare_departments
from bot.services.quiz.service import AnswerOutcome, QuizService
from bot.services.rounds.service import RoundService, adhoc_plan, plan_for_schedule
from bot.services.staff import import_roster, sync_staff
from storage import models
from storage.db import UnitOfWork
from storage.rebuild import differences
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock
from tests.e2e.workspace import DAILY

DEPARTMENTS = ["Production", "Warehouse", "Quality", "Sales"]
PEOPLE = 80
ANSWERERS = 4
ROUNDS = 3
CODES = [f"QP-{p:02d}-00{q}" for p in range(1, 5) for q in range(1, 4)]


def _company(uow: Callable[[], UnitOfWork], clock: Clock, folder: Path) -> list[str]:
    users = [
        slack_user(f"U{n:06d}", f"Person {n}", email=f"p{n}@example.com") for n in range(PEOPLE)
    ]
    files = [
        procedure_file(f"QP-{p:02d}", [question(c) for c in CODES if c.startswith(f"QP-{p:02d}")])
        for p in range(1, 5)
    ]
    sync(uow, write_bank(folder, files), clock())
    sync_staff(uow=uow, directory=FakeDirectory(users), include_guests=False, now=clock())
    rows = [
        {"email": u["profile"]["email"], "slack_id": u["id"], "name": u["real_name"],
         "department": DEPARTMENTS[n % len(DEPARTMENTS)], "role": "operator", "manager": "no",
         "oversees": "", "admin": "no"}
        for n, u in enumerate(users)
    ]  # fmt: skip
    report = import_roster(uow=uow, rows=rows, departments=declare_departments(DEPARTMENTS))
    assert report.matched == PEOPLE, report
    return [u["id"] for u in users]


def test_rounds_open_while_people_answer_without_a_deadlock(
    engine: Engine, uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path
) -> None:
    clock.now = datetime.combine(date(2026, 11, 4), time(10), tzinfo=ZoneInfo("Europe/London"))
    _company(uow, clock, tmp_path / "bank")
    access = Access(uow=uow, admins=[])
    rounds = RoundService(
        uow=uow, clock=clock, company=Company(country="GB", weekend=[]), recent_days=0,
        access=access,
    )  # fmt: skip
    quiz = QuizService(uow=uow, directory=FakeDirectory([]), clock=clock, recent_days=0)
    for department in DEPARTMENTS:
        rounds.open(adhoc_plan(department=department, requested_by=None, questions=3,
                               window_hours=48))  # fmt: skip
    with uow() as work:
        pending = [
            (d.id, d.person.slack_id, d.question_version.correct)
            for d in work.session.scalars(select(models.Delivery).order_by(models.Delivery.id))
        ]
    errors: list[BaseException] = []
    recorded: list[int] = []
    start = threading.Barrier(ANSWERERS + 1)

    def answer(share: list[tuple[int, str, list[str]]]) -> None:
        start.wait()
        for delivery_id, user, correct in share:
            try:
                outcome = quiz.record_answer(
                    slack_user=user, delivery_id=delivery_id, chosen=correct
                )
                if isinstance(outcome, AnswerOutcome) and not outcome.already_answered:
                    recorded.append(delivery_id)
            except BaseException as error:
                errors.append(error)

    def open_rounds() -> None:
        start.wait()
        for n in range(ROUNDS):
            try:
                rounds.open(plan_for_schedule(
                    DAILY.model_copy(update={"id": f"daily-{n}"}), tz="Europe/London",
                    now=clock(),
                ))  # fmt: skip
            except BaseException as error:
                errors.append(error)

    threads = [threading.Thread(target=open_rounds)]
    threads += [
        threading.Thread(target=answer, args=(pending[i::ANSWERERS],)) for i in range(ANSWERERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    with uow() as work:
        answers = int(work.session.scalar(select(func.count()).select_from(models.Answer)) or 0)
        rounds_opened = int(
            work.session.scalar(select(func.count()).select_from(models.Round)) or 0
        )
        drift = differences(work.session.connection())
    print(f"answers sent {len(pending)}, recorded {len(recorded)}, in the database {answers}, "
          f"failed {len(errors)}; rounds opened {rounds_opened}")  # fmt: skip
    assert errors == []
    assert sorted(recorded) == sorted(d for d, _, _ in pending)
    assert answers == len(pending)
    assert rounds_opened == len(DEPARTMENTS) + ROUNDS
    assert drift == []


def _count(work: UnitOfWork, model: type[models.Base]) -> int:
    return int(work.session.scalar(select(func.count()).select_from(model)) or 0)
