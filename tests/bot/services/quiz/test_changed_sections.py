"""A revised procedure's questions on changed sections are asked before the rest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from bot.services.departments import declare_departments
from bot.services.quiz.history import Histories, live_bank
from bot.services.quiz.service import AnswerOutcome, QuestionToAsk, QuizService
from bot.services.staff import import_roster, sync_staff
from questions.policy import Reason
from storage import models
from storage.db import UnitOfWork
from storage.documents import CHANGED, NEW, UNCHANGED, DocumentSection, ProcedureDocument
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock

SECTIONS = {"QP-08-001": "4.1", "QP-08-002": "4.2", "QP-08-003": "4.3"}


def bank(folder: Path, revision: str) -> Path:
    questions = [question(code, section=section) for code, section in SECTIONS.items()]
    return write_bank(
        folder, [procedure_file("QP-08", questions, revision=revision, departments=["Production"])]
    )


@pytest.fixture
def quiz(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> QuizService:
    directory = FakeDirectory([slack_user("U1", "Ada Operator", email="ada@example.com")])
    sync(uow, bank(tmp_path / "bank", "C"), clock.now)
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    row = {"oversees": "", "manager": "no", "admin": "no", "email": "ada@example.com"}
    row |= {"slack_id": "", "name": "Ada", "department": "Production", "role": "operator"}
    import_roster(uow=uow, rows=[row], departments=declare_departments(["Production"]))
    return QuizService(uow=uow, directory=directory, clock=clock, recent_days=14)


def document(code: str, revision: str, changes: dict[str, str]) -> ProcedureDocument:
    sections = [
        DocumentSection(
            position=position,
            number=number,
            heading=f"Section {number}",
            text="…",
            fingerprint=f"{position:016x}",
            paragraph=position,
            change=change,
        )
        for position, (number, change) in enumerate(sorted(changes.items()))
    ]
    return ProcedureDocument(
        code=code,
        original_id=code,
        title=f"Procedure {code}",
        revision=revision,
        source="qp-08.docx",
        sections=sections,
    )


def revised_order(uow: Callable[[], UnitOfWork], clock: Clock) -> list[str]:
    with uow() as work:
        person = work.session.query(models.Person).one()
        choices = Histories.load(work.session, [person.id]).choose(
            person, now=clock.now, count=3, seed=1, gap_days=14
        )
    assert {c.reason for c in choices} == {Reason.REVISED}
    return [c.question_code for c in choices]


def test_a_changed_section_is_asked_before_the_recheck(
    quiz: QuizService, uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path
) -> None:
    asked = quiz.start_delivery(slack_user="U1")
    assert isinstance(asked, QuestionToAsk)
    answered = quiz.record_answer(slack_user="U1", delivery_id=asked.delivery_id, chosen=["b"])
    assert isinstance(answered, AnswerOutcome) and answered.is_correct
    rechecked = asked.question_code
    changed = min(code for code in SECTIONS if code != rechecked)
    sync(uow, bank(tmp_path / "bank", "D"), clock.now)
    clock.advance(days=30)
    # Without the current revision's document, the re-check leads.
    assert revised_order(uow, clock)[0] == rechecked

    changes = {section: UNCHANGED for section in SECTIONS.values()} | {SECTIONS[changed]: CHANGED}
    with uow() as work:
        # An older revision marking another section changed must not count.
        work.session.add(document("QP-08", "C", {SECTIONS[rechecked]: NEW}))
        work.session.add(document("QP-08", "D", changes))
        work.commit()
    assert revised_order(uow, clock)[:2] == [changed, rechecked]
    chosen = quiz.start_delivery(slack_user="U1")
    assert isinstance(chosen, QuestionToAsk) and chosen.question_code == changed


def test_the_bank_marks_changed_sections_in_one_query(
    engine: Engine, uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path
) -> None:
    sync(uow, bank(tmp_path / "bank", "D"), clock.now)
    changes = {"4.1": NEW, "4.2": CHANGED, "4.3": UNCHANGED}
    with uow() as work:
        work.session.add(document("QP-08", "D", changes))
        work.commit()
    statements: list[str] = []
    with uow() as work:
        work.session.connection()
        listen = ("before_cursor_execute", lambda *args: statements.append(args[2]))
        event.listen(engine, *listen)
        try:
            marked = {q.code: q.changed_section for q in live_bank(work.session)}
        finally:
            event.remove(engine, *listen)
    assert len(statements) == 1
    assert marked == {"QP-08-001": True, "QP-08-002": True, "QP-08-003": False}


def test_a_question_citing_a_heading_is_marked_by_its_sections_change(
    uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path
) -> None:
    # A document that doesn't number its headings: questions cite "Section 4.2", the heading.
    questions = [question(code, section=f"Section {s}") for code, s in SECTIONS.items()]
    folder = tmp_path / "bank"
    procedure = procedure_file("QP-08", questions, revision="D", departments=["Production"])
    sync(uow, write_bank(folder, [procedure]), clock.now)
    with uow() as work:
        work.session.add(document("QP-08", "D", {"4.1": UNCHANGED, "4.2": CHANGED, "4.3": NEW}))
        work.commit()
    with uow() as work:
        marked = {q.code: q.changed_section for q in live_bank(work.session)}
    assert marked == {"QP-08-001": False, "QP-08-002": True, "QP-08-003": True}
