"""`auditready run` and `manifest`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bot.cli.main import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("environment")


def test_run_without_credentials_names_what_to_set() -> None:
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 1
    assert "SLACK_BOT_TOKEN" in result.output and "SLACK_SIGNING_SECRET" in result.output


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
