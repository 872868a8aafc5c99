"""Slack's recorded payloads beside us, handed to the app's one request builder.

The fixture files hold Slack's real payload shapes with placeholder ids; the builder
(`bot.sandbox.requests`) fills in the test workspace, the person, the message clicked, the view
submitted and the event. Everything else about a request (signing, sending, the click's
`actions` entry, checkbox state) comes from the builder itself.
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

FIXTURES = Path(__file__).parent / "fixtures"


@cache
def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture(name: str) -> dict[str, Any]:
    """A fresh, mutable copy of a JSON fixture."""
    loaded: dict[str, Any] = json.loads(_fixture_text(name))
    return copy.deepcopy(loaded)


def retry_headers(attempt: int = 1) -> dict[str, str]:
    """The headers Slack adds to its `attempt`th redelivery, from the recorded ones."""
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


def view_submission(
    *, user_id: str, user_name: str, view: dict[str, Any], values: dict[str, Any]
) -> str:
    return build.view_submission(
        user_id=user_id,
        user_name=user_name,
        view=view,
        values=values,
        template=fixture("view_submission.json"),
    )


def event_callback(name: str, **event: Any) -> str:
    """The Events API envelope recorded in fixture `name`, with these inner event fields."""
    return build.event_callback(fixture(name), bot_user_id=BOT_USER_ID, **event)
