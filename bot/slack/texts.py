"""Replies every feature shares: help for `/awareness`, refusals and apologies."""

from __future__ import annotations

from bot.services.access import Denied, NotAllowed
from questions.text import escape_mrkdwn

AWARENESS_HELP = (
    "`/awareness`: the awareness summary of your departments, privately.\n"
    "`/awareness department <name>`, `/awareness procedure <id>`, `/awareness clause <ref>`: "
    "one of them in detail.\n"
    "`/awareness export`: the HTML report and a CSV in your DM.\n"
    "`/awareness round <department>`: send that department a question now.\n"
    "`/awareness mock-audit start`, `close N`, `cancel N`, `report N`: mock audits (admins).\n"
    "`/awareness schedule`, `/awareness schedule pause <id>`, "
    "`/awareness schedule resume <id>`: the schedules (admins)."
)
ANOTHER_WORKSPACE = (
    "This app belongs to another Slack workspace, so it can't do anything here. "
    "Nothing was recorded."
)
BUSY = (
    "I'm busy with a lot of requests just now and couldn't start yours. Please try again shortly."
)
SORRY = "Sorry, something went wrong on my side and nothing was changed. Please try again shortly."
NOT_ALLOWED = (
    "`/awareness` is for managers and the quality team. If you need it, ask your quality "
    "manager to mark you as a manager in the staff roster. Type `/quiz` for a question."
)


def with_problem(problem: str | None, help_text: str) -> str:
    return f"{escape_mrkdwn(problem)}.\n{help_text}" if problem else help_text


def refused(error: NotAllowed, *, admins_only: str) -> str:
    """What a person reads when a service refuses them; department refusals read per feature."""
    if error.denied is Denied.ADMINS_ONLY:
        return admins_only
    return NOT_ALLOWED
