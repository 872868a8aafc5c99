"""SlackSandbox: an in-process stand-in for Slack's Web API, served over loopback HTTP."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from bot.sandbox.calls import CallFilter, CallLog, RecordedCall
from bot.sandbox.dispatch import Dispatcher
from bot.sandbox.errors import SlackError
from bot.sandbox.faults import Fault, FaultPlan, SlidingWindow
from bot.sandbox.server import API_PREFIX, LoopbackServer
from bot.sandbox.users import SandboxUser
from bot.sandbox.workspace import Workspace, dm_channel_id


class SlackSandbox:
    """A fake Slack workspace whose Web API slack_sdk's WebClient can talk to.

    Point the client at `base_url`; every call is recorded in `calls`, and Block Kit over
    Slack's limits is rejected (and listed in `rejected`) exactly where Slack would.
    """

    def __init__(
        self,
        *,
        users: Iterable[SandboxUser] = (),
        team_id: str = "T0BRIGHT",
        bot_token: str | None = None,
        page_size: int = 200,
        latency: float = 0.0,
        post_message_per_minute: int | None = None,
        include_slackbot: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        self._workspace = Workspace.create(
            team_id, list(users), page_size=page_size, include_slackbot=include_slackbot
        )
        self._log = CallLog()
        self._faults = FaultPlan()
        limiter = None
        if post_message_per_minute is not None:
            limiter = SlidingWindow(post_message_per_minute, clock)
        self._dispatcher = Dispatcher(
            self._workspace, self._log, self._faults, limiter, bot_token, latency, clock
        )
        self._server: LoopbackServer | None = None
        self._lifecycle = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> str:
        """Serve on a free 127.0.0.1 port; returns the Web API base URL."""
        with self._lifecycle:
            if self._server is not None:
                raise RuntimeError("the Slack sandbox is already running")
            self._server = LoopbackServer(self._dispatcher)
            self._workspace.public_url = self._server.root_url
        return self.base_url

    def stop(self) -> None:
        with self._lifecycle:
            server, self._server = self._server, None
        if server is not None:
            server.close()

    def __enter__(self) -> SlackSandbox:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """e.g. "http://127.0.0.1:PORT/api/", for WebClient(base_url=...)."""
        server = self._server
        if server is None:
            raise RuntimeError("the Slack sandbox is not running; call start() first")
        return server.root_url + API_PREFIX.lstrip("/")

    # -- recorded calls ----------------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        return self._log.snapshot()

    @property
    def rejected(self) -> list[RecordedCall]:
        """Calls answered ok=false with invalid_blocks."""
        return self._log.rejected()

    def calls_to(self, method: str) -> list[RecordedCall]:
        return self._log.to(method)

    def wait_for(
        self,
        method: str,
        count: int = 1,
        *,
        timeout: float = 10.0,
        where: CallFilter | None = None,
    ) -> list[RecordedCall]:
        """Block until `count` successful calls of `method` (matching `where`) were recorded."""
        return self._log.wait_for(method, count, timeout=timeout, where=where)

    # -- fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        after_effect: bool = False,
        delay: float = 0.0,
    ) -> None:
        """Answer the next `times` calls of `method` with this failure instead of handling them.

        429 answers {"ok": false, "error": "ratelimited"} with Retry-After; 5xx a plain
        "internal error"; any other status (e.g. 200) {"ok": false, "error": error}.
        With `after_effect` the call takes effect first and then fails (status 200 with
        `after_effect` answers normally): the outcome a caller can't know. `delay` holds the
        answer back that many seconds, e.g. past the caller's timeout.
        """
        if times < 1:
            raise ValueError(f"times must be at least 1, got {times}")
        fault = Fault(status, error, retry_after, after_effect=after_effect, delay=delay)
        self._faults.add(method, fault, times)

    # -- workspace state ---------------------------------------------------------------------

    def add_user(self, user: SandboxUser) -> None:
        with self._workspace.lock:
            self._workspace.users[user.id] = user

    def dm_channel(self, user_id: str) -> str:
        return dm_channel_id(user_id)

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages in a DM (by D id or user id) as they stand now, oldest first."""
        return self._workspace.channel_messages(self._channel(channel))

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        for message in self.messages(channel):
            if message["ts"] == ts:
                return message
        raise KeyError(f"no message {ts} in {channel}")

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The view last published to the user's App Home, or None."""
        with self._workspace.lock:
            return copy.deepcopy(self._workspace.home_views.get(user_id))

    def uploads(self) -> list[dict[str, Any]]:
        """Completed uploads: file_id, filename, title, content, channel_id, initial_comment."""
        with self._workspace.lock:
            return copy.deepcopy(self._workspace.uploads)

    def _channel(self, channel: str) -> str:
        try:
            return dm_channel_id(self._workspace.dm_owner(channel).id)
        except SlackError:
            return channel
