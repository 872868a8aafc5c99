"""`auditready staff import` and `sync`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli.main import app
from bot.sandbox import SandboxUser, SlackSandbox
from questions.loader import sample_bank_path
from storage import models
from storage.db import make_engine

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("environment")

HEADER = "email,slack_id,name,department,role,manager,oversees,admin\n"


def _roster(folder: Path, body: str, departments: str | None = "Production\nWarehouse\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if departments is not None:
        (folder / "departments.txt").write_text(departments, encoding="utf-8")
    path = folder / "roster.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _people(tmp_path: Path) -> int:
    with make_engine(f"sqlite:///{tmp_path / 'cli.db'}").connect() as connection:
        return connection.scalar(select(func.count()).select_from(models.Person)) or 0


def test_staff_import_reports_unmatched_rows(tmp_path: Path) -> None:
    result = runner.invoke(app, ["staff", "import", str(sample_bank_path() / "roster.csv")])
    assert result.exit_code == 0, result.output
    assert "matched 0 of" in result.output
    assert "not matched" in result.output


def test_staff_import_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["staff", "import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "cannot be read" in result.output and "Traceback" not in result.output


def test_staff_import_without_declared_departments_says_how_to_declare_them(
    tmp_path: Path,
) -> None:
    roster = _roster(tmp_path / "hr", ",U1,Ada,Production,operator,no,,no\n", departments=None)
    result = runner.invoke(app, ["staff", "import", str(roster)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: no departments are declared")
    assert "departments.txt" in lines[0] and "AUDITREADY_DEPARTMENTS" in lines[0]


def test_staff_import_refuses_an_undeclared_department_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = _roster(tmp_path / "hr", ",U1,Ada,Narnia,operator,no,,no\n,U2,Bo,Sales,x,no,,no\n")
    monkeypatch.setenv("AUDITREADY_DEPARTMENTS", "Sales, Quality")
    result = runner.invoke(app, ["staff", "import", str(roster)])
    assert result.exit_code == 0, result.output
    assert "skipped: line 2: department 'Narnia' is not declared in AUDITREADY_DEPARTMENTS" in (
        result.output
    )
    assert "skipped: line 3" not in result.output


def test_rich_markup_in_roster_text_prints_literally(tmp_path: Path) -> None:
    roster = _roster(
        tmp_path / "hr",
        "[bold]ada@example.com,,Ada,Production,operator,[/],,no\n"
        "[red]bo@example.com,,Bo,Warehouse,operator,no,,no\n",
    )
    result = runner.invoke(app, ["staff", "import", str(roster)])
    assert result.exit_code == 0, result.output
    assert "manager is '[/]'; write yes or no" in result.output
    assert "line 3: [red]bo@example.com" in result.output
    assert "Traceback" not in result.output


def test_staff_import_into_a_database_in_a_missing_folder_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'gone' / 'x.db'}")
    roster = _roster(tmp_path / "hr", ",U1,Ada,Production,operator,no,,no\n")
    result = runner.invoke(app, ["staff", "import", str(roster)])
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot open the database at DATABASE_URL: ")
    assert len(result.output.strip().splitlines()) == 1


def test_staff_sync_without_a_token_names_what_to_set() -> None:
    result = runner.invoke(app, ["staff", "sync"])
    assert result.exit_code == 1
    assert "SLACK_BOT_TOKEN is not set" in result.output


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackSandbox]:
    users = [SandboxUser("U1", "Ada [/] Lovelace", email="ada@example.com")]
    with SlackSandbox(users=users, bot_token="xoxb-right") as sandbox:
        monkeypatch.setenv("SLACK_API_URL", sandbox.base_url)
        yield sandbox


def test_staff_sync_when_slack_refuses_the_token_is_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slack: SlackSandbox
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-wrong")
    result = runner.invoke(app, ["staff", "sync"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: Slack refused users.list: invalid_auth. Nothing was changed."
    ]
    assert _people(tmp_path) == 0


def test_staff_sync_when_slack_cannot_be_reached_is_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-any")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:1/api/")
    result = runner.invoke(app, ["staff", "sync"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach Slack at "), lines
    assert "Nothing was changed." in lines[0]
    assert _people(tmp_path) == 0


def test_staff_sync_prints_names_with_rich_markup_literally(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slack: SlackSandbox
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-right")
    assert runner.invoke(app, ["staff", "sync"]).exit_code == 0
    slack.add_user(SandboxUser("U1", "Ada [/] Lovelace", email="ada@example.com", deleted=True))
    result = runner.invoke(app, ["staff", "sync"])
    assert result.exit_code == 0, result.output
    assert "deactivated: Ada [/] Lovelace" in result.output
