"""The awareness summary in Slack: the summary itself, drill-downs and the export."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.access import Caller, Denied, NotAllowed, person
from bot.services.registry import Services
from bot.slack.guard import after_ack
from bot.slack.ids import GapAction
from bot.slack.messages import Reply, slack_failure_logged, told
from bot.slack.summary.export import send_export
from bot.slack.summary.gap_views import drill_message, gaps_message
from bot.slack.summary.views import cannot_show, overview_blocks
from bot.slack.texts import NOT_ALLOWED
from questions.text import escape_mrkdwn


def post_summary(reply: Reply, client: WebClient, services: Services, user: str) -> None:
    caller = person(user)
    if not _may_read(reply, services, caller):
        return
    reply(text=":bar_chart: I'm sending your awareness summary in a direct message.")
    report = services.gaps.report(caller=caller)
    # The same period as the gaps, so the headline and the gaps describe the same answers.
    summary = services.summary.summary(
        caller=caller, since=report.period.start, cells=[g.cell for g in report.procedures]
    )
    message = gaps_message(report, can_quiz=True, overview=overview_blocks(summary))
    with slack_failure_logged("sending the awareness summary"):
        client.chat_postMessage(channel=user, **message)


def _may_read(reply: Reply, services: Services, caller: Caller) -> bool:
    # Asking first keeps the ack within Slack's 3 seconds; the slower call after it is refused
    # by its service anyway.
    try:
        services.access.viewer(caller)
    except NotAllowed:
        reply(text=NOT_ALLOWED)
        return False
    return True


def drill(
    reply: Reply,
    client: WebClient,
    services: Services,
    user: str,
    kind: str,
    name: str,
    *,
    announce: bool = True,
) -> None:
    caller = person(user)
    try:
        name = services.gaps.drill_subject(caller=caller, kind=kind, name=name)
    except NotAllowed as refusal:
        not_yours = refusal.denied is Denied.NOT_YOUR_DEPARTMENT
        reply(text=cannot_show(name) if not_yours else NOT_ALLOWED)
        return
    if announce:
        reply(text=f":mag: Sending {kind} {escape_mrkdwn(name)} in a direct message.")
    found = services.gaps.drill(caller=caller, kind=kind, name=name)
    with slack_failure_logged(f"sending the {kind} drill-down"):
        client.chat_postMessage(channel=user, **drill_message(found))


def export(reply: Reply, client: WebClient, services: Services, user: str) -> None:
    caller = person(user)
    if not _may_read(reply, services, caller):
        return
    reply(text=":page_facing_up: Preparing your report; it will arrive in your DM.")
    send_export(client=client, report=services.gaps.report(caller=caller), user=user)


def register_summary(app: App, services: Services) -> None:
    """The drill-down buttons on summary messages."""

    @app.action(GapAction.DEPARTMENT)
    @app.action(GapAction.PROCEDURE)
    @after_ack
    def on_drill(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user, action = body["user"]["id"], body["actions"][0]
        kind = "department" if action["action_id"] == GapAction.DEPARTMENT else "procedure"
        drill(told(client, user), client, services, user, kind, action["value"], announce=False)
