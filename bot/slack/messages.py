"""Talking to Slack after the ack: short DMs, and Slack failures kept from undoing work."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

# Something that answers the person: `ack(text=…)` for a command, a DM once a button's ack is gone.
Reply = Callable[..., Any]


def slack_error_code(error: SlackApiError) -> str:
    """Slack's error code, or http_<status> when the answer was not Slack's JSON."""
    data = error.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"http_{error.response.status_code}"


@contextmanager
def slack_failure_logged(what: str) -> Iterator[None]:
    """Keep a Slack API failure after the ack from escaping: what is recorded stays recorded."""
    try:
        yield
    except SlackApiError as error:
        log.warning("%s failed: %s", what, slack_error_code(error))


def tell(client: WebClient, *, user: str, text: str) -> None:
    """A short DM to a person; if Slack refuses it, that is logged and nothing else changes."""
    with slack_failure_logged(f"telling {user}"):
        client.chat_postMessage(channel=user, text=text)


def told(client: WebClient, user: str) -> Reply:
    """A stand-in for ack(text=…) once a button's ack has gone: the text goes by DM."""

    def reply(*, text: str) -> None:
        tell(client, user=user, text=text)

    return reply
