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


@pytest.mark.parametrize(
    "url",
    [
        "nonsense://x",
        "nonsense",
        "postgresql+nodriver://nobody@127.0.0.1:1/x",
        "postgresql://nobody@127.0.0.1:1/x",
        "postgresql://nobody@127.0.0.1:port/x",
        "sqlite:////nonexistent-folder/x.db",
    ],
)
@pytest.mark.parametrize("command", [["db", "upgrade"], ["report"], ["db", "check-tallies"]])
def test_a_bad_database_url_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, url: str, command: list[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    result = runner.invoke(app, command)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: cannot open the database at DATABASE_URL: ")
    assert "Traceback" not in result.output


def test_the_error_line_never_reads_user_text_as_markup(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import typer

    from bot.cli.support import fail

    with pytest.raises(typer.Exit):
        fail("department '[/]' and [bold]x[/bold]")
    assert "error: department '[/]' and [bold]x[/bold]" in capsys.readouterr().err
