"""Answers under a procedure's current revision are summarised apart from earlier ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.domain.summary.gaps import GapRules
from bot.reports.markdown import gap_report_markdown
from bot.reports.summary import summary_json, summary_markdown
from bot.services.access import Access, person
from bot.services.departments import declare_departments
from bot.services.quiz.service import QuestionToAsk, QuizService
from bot.services.staff import import_roster, sync_staff
from bot.services.summary.counts import RevisionSplit, SummaryService
from bot.services.summary.gaps import GapService
from bot.slack.summary.views import awareness_message
from storage.db import UnitOfWork
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock

PEOPLE = [("P1", "Production"), ("P2", "Production"), ("W1", "Warehouse"), ("QA", "Quality")]


def bank(folder: Path, revision: str) -> Path:
    questions = [question("QP-08-001"), question("QP-08-002")]
    return write_bank(folder, [procedure_file("QP-08", questions, revision=revision)])


@pytest.fixture
def quiz(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> QuizService:
    directory = FakeDirectory([slack_user(p, f"Person {p}") for p, _ in PEOPLE])
    sync(uow, bank(tmp_path / "bank", "3"), clock.now)
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
    rows = [
        {"email": "", "slack_id": p, "name": p, "department": d, "role": "operator"}
        | {"manager": "yes" if p == "QA" else "no", "oversees": "", "admin": "no"}
        for p, d in PEOPLE
    ]
    departments = declare_departments(["Production", "Warehouse", "Quality"])
    import_roster(uow=uow, rows=rows, departments=departments)
    return QuizService(uow=uow, directory=directory, clock=clock, recent_days=14)


def answer(quiz: QuizService, user: str, *, right: bool) -> None:
    asked = quiz.start_delivery(slack_user=user)
    assert isinstance(asked, QuestionToAsk)
    chosen = ["b" if right else "a"]
    quiz.record_answer(slack_user=user, delivery_id=asked.delivery_id, chosen=chosen)


@pytest.fixture
def revised(
    quiz: QuizService, uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path
) -> Access:
    """QP-08 answered under revision 3 (2 of 3 right), then under revision 4 (1 of 2)."""
    answer(quiz, "P1", right=True)
    answer(quiz, "P2", right=True)
    answer(quiz, "W1", right=False)
    clock.advance(days=1)
    sync(uow, bank(tmp_path / "bank", "4"), clock.now)
    answer(quiz, "P1", right=False)
    answer(quiz, "P2", right=True)
    return Access(uow=uow, admins=["QA"])


def test_the_summary_shows_the_current_revision_apart_from_earlier_ones(
    revised: Access, uow: Callable[[], UnitOfWork]
) -> None:
    summary = SummaryService(uow=uow, access=revised).summary(caller=person("QA"))

    [procedure] = summary.counts.by_procedure
    assert (procedure.answers, procedure.correct) == (5, 3)
    assert summary.counts.revisions == {"QP-08": RevisionSplit("", "QP-08", "4", 2, 1, 3, 2)}
    shown = "\n".join(
        b["text"]["text"] for b in awareness_message(summary)["blocks"][2:] if "text" in b
    )
    assert "rev 4 (current): 50% (1/2; 95% 9–91%) · earlier revisions: 67% (2/3; 95% 21–94%)" in (
        shown
    )
    assert "| 4 | 50% (1/2; 95% 9–91%) | 67% (2/3; 95% 21–94%) |" in summary_markdown(summary)
    assert '"current_revision": "4"' in summary_json(summary)


def test_the_gap_report_splits_each_department_by_revision(
    revised: Access, uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    gaps = GapService(uow=uow, access=revised, rules=GapRules(), clock=clock, days=90)
    report = gaps.report(caller=person("QA"))

    splits = {g.cell.department: g.revisions for g in report.procedures}
    assert splits == {
        "Production": RevisionSplit("Production", "QP-08", "4", 2, 1, 2, 2),
        "Warehouse": RevisionSplit("Warehouse", "QP-08", "4", 0, 0, 1, 0),
    }
    # Two people a department: too few to judge, so the report shows the counts alone.
    text = gap_report_markdown(report)
    assert "| Production | QP-08 | 4 | 1/2 right | 2/2 right |" in text
    assert "| Warehouse | QP-08 | 4 | no answers | 0/1 right |" in text
