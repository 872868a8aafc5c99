"""`/awareness` and its buttons: summaries, drill-downs, exports, rounds and schedules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.registry import Services
from bot.services.rounds.service import adhoc_plan
from bot.services.schedules import UnknownSchedule
from bot.services.summary.counts import Scope
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
from bot.slack.ids import GapAction
from bot.slack.mock_audit.listeners import mock_audit_command
from bot.slack.quiz.delivery import slack_failure_logged, tell
from bot.slack.quiz.views import schedules_message
from bot.slack.rounds.delivery import Sender, deliver
from bot.slack.summary.export import send_export
from bot.slack.summary.gap_views import drill_message, gaps_message
from bot.slack.summary.views import NOT_ALLOWED, overview_blocks
from questions.text import escape_mrkdwn

Reply = Callable[..., Any]


def register_awareness(app: App, services: Services, sender: Sender) -> None:
    """The /awareness command and the buttons on its messages."""

    @app.command("/awareness")
    @after_ack
    def on_awareness(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        user = command["user_id"]
        scope = services.awareness.scope_of(slack_user=user)
        if scope is None:
            ack(text=NOT_ALLOWED)
            return
        match parse_awareness(command.get("text", "")):
            case Summary():
                ack(text=":bar_chart: I'm sending your awareness summary in a direct message.")
                _post_summary(client, services, scope, user)
            case DrillDown(kind=kind, name=name):
                _drill(ack, client, services, scope, user, kind, name)
            case MockAudit() as request:
                mock_audit_command(
                    ack,
                    command=request,
                    client=client,
                    services=services,
                    scope=scope,
                    user=user,
                    trigger_id=command["trigger_id"],
                )
            case Export():
                ack(text=":page_facing_up: Preparing your report; it will arrive in your DM.")
                send_export(client=client, gaps=services.gaps, scope=scope, user=user)
            case SendRound(department=name):
                _send_round(ack, client, services, sender, scope, user, name)
            case ListSchedules() | SetSchedulePaused() if not scope.is_admin:
                ack(text=texts.ADMINS_ONLY)
            case ListSchedules():
                ack(**schedules_message(services.schedules.states()))
            case SetSchedulePaused(key=key, paused=paused):
                _set_paused(ack, services, user, key, paused)
            case Help(problem=problem):
                ack(text=texts.with_problem(problem, texts.AWARENESS_HELP))

    @app.action(GapAction.DEPARTMENT)
    @app.action(GapAction.PROCEDURE)
    @after_ack
    def on_drill(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, action = body["user"]["id"], body["actions"][0]
        kind = "department" if action["action_id"] == GapAction.DEPARTMENT else "procedure"
        scope = services.awareness.scope_of(slack_user=user)
        if scope is None:
            tell(client, user=user, text=NOT_ALLOWED)
            return
        reply = _told(client, user)
        _drill(reply, client, services, scope, user, kind, action["value"], announce=False)

    @app.action(GapAction.QUIZ)
    @after_ack
    def on_quiz_department(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        scope = services.awareness.scope_of(slack_user=user)
        if scope is None:
            tell(client, user=user, text=NOT_ALLOWED)
            return
        department = body["actions"][0]["value"]
        reply = _told(client, user)
        _send_round(reply, client, services, sender, scope, user, department, announce=False)


def _told(client: WebClient, user: str) -> Reply:
    """A stand-in for ack(text=…) once a button's ack has gone: the text goes by DM."""

    def reply(*, text: str) -> None:
        tell(client, user=user, text=text)

    return reply


def _post_summary(client: WebClient, services: Services, scope: Scope, user: str) -> None:
    report = services.gaps.report(scope=scope)
    # The same period as the gaps, so the headline and the gaps describe the same answers.
    summary = services.awareness.summary(
        scope=scope, since=report.period.start, cells=[g.cell for g in report.procedures]
    )
    message = gaps_message(report, can_quiz=True, overview=overview_blocks(summary))
    with slack_failure_logged("sending the awareness summary"):
        client.chat_postMessage(channel=user, **message)


def _drill(
    reply: Reply,
    client: WebClient,
    services: Services,
    scope: Scope,
    user: str,
    kind: str,
    name: str,
    *,
    announce: bool = True,
) -> None:
    if kind == "department":
        department = services.rounds.department_named(name)
        if department is None or not scope.may_see(department):
            reply(text=texts.cannot_show(name))
            return
        name = department
    if announce:
        reply(text=f":mag: Sending {kind} {escape_mrkdwn(name)} in a direct message.")
    report = services.gaps.report(scope=scope)
    with slack_failure_logged(f"sending the {kind} drill-down"):
        client.chat_postMessage(channel=user, **drill_message(report, kind=kind, name=name))


def _send_round(
    reply: Reply,
    client: WebClient,
    services: Services,
    sender: Sender,
    scope: Scope,
    user: str,
    name: str,
    *,
    announce: bool = True,
) -> None:
    department = services.rounds.department_named(name)
    if department is None or not scope.may_see(department):
        reply(text=texts.no_such_department(name))
        return
    if announce:
        reply(text=f":outbox_tray: Sending a round to {escape_mrkdwn(department)} now.")
    opened = services.rounds.open(adhoc_plan(department=department, requested_by=user))
    report = deliver(sender, services.rounds.unsent(round_id=opened.round_id))
    tell(client, user=user, text=texts.round_sent(department, opened, report))


def _set_paused(ack: Ack, services: Services, user: str, key: str, paused: bool) -> None:
    try:
        state = services.schedules.set_paused(key=key, paused=paused, by=user)
    except UnknownSchedule as unknown:
        ack(text=str(unknown))
        return
    ack(text=texts.schedule_state(state))
