"""`auditready staff import` and `sync`."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import app
from questions.loader import sample_bank_path

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("environment")


def test_staff_import_reports_unmatched_rows(tmp_path: Path) -> None:
    result = runner.invoke(app, ["staff", "import", str(sample_bank_path() / "roster.csv")])
    assert result.exit_code == 0, result.output
    assert "matched 0 of" in result.output
    assert "not matched" in result.output


def test_staff_import_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["staff", "import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "cannot be read" in result.output and "Traceback" not in result.output


def test_staff_sync_without_a_token_names_what_to_set() -> None:
    result = runner.invoke(app, ["staff", "sync"])
    assert result.exit_code == 1
    assert "SLACK_BOT_TOKEN is not set" in result.output
