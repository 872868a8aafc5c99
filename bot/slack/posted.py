"""Finding a round's question in a person's DM, when an earlier post's outcome is unknown.

Every question a round posts carries its delivery id as Slack message metadata. After a
timeout, a 5xx or a crash mid-post, the next attempt reads the DM's recent history (with
`include_all_metadata`) and adopts the message it finds instead of posting a second one. So a
delivery is posted at most once, and at least once unless Slack stays down for the whole retry
budget of the sweeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

EVENT_TYPE = "auditready_delivery"
# Slack's clock and ours may differ a little; the look-back starts this much earlier.
CLOCK_SLACK = timedelta(minutes=2)
PAGES = 5


def delivery_metadata(delivery_id: int) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"delivery_id": delivery_id}}


def find_posted(
    client: WebClient, channel: str, delivery_id: int, *, since: datetime
) -> str | None:
    """The ts of this delivery's message in `channel` posted after `since`, if there is one."""
    oldest = f"{(since - CLOCK_SLACK).timestamp():.6f}"
    cursor = None
    for _page in range(PAGES):
        page = client.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=200, cursor=cursor
        )
        for message in page.get("messages") or []:
            if _delivery_of(message) == delivery_id:
                return str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None
    return None


def _delivery_of(message: dict[str, Any]) -> int | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != EVENT_TYPE:
        return None
    found = (metadata.get("event_payload") or {}).get("delivery_id")
    return found if isinstance(found, int) else None


def post_once(
    client: WebClient,
    *,
    slack_user: str,
    delivery_id: int,
    message: dict[str, Any],
    attempts: int = 3,
    pause: Callable[[float], None] = time.sleep,
) -> tuple[str, str]:
    """Post a question to the person's DM, retrying a 5xx or a timeout only after looking for
    the message the failed attempt may have left. Returns the channel and ts.

    Raises SlackApiError or OSError when Slack refuses, or keeps failing `attempts` times.
    """
    since = datetime.now(UTC)
    for attempt in range(attempts):
        try:
            if attempt:
                channel = str(client.conversations_open(users=slack_user)["channel"]["id"])
                found = find_posted(client, channel, delivery_id, since=since)
                if found is not None:
                    return channel, found
            response = client.chat_postMessage(
                channel=slack_user, metadata=delivery_metadata(delivery_id), **message
            )
            return str(response["channel"]), str(response["ts"])
        except SlackApiError as error:
            if error.response.status_code < 500 or attempt == attempts - 1:
                raise
        except OSError:
            if attempt == attempts - 1:
                raise
        pause(0.5 * 2**attempt)
    raise AssertionError("unreachable")
