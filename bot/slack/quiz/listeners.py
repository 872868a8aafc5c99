"""`/quiz` and the clicks on a question's buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.registry import Services
from bot.slack.commands import Ask, Help, Pause, Resume, parse_quiz
from bot.slack.guard import after_ack
from bot.slack.ids import ANSWER_ACTION, ActionId, delivery_from_block_id
from bot.slack.quiz import views
from bot.slack.quiz.delivery import send_question, settle_answer
from bot.slack.texts import with_problem


def register_quiz(app: App, services: Services) -> None:
    @app.command("/quiz")
    @after_ack
    def on_quiz(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        user = command["user_id"]
        match parse_quiz(command.get("text", ""), today=services.quiz.earliest_today()):
            case Ask():
                ack(text=":incoming_envelope: I'm sending you a question in a direct message.")
                # A replay of the same signed command carries the same trigger id.
                trigger = command.get("trigger_id")
                send_question(
                    client=client,
                    quiz=services.quiz,
                    slack_user=user,
                    request_key=f"quiz:{trigger}" if trigger else None,
                )
            case Pause(until=until):
                ack(text=views.paused(until))
                services.quiz.pause(slack_user=user, until=until)
            case Resume():
                ack(text=views.RESUMED)
                services.quiz.pause(slack_user=user, until=None)
            case Help(problem=problem):
                ack(text=with_problem(problem, views.QUIZ_HELP))

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
