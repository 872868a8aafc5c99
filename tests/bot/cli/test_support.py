"""What every command shares: settings and the database, with clear errors."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli.main import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("environment")


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
