"""`/awareness`: one command for several features, so this only parses and hands over.

Each feature's listener asks its service, which decides who may do what, and renders the
answer or the refusal.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.access import NotAllowed, person
from bot.services.registry import Services
from bot.slack import texts
from bot.slack.commands import (
    DrillDown,
    Export,
    Help,
    ListSchedules,
    MockAudit,
    SendRound,
    SetSchedulePaused,
    Summary,
    parse_awareness,
)
from bot.slack.guard import after_ack
from bot.slack.mock_audit.listeners import mock_audit_command
from bot.slack.rounds.delivery import Sender
from bot.slack.rounds.listeners import send_round
from bot.slack.schedules.listeners import list_schedules, set_paused
from bot.slack.summary.listeners import drill, export, post_summary


def register_awareness(app: App, services: Services, sender: Sender) -> None:
    @app.command("/awareness")
    @after_ack
    def on_awareness(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        user = command["user_id"]
        match parse_awareness(command.get("text", "")):
            case Summary():
                post_summary(ack, client, services, user)
            case DrillDown(kind=kind, name=name):
                drill(ack, client, services, user, kind, name)
            case MockAudit() as request:
                mock_audit_command(
                    ack,
                    command=request,
                    client=client,
                    services=services,
                    user=user,
                    trigger_id=command["trigger_id"],
                )
            case Export():
                export(ack, client, services, user)
            case SendRound(department=name):
                send_round(ack, client, services, sender, user, name)
            case ListSchedules():
                list_schedules(ack, services, user)
            case SetSchedulePaused(key=key, paused=paused):
                set_paused(ack, services, user, key, paused)
            case Help(problem=problem):
                _help(ack, services, user, problem)


def _help(ack: Ack, services: Services, user: str, problem: str | None) -> None:
    # Staff are told what /awareness is for, whatever they typed, rather than its commands.
    try:
        services.access.viewer(person(user))
    except NotAllowed:
        ack(text=texts.NOT_ALLOWED)
        return
    ack(text=texts.with_problem(problem, texts.AWARENESS_HELP))
