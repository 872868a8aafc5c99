"""`auditready evidence` and `auditready report` on SQLite and PostgreSQL, through the CLI.

Ada and Bo answer; then QP-08 is revised (revision C to D, QP-08-001 to version 2) and Ada moves
from Production to the Warehouse as a supervisor, and answers again. The evidence export must
keep each answer as it was given: department, role, question version and procedure revision of
that moment, not of today.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli.main import app
from bot.reports.evidence import EVIDENCE_COLUMNS
from bot.services.departments import declare_departments
from bot.services.quiz.service import AnswerOutcome, QuestionToAsk, QuizService
from bot.services.staff import import_roster, sync_staff
from storage.db import UnitOfWork
from tests.bot.services.fakes import FakeDirectory, slack_user
from tests.bot.services.helpers import procedure_file, question, sync, write_bank
from tests.conftest import Clock

runner = CliRunner()

ADA, BO = "U1", "U2"
NAMES = {ADA: "Ada Operator", BO: "Bo Driver"}
EP_CLAUSES = ["ISO 14001:2015 8.1", "ISO 45001:2018 8.2"]
RIGHT = {"QP-08-001": "b", "EP-03-001": "a"}


@dataclass(frozen=True)
class Given:
    """One answer as the test gave it, with what the evidence must say about it."""

    slack_id: str
    role: str
    department: str
    question: str
    version: int
    procedure: str
    revision: str
    clauses: str
    answered_at: datetime
    seconds: int
    chosen: str
    result: str


def _bank(folder: Path, *, revision: str, prompt: str) -> Path:
    return write_bank(
        folder,
        [
            procedure_file("QP-08", [question("QP-08-001", prompt=prompt)], revision=revision),
            procedure_file("EP-03", [question("EP-03-001", answer="a", clauses=EP_CLAUSES)]),
        ],
    )


def _roster(slack_id: str, department: str, role: str) -> dict[str, str]:
    return {"email": "", "slack_id": slack_id, "name": "", "department": department,
            "role": role, "oversees": "", "manager": "no", "admin": "no"}  # fmt: skip


class Company:
    """Ada and Bo, the bank and the clock: each answer goes through the quiz service."""

    def __init__(self, uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> None:
        self.uow, self.clock, self.folder = uow, clock, tmp_path / "bank"
        self.given: list[Given] = []
        self.revision, self.versions = "C", {"QP-08-001": 1, "EP-03-001": 1}
        self.where: dict[str, tuple[str, str]] = {}
        sync(uow, _bank(self.folder, revision="C", prompt="Which?"), clock.now)
        directory = FakeDirectory([slack_user(ADA, NAMES[ADA]), slack_user(BO, NAMES[BO])])
        sync_staff(uow=uow, directory=directory, include_guests=False, now=clock.now)
        self.place(ADA, "Production", "operator")
        self.place(BO, "Warehouse", "driver")
        self.quiz = QuizService(uow=uow, directory=directory, clock=clock, recent_days=14)

    def place(self, slack_id: str, department: str, role: str) -> None:
        report = import_roster(
            uow=self.uow,
            rows=[_roster(slack_id, department, role)],
            departments=declare_departments(["Production", "Warehouse"]),
        )
        assert report.matched == 1
        self.where[slack_id] = (department, role)

    def revise_qp08(self) -> None:
        sync(self.uow, _bank(self.folder, revision="D", prompt="Which, now?"), self.clock.now)
        self.revision, self.versions["QP-08-001"] = "D", 2

    def answer(self, slack_id: str, *, right: bool, seconds: int) -> Given:
        asked = self.quiz.start_delivery(slack_user=slack_id)
        assert isinstance(asked, QuestionToAsk)
        self.clock.advance(seconds=seconds)
        chosen = RIGHT[asked.question_code] if right else "c"
        outcome = self.quiz.record_answer(
            slack_user=slack_id, delivery_id=asked.delivery_id, chosen=[chosen]
        )
        assert isinstance(outcome, AnswerOutcome) and outcome.is_correct is right
        department, role = self.where[slack_id]
        qp08 = asked.procedure_code == "QP-08"
        given = Given(
            slack_id, role, department, asked.question_code,
            self.versions[asked.question_code], asked.procedure_code,
            self.revision if qp08 else "A",
            "ISO 9001:2015 8.7" if qp08 else "; ".join(EP_CLAUSES),
            self.clock.now, seconds, chosen, "correct" if right else "incorrect",
        )  # fmt: skip
        self.given.append(given)
        self.clock.advance(minutes=5)
        return given


@pytest.fixture
def company(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> Company:
    """Two answers each; then the revision, Ada's move, and her answer 15 days later."""
    company = Company(uow, clock, tmp_path)
    for slack_id in (ADA, BO, ADA, BO):
        company.answer(slack_id, right=slack_id == ADA, seconds=20)
    company.revise_qp08()
    company.place(ADA, "Warehouse", "supervisor")
    clock.advance(days=15)  # past the 14 days a question is held back after it was sent
    assert company.answer(ADA, right=True, seconds=9).question == "QP-08-001"  # revised first
    return company


