"""The schedules in Slack: the list, and what pausing or resuming one did."""

from __future__ import annotations

from typing import Any

from bot.services.schedules import ScheduleState
from bot.slack.blocks import section
from questions.text import escape_mrkdwn

ADMINS_ONLY = "Only admins can list, pause or resume schedules."


def schedules_message(states: list[ScheduleState]) -> dict[str, Any]:
    """The schedules, each with its cadence, audience, size and whether it is paused."""
    lines = [
        f"{':double_vertical_bar:' if s.paused else ':arrow_forward:'} `{s.schedule.id}` "
        f"{escape_mrkdwn(s.schedule.name)}: {', '.join(s.schedule.days)} at {s.schedule.time} "
        f"local time, {s.schedule.questions} question(s), open {s.schedule.answer_window_hours} h"
        f"{' (paused)' if s.paused else ''}"
        for s in states
    ]
    text = "\n".join(lines) or "No schedules are defined."
    return {"text": "Schedules", "blocks": [section(f"*Schedules*\n{text}")]}


def schedule_state(state: ScheduleState) -> str:
    verb = "paused" if state.paused else "resumed"
    return f"Schedule `{state.schedule.id}` ({escape_mrkdwn(state.schedule.name)}) is {verb}."
