"""Slack listeners: acknowledge, pull out plain values, call a service, render."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import texts, views
from bot.awareness_views import NOT_ALLOWED, awareness_message
from bot.commands import (
    Ask,
    Help,
    ListSchedules,
    Pause,
    Resume,
    SendRound,
    SetSchedulePaused,
    Summary,
    parse_awareness,
    parse_quiz,
)
from bot.delivery import send_question, settle_answer, slack_failure_logged, tell
from bot.ids import ANSWER_ACTION, ActionId, delivery_from_block_id
from bot.round_delivery import Sender, deliver
from bot.services.awareness import Scope
from bot.services.registry import Services
from bot.services.rounds import adhoc_plan
from bot.services.schedule_admin import UnknownSchedule
from bot.views import schedules_message
from questions.text import escape_mrkdwn

log = logging.getLogger(__name__)


Listener = TypeVar("Listener", bound=Callable[..., None])


def after_ack(listener: Listener) -> Listener:
    """Log any failure after the ack instead of letting it escape.

    An exception escaping a listener makes Bolt withdraw the ack it already gave, so Slack
    would see the request fail and retry it. What was recorded before the failure stays.
    """

    @functools.wraps(listener)
    def guarded(*args: Any, **kwargs: Any) -> None:
        try:
            listener(*args, **kwargs)
        except Exception:
            log.exception("%s failed after acknowledging", listener.__name__)
            user = _user_of(kwargs)
            client = kwargs.get("client")
            if user and isinstance(client, WebClient):
                tell(client, user=user, text=texts.SORRY)

    return guarded  # type: ignore[return-value]


def _user_of(kwargs: dict[str, Any]) -> str | None:
    if "command" in kwargs:
        return str(kwargs["command"]["user_id"])
    if "body" in kwargs:
        return str(kwargs["body"]["user"]["id"])
    return None


def register(app: App, services: Services, sender: Sender) -> None:
    """Attach every listener to the Bolt app."""
    _register_quiz(app, services)
    _register_answers(app, services)
    _register_awareness(app, services, sender)
    _register_events(app, services)

    @app.error
    def on_error(error: Exception) -> None:
        log.error("listener failed: %s", error.__class__.__name__, exc_info=error)


def _register_quiz(app: App, services: Services) -> None:
    @app.command("/quiz")
    @after_ack
    def on_quiz(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        user = command["user_id"]
        match parse_quiz(command.get("text", ""), today=services.quiz.today()):
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


def _register_awareness(app: App, services: Services, sender: Sender) -> None:
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
                summary = services.awareness.summary(scope=scope)
                with slack_failure_logged("sending the awareness summary"):
                    client.chat_postMessage(channel=user, **awareness_message(summary))
            case ListSchedules() | SetSchedulePaused() if not scope.is_admin:
                ack(text=texts.ADMINS_ONLY)
            case ListSchedules():
                ack(**schedules_message(services.schedules.states()))
            case SetSchedulePaused(key=key, paused=paused):
                try:
                    state = services.schedules.set_paused(key=key, paused=paused, by=user)
                except UnknownSchedule as unknown:
                    ack(text=str(unknown))
                    return
                ack(text=texts.schedule_state(state))
            case SendRound(department=name):
                _send_round(ack, client, services, sender, scope, user, name)
            case Help(problem=problem):
                ack(text=texts.with_problem(problem, texts.AWARENESS_HELP))


def _send_round(
    ack: Ack,
    client: WebClient,
    services: Services,
    sender: Sender,
    scope: Scope,
    user: str,
    name: str,
) -> None:
    department = services.rounds.department_named(name)
    if department is None or not scope.may_see(department):
        ack(text=texts.no_such_department(name))
        return
    ack(text=f":outbox_tray: Sending a round to {escape_mrkdwn(department)} now.")
    opened = services.rounds.open(adhoc_plan(department=department, requested_by=user))
    report = deliver(sender, services.rounds.unsent(round_id=opened.round_id))
    tell(client, user=user, text=texts.round_sent(department, opened, report))


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
        progress = services.quiz.progress_for(slack_user=event["user"])
        with slack_failure_logged("publishing the Home tab"):
            client.views_publish(user_id=event["user"], view=views.home_view(progress))

    @app.event("message")
    def on_message() -> None:
        """Direct messages are acknowledged; conversation with the bot comes later."""


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
