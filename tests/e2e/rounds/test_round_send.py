"""`auditready round send` from the command line, when Slack can't be reached."""

from __future__ import annotations

import pytest
import time_machine
from typer.testing import CliRunner

from bot.cli.main import app as cli_app
from storage import models
from tests.e2e.harness import E2E


@pytest.mark.usefixtures("slack_env")
def test_round_send_fails_when_nothing_could_be_delivered(
    e2e: E2E, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 12, also seen: it exited 0 with Slack unreachable.
    monkeypatch.chdir(e2e.workdir)
    monkeypatch.setenv("DATABASE_URL", e2e.runtime.settings.database_url)
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    with time_machine.travel(e2e.clock(), tick=False):
        result = CliRunner().invoke(cli_app, ["round", "send", "--department", "Warehouse"])
    assert result.exit_code == 1, result.output
    assert "nothing was delivered" in result.output
    assert "Traceback" not in result.output
    assert e2e.count(models.Round) == 1
    # slack_sdk logs each refused connection; here they are what the test is about.
    assert all("Connection refused" in r.getMessage() for r in e2e.errors.records)
    e2e.errors.records.clear()
