"""`/awareness round <department>` and the "quiz this department" button: a round now."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services.access import Denied, NotAllowed, person
from bot.services.registry import Services
from bot.slack.guard import after_ack
from bot.slack.ids import GapAction
from bot.slack.messages import Reply, tell, told
from bot.slack.rounds.delivery import Sender, deliver
from bot.slack.rounds.views import no_such_department, round_repeated, round_sent
from bot.slack.texts import NOT_ALLOWED
from questions.text import escape_mrkdwn


def send_round(
    reply: Reply,
    client: WebClient,
    services: Services,
    sender: Sender,
    user: str,
    name: str,
    *,
    announce: bool = True,
) -> None:
    caller = person(user)
    # Asking first keeps the ack quick; opening the round checks again.
    try:
        department = services.access.department_for(caller, name)
    except NotAllowed as refusal:
        not_yours = refusal.denied is Denied.NOT_YOUR_DEPARTMENT
        reply(text=no_such_department(name) if not_yours else NOT_ALLOWED)
        return
    if announce:
        reply(text=f":outbox_tray: Sending a round to {escape_mrkdwn(department)} now.")
    department, opened = services.rounds.open_for_department(caller=caller, department=department)
    report = deliver(sender, services.rounds.unsent(round_id=opened.round_id))
    if opened.repeat_of is not None:
        # Nothing new opened; what a crash may have left unsent was sent again just above.
        tell(client, user=user, text=round_repeated(department, opened.repeat_of))
        return
    tell(client, user=user, text=round_sent(department, opened, report))


def register_rounds(app: App, services: Services, sender: Sender) -> None:
    """The button on a summary that quizzes one department now."""

    @app.action(GapAction.QUIZ)
    @after_ack
    def on_quiz_department(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        department = body["actions"][0]["value"]
        reply = told(client, user)
        send_round(reply, client, services, sender, user, department, announce=False)
