"""Slack's users.list and users.info behind the SlackDirectory protocol."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

PAGE_SIZE = 200


class WebDirectory:
    """Reads people from the Web API; users.info failures are logged, not raised."""

    def __init__(self, client: WebClient) -> None:
        self._client = client

    def list_users(self) -> Iterator[Mapping[str, Any]]:
        cursor: str | None = None
        while True:
            response = self._client.users_list(limit=PAGE_SIZE, cursor=cursor)
            yield from response.get("members", [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return

    def user_info(self, slack_id: str) -> Mapping[str, Any] | None:
        try:
            user: Mapping[str, Any] = self._client.users_info(user=slack_id)["user"]
        except SlackApiError as error:
            log.warning("users.info for %s failed: %s", slack_id, error.response.get("error"))
            return None
        return user
