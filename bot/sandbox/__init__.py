"""A built-in, in-process stand-in for Slack's Web API.

`auditready demo` runs the real app against it, and the end-to-end tests use it as a fake
Web API that records calls and rejects Block Kit over Slack's limits.
"""

from __future__ import annotations

from bot.sandbox.calls import RecordedCall
from bot.sandbox.sandbox import SlackSandbox
from bot.sandbox.users import BOT_ID, BOT_USER_ID, SLACKBOT_ID, SandboxUser

__all__ = ["BOT_ID", "BOT_USER_ID", "SLACKBOT_ID", "RecordedCall", "SandboxUser", "SlackSandbox"]