@pytest.fixture
def run(
    engine: Engine, clock: Clock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[..., str]:
    """`auditready ARGS` on the test's database at the test's clock time; returns stdout."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    for name in ("AUDITREADY_REPORT_DAYS", "AUDITREADY_MIN_PEOPLE", "AUDITREADY_INTERVIEWED"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str) -> str:
        with time_machine.travel(clock.now, tick=False):
            result = CliRunner().invoke(app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    return invoke


def _evidence(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == EVIDENCE_COLUMNS
    return list(reader)


def _expected(given: Given) -> dict[str, str]:
    return {
        "slack_id": given.slack_id,
        "name": NAMES[given.slack_id],
        "role": given.role,
        "department": given.department,
        "question": given.question,
        "question_version": str(given.version),
        "procedure": given.procedure,
        "procedure_revision": given.revision,
        "clauses": given.clauses,
        "answered_at": given.answered_at.isoformat(),
        "seconds_taken": str(given.seconds),
        "chosen": given.chosen,
        "result": given.result,
    }


def test_the_evidence_csv_holds_every_answer_as_it_was_given(
    company: Company, run: Callable[..., str]
) -> None:
    rows = _evidence(run("evidence", "--format", "csv"))

    assert [{k: v for k, v in r.items() if k != "answer_id"} for r in rows] == [
        _expected(g) for g in company.given
    ]
    assert len({r["answer_id"] for r in rows}) == 5
    first_ada, *_, last_ada = [r for r in rows if r["slack_id"] == ADA]
    assert (first_ada["department"], first_ada["role"]) == ("Production", "operator")
    assert (last_ada["department"], last_ada["role"]) == ("Warehouse", "supervisor")
    assert (last_ada["question_version"], last_ada["procedure_revision"]) == ("2", "D")


def test_the_department_filter_uses_the_department_recorded_on_each_answer(
    company: Company, run: Callable[..., str]
) -> None:
    production = _evidence(run("evidence", "--format", "csv", "--department", "Production"))
    warehouse = _evidence(run("evidence", "--format", "csv", "--department", "Warehouse"))

    assert [(r["slack_id"], r["role"]) for r in production] == [(ADA, "operator")] * 2
    assert [r["slack_id"] for r in warehouse] == [BO, BO, ADA]


def test_since_keeps_the_answers_from_that_day_on(
    company: Company, run: Callable[..., str]
) -> None:
    last = company.given[-1].answered_at
    rows = _evidence(run("evidence", "--format", "csv", "--since", f"{last:%Y-%m-%d}"))
    assert [(r["slack_id"], r["question_version"]) for r in rows] == [(ADA, "2")]
    later = last + timedelta(days=1)
    assert _evidence(run("evidence", "--since", f"{later:%Y-%m-%d}")) == []


def test_the_report_counts_answers_where_they_were_given(
    company: Company, run: Callable[..., str]
) -> None:
    document = json.loads(run("report", "--format", "json"))
    cells = {(c["department"], c["procedure"]): c for c in document["procedures"]}

    assert {key: (c["answers"], c["correct"]) for key, c in cells.items()} == {
        ("Production", "EP-03"): (1, 1),
        ("Production", "QP-08"): (1, 1),
        ("Warehouse", "EP-03"): (1, 0),
        ("Warehouse", "QP-08"): (2, 1),
    }
    warehouse = json.loads(run("report", "--format", "json", "--department", "Warehouse"))
    assert {c["department"] for c in warehouse["procedures"]} == {"Warehouse"}
    assert warehouse["scope"] == {"departments": ["Warehouse"]}


@pytest.mark.usefixtures("environment")
def test_report_json_has_the_documented_shape() -> None:
    result = runner.invoke(app, ["report", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["schema"] == 3 and document["kind"] == "gap_report"
    assert {"procedures", "clauses", "top_gaps", "practice", "question_quality", "systemic"} <= set(
        document
    )
    assert document["summary"]["overall"]["deliveries"] == 0


@pytest.mark.usefixtures("environment")
def test_report_markdown() -> None:
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 0
    assert result.output.startswith("# Awareness summary: all departments")


@pytest.mark.usefixtures("environment")
@pytest.mark.parametrize("format", ["csv", "html"])
def test_report_writes_csv_and_html_files(format: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{format}"
    result = runner.invoke(app, ["report", "--format", format, "--output", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("<!DOCTYPE html>" if format == "html" else "kind,")


@pytest.mark.usefixtures("environment")
def test_evidence_csv_has_a_header_even_when_empty() -> None:
    result = runner.invoke(app, ["evidence", "--format", "csv", "--since", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("answer_id,")


@pytest.mark.usefixtures("environment")
def test_report_to_a_missing_folder_names_the_folder_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no [bold]such[/] folder" / "report.html"
    result = runner.invoke(app, ["report", "--format", "html", "--output", str(target)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: cannot write the report: the folder {target.parent} does not exist"
    ]
    assert not (tmp_path / "cli.db").exists()


@pytest.mark.usefixtures("environment")
def test_report_onto_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: cannot write the report to {tmp_path}: ")
    assert "Traceback" not in result.output
