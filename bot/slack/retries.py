"""Which failed Web API calls the client may repeat by itself.

A 5xx or a dropped connection can come after Slack acted on the call. Repeating a read or an
update is harmless; repeating a post can show a person the same message twice. So posts are
never repeated blindly: a round's questions are looked up first (`bot.slack.rounds.posted`),
and a lost reply to a person is better than a doubled one.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest

POSTS = ("chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal")


def posts(request: HttpRequest) -> bool:
    return request.url.rstrip("/").rsplit("/", 1)[-1] in POSTS


class ServerErrorsExceptPosts(ServerErrorRetryHandler):
    def _can_retry(self, *, request: HttpRequest, **context: Any) -> bool:
        return not posts(request) and super()._can_retry(request=request, **context)


class ConnectionErrorsExceptPosts(ConnectionErrorRetryHandler):
    def _can_retry(self, *, request: HttpRequest, **context: Any) -> bool:
        return not posts(request) and super()._can_retry(request=request, **context)
