"""Slack listeners: acknowledge, pull out plain values, call a service, render."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.registry import Services
from bot.slack import texts
from bot.slack.commands import (
    Ask,
    Help,
    Pause,
    Resume,
    parse_quiz,
)
from bot.slack.guard import after_ack
from bot.slack.ids import ANSWER_ACTION, ActionId, delivery_from_block_id
from bot.slack.mock_audit.listeners import register_mock_audit
from bot.slack.quiz import views
from bot.slack.quiz.delivery import send_question, settle_answer, slack_failure_logged
from bot.slack.rounds.delivery import Sender
from bot.slack.router import register_awareness
from bot.slack.summary.gap_views import manager_home

log = logging.getLogger(__name__)


def register(app: App, services: Services, sender: Sender, admins: list[str]) -> None:
    """Attach every listener to the Bolt app."""
    register_mock_audit(app, services, lambda: services.mock.admin_ids(configured=admins))
    _register_quiz(app, services)
    _register_answers(app, services)
    register_awareness(app, services, sender)
    _register_events(app, services)

    @app.error
    def on_error(error: Exception) -> None:
        log.error("listener failed: %s", error.__class__.__name__, exc_info=error)


def _register_quiz(app: App, services: Services) -> None:
    @app.command("/quiz")
    @after_ack
    def on_quiz(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        user = command["user_id"]
        match parse_quiz(command.get("text", ""), today=services.quiz.earliest_today()):
            case Ask():
                ack(text=":incoming_envelope: I'm sending you a question in a direct message.")
                send_question(client=client, quiz=services.quiz, slack_user=user)
            case Pause(until=until):
                ack(text=texts.paused(until))
                services.quiz.pause(slack_user=user, until=until)
            case Resume():
                ack(text=texts.RESUMED)
                services.quiz.pause(slack_user=user, until=None)
            case Help(problem=problem):
                ack(text=texts.with_problem(problem, texts.QUIZ_HELP))


def _register_answers(app: App, services: Services) -> None:
    @app.action(ANSWER_ACTION)
    @after_ack
    def on_answer(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        _settle(body, client, services, action["block_id"], [action["value"]])

    @app.action(ActionId.PICK)
    def on_pick(ack: Ack) -> None:
        ack()

    @app.action(ActionId.SUBMIT)
    @after_ack
    def on_submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        block_id = body["actions"][0]["block_id"]
        state = body.get("state", {}).get("values", {}).get(block_id, {})
        picked = (state.get(ActionId.PICK) or {}).get("selected_options") or []
        _settle(body, client, services, block_id, [o["value"] for o in picked])


def _register_events(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    @after_ack
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") != "home":
            return
        user = event["user"]
        progress = services.quiz.progress_for(slack_user=user)
        scope = services.awareness.scope_of(slack_user=user)
        dashboard = manager_home(services.gaps.report(scope=scope)) if scope else []
        with slack_failure_logged("publishing the Home tab"):
            client.views_publish(user_id=user, view=views.home_view(progress, dashboard))


def _settle(
    body: dict[str, Any], client: WebClient, services: Services, block_id: str, chosen: list[str]
) -> None:
    container = body.get("container", {})
    settle_answer(
        client=client,
        quiz=services.quiz,
        slack_user=body["user"]["id"],
        delivery_id=delivery_from_block_id(block_id),
        chosen=chosen,
        channel=container.get("channel_id") or body["channel"]["id"],
        ts=container.get("message_ts") or body["message"]["ts"],
    )
