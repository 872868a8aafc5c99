"""The App Home tab: a manager's dashboard of their departments, then the person's own results.

It draws on two features (the quiz's progress and the summary's dashboard), so it lives here
rather than in either.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services.access import person
from bot.services.quiz.service import Progress
from bot.services.registry import Services
from bot.services.summary.gap_report import GapReport
from bot.slack.blocks import Blocks, context, plain, section
from bot.slack.guard import after_ack
from bot.slack.messages import slack_failure_logged
from bot.slack.summary.gap_views import manager_home
from bot.slack.summary.listeners import scope_key
from bot.slack.work import backlog_of
from questions import limits
from questions.text import escape_mrkdwn


def register_home(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    @after_ack
    def on_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab") != "home":
            return
        user = str(event["user"])
        progress = services.quiz.progress_for(slack_user=user)
        caller = person(user)
        scope = services.access.scope_of(caller)
        if scope is None:  # staff: their own results only, quick to read
            _publish(client, user, home_view(progress))
            return

        # A manager's dashboard is a whole report: the backlog's work, not this listener's.
        def compute() -> GapReport | None:
            return services.gaps.dashboard(caller=caller)

        def send(outcome: Future[GapReport | None]) -> None:
            report = outcome.result()
            dashboard = manager_home(report) if report else []
            _publish(client, user, home_view(progress, dashboard))

        # A failure is logged by the backlog; a Home tab left as it was needs no apology.
        backlog = backlog_of(context)
        if not backlog.run(lambda: backlog.shared(("dashboard", scope_key(scope)), compute, send)):
            # Too busy for the dashboard just now: the person's own results, at least.
            _publish(client, user, home_view(progress))


def _publish(client: WebClient, user: str, view: dict[str, Any]) -> None:
    with slack_failure_logged("publishing the Home tab"):
        client.views_publish(user_id=user, view=view)


def home_view(progress: Progress, dashboard: Blocks | None = None) -> dict[str, Any]:
    """The App Home tab: a manager's dashboard (if any), then the person's own results."""
    if progress.answers:
        share = f"{progress.correct * 100 // progress.answers}%"
        summary = f"You have answered *{progress.answers}* questions, *{share}* correctly."
    else:
        summary = "You haven't answered any questions yet."
    reread = "\n".join(
        f"• {escape_mrkdwn(code)} section {escape_mrkdwn(section)}"
        for code, section in progress.to_reread
    )
    blocks: Blocks = [
        {"type": "header", "text": plain("Your audit readiness")},
        section(summary),
        section("*Worth re-reading*\n" + (reread or "_Nothing: every answer so far was right._")),
        context("Type `/quiz` any time for a question from your own procedures."),
    ]
    head = (dashboard or [])[: limits.VIEW_BLOCKS - len(blocks) - 1]
    if head:
        head = [*head, {"type": "divider"}]
    return {"type": "home", "blocks": head + blocks}
