"""The Slack app manifest a user pastes into Slack to create the app."""

from __future__ import annotations

from typing import Any

BOT_SCOPES = [
    "commands",  # /quiz and /awareness
    "chat:write",  # DMs with questions and summaries, and updating them in place
    "im:history",  # message.im: replies in direct messages
    "users:read",  # users.list and users.info: names, time zones, deactivated accounts
    "users:read.email",  # matching the roster by email
    "files:write",  # report exports in the manager's DM
]


def manifest(*, request_url: str | None, socket_mode: bool) -> dict[str, Any]:
    """A manifest for HTTP mode (with the public request URL) or Socket Mode."""
    url = request_url or "https://auditready.example.com/slack/events"
    command = {"should_escape": False, **({} if socket_mode else {"url": url})}
    settings: dict[str, Any] = {
        "event_subscriptions": {"bot_events": ["app_home_opened", "message.im"]},
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }
    if not socket_mode:
        settings["event_subscriptions"]["request_url"] = url
        settings["interactivity"]["request_url"] = url
    return {
        "display_information": {
            "name": "auditready",
            "description": "Short quizzes on your own procedures, so every day is audit-ready.",
            "background_color": "#1d4e89",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": "auditready", "always_online": True},
            "slash_commands": [
                {
                    **command,
                    "command": "/quiz",
                    "description": "Get a question from your procedures now",
                    "usage_hint": "[pause until YYYY-MM-DD | resume | help]",
                },
                {
                    **command,
                    "command": "/awareness",
                    "description": "Awareness summary of your departments (managers)",
                    "usage_hint": "[round <department> | schedule | help]",
                },
            ],
        },
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": settings,
    }
