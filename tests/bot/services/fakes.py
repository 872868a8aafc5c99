from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def slack_user(
    slack_id: str, name: str, *, email: str | None = None, tz: str = "Europe/London", **flags: Any
) -> dict[str, Any]:
    profile: dict[str, Any] = {"real_name": name, "display_name": name.split()[0]}
    if email:
        profile["email"] = email
    return {
        "id": slack_id,
        "name": name.lower().replace(" ", "."),
        "real_name": name,
        "tz": tz,
        "deleted": False,
        "is_bot": False,
        "is_app_user": False,
        "profile": profile,
        **flags,
    }


class FakeDirectory:
    """Slack's directory as plain data; records users.info look-ups."""

    def __init__(self, users: list[dict[str, Any]]) -> None:
        self.users = users
        self.info_calls: list[str] = []

    def list_users(self) -> Iterator[Mapping[str, Any]]:
        yield from self.users

    def user_info(self, slack_id: str) -> Mapping[str, Any] | None:
        self.info_calls.append(slack_id)
        return next((u for u in self.users if u["id"] == slack_id), None)
