"""The awareness summary in Slack: the summary itself, drill-downs and the export.

Each runs after the ack on the backlog (`bot/slack/work.py`); the same summary for the same
scope, asked for together, is computed once and sent to everyone who asked.
"""

from __future__ import annotations

from collections.abc import Hashable
from concurrent.futures import Future
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.services.access import Caller, Denied, NotAllowed, Scope, person
from bot.services.registry import Services
from bot.services.summary.gap_report import GapReport
from bot.slack import texts
from bot.slack.guard import after_ack, apologising
from bot.slack.ids import GapAction
from bot.slack.messages import Reply, slack_failure_logged, told
from bot.slack.summary.export import send_export
from bot.slack.summary.gap_views import drill_message, gaps_message
from bot.slack.summary.views import cannot_show, overview_blocks
from bot.slack.texts import NOT_ALLOWED
from bot.slack.work import Backlog, backlog_of
from questions.text import escape_mrkdwn


def scope_key(scope: Scope) -> Hashable:
    """What a summary depends on besides its kind: two callers with this key see the same."""
    departments = None if scope.departments is None else tuple(scope.departments)
    return (departments, scope.is_admin)


def post_summary(
    reply: Reply, client: WebClient, services: Services, backlog: Backlog, user: str
) -> None:
    caller = person(user)
    scope = _readable(reply, services, caller)
    if scope is None:
        return
    reply(text=":bar_chart: I'm sending your awareness summary in a direct message.")

    def compute() -> dict[str, Any]:
        report = services.gaps.report(caller=caller)
        # The same period as the gaps, so the headline and the gaps describe the same answers.
        summary = services.summary.summary(
            caller=caller, since=report.period.start, cells=[g.cell for g in report.procedures]
        )
        return gaps_message(report, can_quiz=True, overview=overview_blocks(summary))

    def send(outcome: Future[dict[str, Any]]) -> None:
        message = outcome.result()
        with slack_failure_logged("sending the awareness summary"):
            client.chat_postMessage(channel=user, **message)

    waiter = apologising(send, client=client, user=user, what="the awareness summary")
    backlog.shared(("summary", scope_key(scope)), compute, waiter)


def _readable(reply: Reply, services: Services, caller: Caller) -> Scope | None:
    # Cheap, so a refusal arrives quickly; the slower call after it is refused by its service
    # anyway.
    try:
        return services.access.viewer(caller)
    except NotAllowed:
        reply(text=NOT_ALLOWED)
        return None


def drill(
    reply: Reply,
    client: WebClient,
    services: Services,
    backlog: Backlog,
    user: str,
    kind: str,
    name: str,
    *,
    announce: bool = True,
) -> None:
    caller = person(user)
    try:
        name = services.gaps.drill_subject(caller=caller, kind=kind, name=name)
        scope = services.access.viewer(caller)
    except NotAllowed as refusal:
        not_yours = refusal.denied is Denied.NOT_YOUR_DEPARTMENT
        reply(text=cannot_show(name) if not_yours else NOT_ALLOWED)
        return
    if announce:
        reply(text=f":mag: Sending {kind} {escape_mrkdwn(name)} in a direct message.")

    def compute() -> dict[str, Any]:
        return drill_message(services.gaps.drill(caller=caller, kind=kind, name=name))

    def send(outcome: Future[dict[str, Any]]) -> None:
        message = outcome.result()
        with slack_failure_logged(f"sending the {kind} drill-down"):
            client.chat_postMessage(channel=user, **message)

    waiter = apologising(send, client=client, user=user, what=f"the {kind} drill-down")
    backlog.shared(("drill", kind, name.casefold(), scope_key(scope)), compute, waiter)


def export(
    reply: Reply, client: WebClient, services: Services, backlog: Backlog, user: str
) -> None:
    caller = person(user)
    scope = _readable(reply, services, caller)
    if scope is None:
        return
    reply(text=":page_facing_up: Preparing your report; it will arrive in your DM.")

    def send(outcome: Future[GapReport]) -> None:
        send_export(client=client, report=outcome.result(), user=user)

    def compute() -> GapReport:
        return services.gaps.report(caller=caller)

    waiter = apologising(send, client=client, user=user, what="the awareness export")
    backlog.shared(("export", scope_key(scope)), compute, waiter)


def register_summary(app: App, services: Services) -> None:
    """The drill-down buttons on summary messages."""

    @app.action(GapAction.DEPARTMENT)
    @app.action(GapAction.PROCEDURE)
    @after_ack
    def on_drill(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        user, action = body["user"]["id"], body["actions"][0]
        kind = "department" if action["action_id"] == GapAction.DEPARTMENT else "procedure"
        backlog = backlog_of(context)

        def job() -> None:
            reply = told(client, user)
            drill(reply, client, services, backlog, user, kind, action["value"], announce=False)

        if not backlog.run(apologising(job, client=client, user=user, what="a drill-down")):
            told(client, user)(text=texts.BUSY)
