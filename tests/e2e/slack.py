"""The recorded Slack payloads beside us, handed to the app's one request builder.

The fixture files hold Slack's real payload shapes with placeholder ids; the builder
(`bot.sandbox.requests`) fills in the test workspace, the message clicked and the action taken.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from bot.sandbox import BOT_USER_ID
from bot.sandbox import requests as build
from bot.sandbox.requests import (
    APP_ID,
    FORM,
    JSON,
    TEAM_ID,
    SlackSender,
    checkbox_state,
    element_action,
    signed_headers,
)

FIXTURES = Path(__file__).parent / "fixtures"

__all__ = [
    "APP_ID",
    "FORM",
    "JSON",
    "TEAM_ID",
    "SlackSender",
    "block_actions",
    "checkbox_state",
    "element_action",
    "event_callback",
    "fixture",
    "retry_headers",
    "signed_headers",
    "slash_command",
]


@cache
def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture(name: str) -> dict[str, Any]:
    """A fresh, mutable copy of a JSON fixture."""
    loaded: dict[str, Any] = json.loads(_fixture_text(name))
    return copy.deepcopy(loaded)


def retry_headers(attempt: int = 1) -> dict[str, str]:
    return build.retry_headers(attempt, fixture("events_api_retry_http_headers.json")["headers"])


def slash_command(*, command: str, user_id: str, user_name: str, text: str = "") -> str:
    template = dict(parse_qsl(_fixture_text("slash_command.form-urlencoded.txt").strip()))
    return build.slash_command(
        command=command, user_id=user_id, user_name=user_name, text=text, template=template
    )


def block_actions(
    *,
    user_id: str,
    user_name: str,
    message: dict[str, Any],
    action: dict[str, Any],
    state: dict[str, Any] | None = None,
) -> str:
    return build.block_actions(
        user_id=user_id,
        user_name=user_name,
        message=message,
        action=action,
        state=state,
        template=fixture("block_actions_button.json"),
    )


def event_callback(name: str, **event: Any) -> str:
    return build.event_callback(fixture(name), bot_user_id=BOT_USER_ID, **event)
