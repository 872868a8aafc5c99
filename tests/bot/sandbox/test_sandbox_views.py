"""views.publish / views.open / views.update against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackSandbox


def home(text: str) -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def modal(title: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "evidence",
        "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "divider"}],
    }


def test_publish_home_view(sandbox: SlackSandbox, client: WebClient) -> None:
    assert sandbox.home_view("U0PROD001") is None
    first = client.views_publish(user_id="U0PROD001", view=home("Welcome"))["view"]
    second = client.views_publish(user_id="U0PROD001", view=home("3 questions due"))["view"]
    assert first["id"] == second["id"] and first["hash"] != second["hash"]
    published = sandbox.home_view("U0PROD001")
    assert published is not None and published["type"] == "home"
    assert published["blocks"] == home("3 questions due")["blocks"]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(user_id="U0NOBODY", view=home("x"))
    assert excinfo.value.response["error"] == "user_not_found"


def test_publish_rejects_an_invalid_home_view(sandbox: SlackSandbox, client: WebClient) -> None:
    oversized = {"type": "home", "blocks": [{"type": "divider"}] * 101}
    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(user_id="U0PROD001", view=oversized)
    assert excinfo.value.response["error"] == "invalid_blocks"
    with pytest.raises(SlackApiError):
        client.views_publish(user_id="U0PROD001", view=modal("Not a home tab"))
    assert [call.method for call in sandbox.rejected] == ["views.publish", "views.publish"]
    assert sandbox.home_view("U0PROD001") is None


def test_open_and_update_a_modal(sandbox: SlackSandbox, client: WebClient) -> None:
    opened = client.views_open(trigger_id="123.456", view=modal("Upload evidence"))["view"]
    assert opened["id"].startswith("V") and opened["callback_id"] == "evidence"
    updated = client.views_update(view_id=opened["id"], view=modal("Uploaded"))["view"]
    assert updated["id"] == opened["id"]
    assert updated["title"]["text"] == "Uploaded"
    with pytest.raises(SlackApiError) as conflict:
        client.views_update(view_id=opened["id"], view=modal("Stale"), hash=opened["hash"])
    assert conflict.value.response["error"] == "hash_conflict"
    with pytest.raises(SlackApiError) as missing:
        client.views_update(view_id="V0NOPE", view=modal("x"))
    assert missing.value.response["error"] == "not_found"


def test_modal_title_over_24_characters_is_rejected(
    sandbox: SlackSandbox, client: WebClient
) -> None:
    assert client.views_open(trigger_id="1.2", view=modal("x" * 24))["ok"]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id="1.2", view=modal("x" * 25))
    assert excinfo.value.response["errors"] == [
        "view.title.text: must be at most 24 characters (got 25)"
    ]
    assert [call.method for call in sandbox.rejected] == ["views.open"]


def test_views_open_needs_a_trigger(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("views.open", json={"view": modal("x")})
    assert excinfo.value.response["error"] == "invalid_arguments"
