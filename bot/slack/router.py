"""`/awareness`: one command for several features, so this only parses and hands over.

The command is acknowledged first, with nothing, before any database work: Slack gives an
ack three seconds, and a database that stalls must not use them up. What the person reads
(the answer, or the service's refusal) then arrives privately, as an ephemeral message.
Everything but a mock audit runs on the backlog, away from the acks; a mock audit may open a
modal, whose trigger_id lasts only those same three seconds, so it runs at once.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.access import NotAllowed, person
from bot.services.registry import Services
from bot.slack import texts
from bot.slack.commands import (
    AwarenessCommand,
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
from bot.slack.guard import after_ack, apologising
from bot.slack.messages import Reply, slack_error_code, slack_failure_logged
from bot.slack.mock_audit.listeners import mock_audit_command
from bot.slack.rounds.delivery import Sender
from bot.slack.rounds.listeners import send_round
from bot.slack.schedules.listeners import list_schedules, set_paused
from bot.slack.summary.listeners import drill, export, post_summary
from bot.slack.work import Backlog, backlog_of


def register_awareness(app: App, services: Services, sender: Sender) -> None:
    @app.command("/awareness")
    @after_ack
    def on_awareness(
        ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        ack()
        user = command["user_id"]
        reply = Privately(client, channel=str(command.get("channel_id") or ""), user=user)
        request = parse_awareness(command.get("text", ""))
        if isinstance(request, MockAudit):
            mock_audit_command(
                reply,
                command=request,
                client=client,
                services=services,
                user=user,
                trigger_id=command["trigger_id"],
            )
            return
        backlog = backlog_of(context)

        def job() -> None:
            _answer(request, reply, client, services, sender, backlog, user)

        if not backlog.run(apologising(job, client=client, user=user, what="/awareness")):
            reply(text=texts.BUSY)


def _answer(
    request: AwarenessCommand,
    reply: Privately,
    client: WebClient,
    services: Services,
    sender: Sender,
    backlog: Backlog,
    user: str,
) -> None:
    match request:
        case Summary():
            post_summary(reply, client, services, backlog, user)
        case DrillDown(kind=kind, name=name):
            drill(reply, client, services, backlog, user, kind, name)
        case Export():
            export(reply, client, services, backlog, user)
        case SendRound(department=name):
            send_round(reply, client, services, sender, user, name)
        case ListSchedules():
            list_schedules(reply, services, user)
        case SetSchedulePaused(key=key, paused=paused):
            set_paused(reply, services, user, key, paused)
        case Help(problem=problem):
            _help(reply, services, user, problem)


class Privately(Ack):
    """Stands in for `ack` once the ack has gone, so the features' `ack(text=…, blocks=…)`
    arrives as an ephemeral message where the command was typed, or as a DM when the bot
    can't post there (a channel it isn't in)."""

    def __init__(self, client: WebClient, *, channel: str, user: str) -> None:
        self.response = None  # what Ack.__init__ sets; it is untyped, so not called
        self._client, self._channel, self._user = client, channel, user

    def __call__(self, text: Any = "", blocks: Any = None, *_: Any, **__: Any) -> BoltResponse:
        if text or blocks:  # an empty ack has nothing to say
            self._post({"text": str(text or ""), **({"blocks": blocks} if blocks else {})})
        return BoltResponse(status=200)

    def _post(self, message: dict[str, Any]) -> None:
        try:
            self._client.chat_postEphemeral(
                channel=self._channel or self._user, user=self._user, **message
            )
        except SlackApiError as error:
            if slack_error_code(error) not in CANNOT_POST_THERE:
                raise
            with slack_failure_logged(f"telling {self._user}"):
                self._client.chat_postMessage(channel=self._user, **message)


# Slack's answers when the bot may not post in the channel a command was typed in.
CANNOT_POST_THERE = frozenset({"channel_not_found", "not_in_channel", "user_not_in_channel"})


def _help(reply: Reply, services: Services, user: str, problem: str | None) -> None:
    # Staff are told what /awareness is for, whatever they typed, rather than its commands.
    try:
        services.access.viewer(person(user))
    except NotAllowed:
        reply(text=texts.NOT_ALLOWED)
        return
    reply(text=texts.with_problem(problem, texts.AWARENESS_HELP))
