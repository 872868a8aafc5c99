"""Fixtures for the Slack sandbox tests: a running sandbox and a real slack_sdk WebClient."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.sandbox import SandboxUser, SlackSandbox

TOKEN = "xoxb-sandbox-test"

AMARA = SandboxUser("U0PROD001", "Amara Okafor", email="amara.okafor@brightfield.example")
JONAS = SandboxUser(
    "U0PROD002", "Jonas Weber", email="jonas@brightfield.example", tz="Europe/Berlin"
)
PRIYA = SandboxUser("U0PROD003", "Priya Nair", tz="Asia/Kolkata", is_restricted=True)
GONE = SandboxUser("U0PROD004", "Former Colleague", deleted=True)
ROBOT = SandboxUser("U0PROD005", "Deploy Bot", is_bot=True)
PEOPLE = (AMARA, JONAS, PRIYA, GONE, ROBOT)


@pytest.fixture
def sandbox() -> Iterator[SlackSandbox]:
    with SlackSandbox(users=PEOPLE, bot_token=TOKEN) as running:
        yield running


@pytest.fixture
def client(sandbox: SlackSandbox) -> WebClient:
    # No retry handlers: every failure the sandbox serves must reach the test unchanged.
    return WebClient(token=TOKEN, base_url=sandbox.base_url, retry_handlers=[], timeout=10)


@pytest.fixture
def token() -> str:
    return TOKEN
