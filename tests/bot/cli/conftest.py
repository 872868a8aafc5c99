from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A fresh SQLite database in a scratch folder, and no Slack credentials from the shell."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    for name in (
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "AUDITREADY_BANK",
        "AUDITREADY_MODEL_URL",
    ):
        monkeypatch.delenv(name, raising=False)
