from __future__ import annotations

from slack_sdk import WebClient

from bot.sandbox import SandboxUser, SlackSandbox
from bot.slack.directory import WebDirectory


def test_list_users_follows_every_page_and_users_info_failures_are_none() -> None:
    users = [SandboxUser(id=f"U{i:04}", name=f"Person {i}") for i in range(7)]
    with SlackSandbox(users=users, page_size=2, bot_token="xoxb-t") as sandbox:
        directory = WebDirectory(WebClient(token="xoxb-t", base_url=sandbox.base_url))
        listed = [u["id"] for u in directory.list_users()]
        pages = len(sandbox.calls_to("users.list"))
        missing = directory.user_info("U9999")
        found = directory.user_info("U0003")
    assert listed[:7] == [u.id for u in users]
    assert "USLACKBOT" in listed
    assert pages == 4
    assert missing is None
    assert found is not None and found["real_name"] == "Person 3"
