"""`/awareness schedule`: list the schedules, pause or resume one (admins)."""

from __future__ import annotations

from slack_bolt import Ack

from bot.services.access import NotAllowed, person
from bot.services.registry import Services
from bot.services.schedules import UnknownSchedule
from bot.slack.schedules.views import ADMINS_ONLY, schedule_state, schedules_message
from bot.slack.texts import refused


def list_schedules(ack: Ack, services: Services, user: str) -> None:
    try:
        states = services.schedules.states(caller=person(user))
    except NotAllowed as refusal:
        ack(text=refused(refusal, admins_only=ADMINS_ONLY))
        return
    ack(**schedules_message(states))


def set_paused(ack: Ack, services: Services, user: str, key: str, paused: bool) -> None:
    try:
        state = services.schedules.set_paused(caller=person(user), key=key, paused=paused)
    except NotAllowed as refusal:
        ack(text=refused(refusal, admins_only=ADMINS_ONLY))
        return
    except UnknownSchedule as unknown:
        ack(text=str(unknown))
        return
    ack(text=schedule_state(state))
