from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from questions.loader import sample_bank_path
from tests.questions.test_bank_check import BAD, GOOD

runner = CliRunner()


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "AUDITREADY_BANK"):
        monkeypatch.delenv(name, raising=False)


def test_check_lists_every_problem_and_exits_1_without_a_traceback(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "qp-08.yaml").write_text(GOOD)
    (bank / "qp-09.yaml").write_text(BAD)
    result = runner.invoke(app, ["questions", "check", str(bank)])
    assert result.exit_code == 1
    output = result.output
    assert "Traceback" not in output
    for fragment in (
        "QP-09-001: answer",
        "unknown field 'colour'",
        "QP-09-002: options",
        "procedure.clauses",
        "QP-09-004: prompt",
        "QP-08-001: id",
    ):
        assert fragment in output
    assert "problem(s)" in output


def test_check_passes_the_sample_bank() -> None:
    result = runner.invoke(app, ["questions", "check"])
    assert result.exit_code == 0, result.output
    assert "all good" in result.output


def test_sync_prints_what_changed(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(sample_bank_path(), bank)
    first = runner.invoke(app, ["questions", "sync", str(bank)])
    assert first.exit_code == 0, first.output
    assert "added (" in first.output
    qp08 = bank / "qp-08.yaml"
    qp08.write_text(qp08.read_text().replace("QP-08-001", "QP-08-999", 1))
    second = runner.invoke(app, ["questions", "sync", str(bank)])
    assert "added (1): QP-08-999" in second.output
    assert "retired (1): QP-08-001" in second.output


def test_sync_refuses_a_bank_with_problems_and_loads_nothing(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "qp-08.yaml").write_text(GOOD)
    (bank / "qp-09.yaml").write_text(BAD)
    result = runner.invoke(app, ["questions", "sync", str(bank)])
    assert result.exit_code == 1
    assert "nothing was loaded" in result.output
    report = runner.invoke(app, ["report", "--format", "json"])
    assert json.loads(report.output)["summary"]["overall"]["deliveries"] == 0


def test_report_json_has_the_documented_shape() -> None:
    result = runner.invoke(app, ["report", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["schema"] == 3 and document["kind"] == "gap_report"
    assert {"procedures", "clauses", "top_gaps", "practice", "question_quality", "systemic"} <= set(
        document
    )
    assert document["summary"]["overall"]["deliveries"] == 0


def test_report_markdown() -> None:
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 0
    assert result.output.startswith("# Awareness summary: all departments")


@pytest.mark.parametrize("format", ["csv", "html"])
def test_report_writes_csv_and_html_files(format: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{format}"
    result = runner.invoke(app, ["report", "--format", format, "--output", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("<!DOCTYPE html>" if format == "html" else "kind,")


def test_evidence_csv_has_a_header_even_when_empty() -> None:
    result = runner.invoke(app, ["evidence", "--format", "csv", "--since", "2026-01-01"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("answer_id,")


def test_staff_import_reports_unmatched_rows(tmp_path: Path) -> None:
    result = runner.invoke(app, ["staff", "import", str(sample_bank_path() / "roster.csv")])
    assert result.exit_code == 0, result.output
    assert "matched 0 of" in result.output
    assert "not matched" in result.output


def test_staff_import_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["staff", "import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "cannot be read" in result.output and "Traceback" not in result.output


def test_run_without_credentials_names_what_to_set() -> None:
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 1
    assert "SLACK_BOT_TOKEN" in result.output and "SLACK_SIGNING_SECRET" in result.output


def test_staff_sync_without_a_token_names_what_to_set() -> None:
    result = runner.invoke(app, ["staff", "sync"])
    assert result.exit_code == 1
    assert "SLACK_BOT_TOKEN is not set" in result.output


def test_an_invalid_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "eighty")
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 1
    assert "PORT" in result.output and "Traceback" not in result.output


def test_an_unreachable_database_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:////nonexistent-folder/x.db")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 1
    assert "cannot open the database" in result.output


def test_manifest_declares_commands_events_and_scopes() -> None:
    result = runner.invoke(app, ["manifest", "--url", "https://bot.example.com/slack/events"])
    manifest = json.loads(result.output)
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == {"/quiz", "/awareness"}
    assert commands["/quiz"]["url"] == "https://bot.example.com/slack/events"
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "message.im",
    }
    assert manifest["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert {"commands", "chat:write", "users:read", "users:read.email", "im:history"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    socket = json.loads(runner.invoke(app, ["manifest", "--socket-mode"]).output)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in socket["settings"]["interactivity"]
