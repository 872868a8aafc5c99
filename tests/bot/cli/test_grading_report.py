"""`auditready questions grading-report` on SQLite and PostgreSQL, through the CLI.

The history is `two_rounds_graded` (tests/bot/services/mock_audit/interviews.py): admins graded
six replies to INT-01-002 and two were learnt, one of which an admin then failed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from rich.console import Console
from sqlalchemy import Engine
from typer.testing import CliRunner

from bot.cli.grading_report import print_grading_report, suggestions_yaml
from bot.cli.main import app
from bot.services.mock_audit.grading_report import (
    BankSuggestion,
    GradingReport,
    LearntReply,
    QuestionGrading,
)
from storage.db import UnitOfWork
from tests.bot.services.mock_audit.interviews import (
    ASIDE,
    LABELLED,
    LABELLED_AGAIN,
    NEAR_COPY,
    RING_QA,
    USE_ANYWAY,
    interviewing,
    two_rounds_graded,
)
from tests.conftest import Clock

# question, the grader's first verdict, admin pass, admin fail, learnt, changed by an admin
EVERY_ROUND = [
    ["INT-01-002", "pass", "0", "1", "2", "1"],
    ["", "fail", "1", "1", "", ""],
    ["", "unsure", "1", "2", "", ""],
]
FIRST_ROUND = [
    ["INT-01-002", "pass", "0", "1", "1", "0"],
    ["", "fail", "0", "0", "", ""],
    ["", "unsure", "1", "1", "", ""],
]
LEARNT_TITLE = "Replies graded like a confirmed reply"


@pytest.fixture
def run(engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Result]:
    """`auditready questions grading-report ARGS` on the test's database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("COLUMNS", "200")  # rich's tables, unwrapped
    monkeypatch.delenv("AUDITREADY_ADMINS", raising=False)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(app, ["questions", "grading-report", *args])

    return invoke


@pytest.fixture
def first_round(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> int:
    return two_rounds_graded(interviewing(uow, clock, tmp_path / "bank"))


def _tables(output: str) -> tuple[list[list[str]], list[list[str]]]:
    """The cells of the report's two tables: the grades, then the learnt replies."""
    grades, _, learnt = output.partition(LEARNT_TITLE)
    return _cells(grades), _cells(learnt)


def _cells(table: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip().strip("│").split("│")]
        for line in table.splitlines()
        if line.startswith("│")
    ]


def test_the_report_counts_each_question_and_lists_the_learnt_replies(
    run: Callable[..., Result], first_round: int
) -> None:
    every = run()
    assert every.exit_code == 0, every.output
    assert "The grader against the admins' grades, every mock audit" in every.stdout
    grades, learnt = _tables(every.stdout)
    assert grades == EVERY_ROUND
    assert learnt == [
        ["INT-01-002", NEAR_COPY, "pass", "pass", LABELLED, "pass"],
        ["INT-01-002", LABELLED_AGAIN, "pass", "fail", LABELLED, "pass"],
    ]

    first = run("--round", str(first_round))
    assert first.exit_code == 0, first.output
    assert f"The grader against the admins' grades, mock audit #{first_round}\n" in first.stdout
    assert _tables(first.stdout) == (FIRST_ROUND, [learnt[0]])


def test_suggest_prints_yaml_to_paste_into_the_bank(
    run: Callable[..., Result], first_round: int
) -> None:
    result = run("--suggest")

    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout) == {
        "INT-01-002": {"accept": [RING_QA], "contradicts": [ASIDE, USE_ANYWAY]}
    }
    assert f'- "{RING_QA}"  # key point: the author chooses' in result.stdout
    assert "# 1 more left out: admins passed one copy and failed another" in result.stdout


def test_an_unknown_round_is_a_clean_error(run: Callable[..., Result], first_round: int) -> None:
    result = run("--round", "99")

    assert result.exit_code == 1
    assert "there is no mock audit #99" in result.output
    assert "Traceback" not in result.output


def test_an_empty_database_says_there_is_nothing_yet(run: Callable[..., Result]) -> None:
    result = run()

    assert result.exit_code == 0, result.output
    assert "No open answer graded by an admin or learnt in every mock audit yet." in result.stdout
    assert yaml.safe_load(run("--suggest").stdout) is None  # comments only


def test_replies_are_shown_as_typed_never_as_markup_or_yaml() -> None:
    odd = '[bold red]me[/] said: "tag it" # really'
    report = GradingReport(
        None,
        [QuestionGrading("QP-08-002", {("unsure", "pass"): 1}, 1, 0)],
        [LearntReply("QP-08-002", odd, "pass", "pass", odd, "pass")],
    )
    console = Console(record=True, width=200)
    print_grading_report(console, report)
    assert odd in console.export_text()

    suggestion = BankSuggestion("QP-08-002", [odd], [f"{odd}: no"], too_long=1, disputed=0)
    assert yaml.safe_load(suggestions_yaml([suggestion], 3)) == {
        "QP-08-002": {"accept": [odd], "contradicts": [f"{odd}: no"]}
    }
