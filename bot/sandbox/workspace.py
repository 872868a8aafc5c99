"""The sandbox workspace's mutable state: members, DMs, messages, views and uploads."""

from __future__ import annotations

import copy
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.sandbox.errors import SlackError
from bot.sandbox.users import SLACKBOT, SandboxUser


def dm_channel_id(user_id: str) -> str:
    return "D" + user_id[1:]


@dataclass
class PendingFile:
    file_id: str
    filename: str
    length: int
    content: bytes | None = None


@dataclass
class Workspace:
    """Everything the Web API methods read and write, guarded by one lock."""

    team_id: str
    page_size: int = 200
    public_url: str = ""
    lock: threading.RLock = field(default_factory=threading.RLock)
    users: dict[str, SandboxUser] = field(default_factory=dict)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    home_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, PendingFile] = field(default_factory=dict)
    uploads: list[dict[str, Any]] = field(default_factory=list)
    _last_ts_micros: int = field(default=0, init=False)
    _serial: int = field(default=0, init=False)

    @classmethod
    def create(
        cls, team_id: str, users: list[SandboxUser], *, page_size: int, include_slackbot: bool
    ) -> Workspace:
        workspace = cls(team_id=team_id, page_size=page_size)
        for user in [*users, *([SLACKBOT] if include_slackbot else [])]:
            workspace.users[user.id] = user
        return workspace

    def next_id(self, prefix: str) -> str:
        with self.lock:
            self._serial += 1
            return f"{prefix}0SBX{self._serial:05d}"

    def next_ts(self) -> str:
        """A message ts: wall-clock microseconds, strictly increasing."""
        with self.lock:
            now = int(time.time() * 1_000_000)
            self._last_ts_micros = max(now, self._last_ts_micros + 100)
            seconds, micros = divmod(self._last_ts_micros, 1_000_000)
            return f"{seconds}.{micros:06d}"

    def user(self, user_id: object) -> SandboxUser:
        found = self.users.get(str(user_id)) if user_id else None
        if found is None:
            raise SlackError("user_not_found")
        return found

    def user_by_email(self, email: object) -> SandboxUser:
        wanted = str(email or "").strip().lower()
        for user in list(self.users.values()):
            if user.email is not None and user.email.lower() == wanted:
                return user
        raise SlackError("users_not_found")

    def dm_owner(self, channel: object) -> SandboxUser:
        """The member whose DM `channel` (a user id or a D id) addresses."""
        name = str(channel or "")
        if name[:1] in ("U", "W") and name in self.users:
            return self.users[name]
        if name.startswith("D"):
            for user in list(self.users.values()):
                if dm_channel_id(user.id) == name:
                    return user
        raise SlackError("channel_not_found")

    def open_dm(self, channel: object) -> str:
        """The DM channel for posting to `channel`; deactivated members cannot be messaged."""
        owner = self.dm_owner(channel)
        if owner.deleted:
            raise SlackError("account_inactive")
        return dm_channel_id(owner.id)

    def add_message(self, message: dict[str, Any]) -> None:
        with self.lock:
            self.messages.setdefault(message["channel"], []).append(message)

    def find_message(self, channel: str, ts: object) -> dict[str, Any]:
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                return message
        raise SlackError("message_not_found")

    def channel_messages(self, channel: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(self.messages.get(channel, []))
