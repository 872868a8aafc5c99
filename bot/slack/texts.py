"""The short replies people read in Slack."""

from __future__ import annotations

from datetime import date

from bot.services.rounds.service import RoundOpened
from bot.services.schedules import ScheduleState
from bot.slack.rounds.delivery import RoundReport
from questions.text import escape_mrkdwn

QUIZ_HELP = (
    "`/quiz` sends you one question from your own procedures in a direct message.\n"
    "`/quiz pause until 2026-12-24` stops scheduled questions while you are away; "
    "`/quiz resume` starts them again."
)
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
SORRY = "Sorry, something went wrong on my side and nothing was changed. Please try again shortly."
RESUMED = ":wave: Welcome back. Scheduled questions start again with the next round."
ADMINS_ONLY = "Only admins can list, pause or resume schedules."
ADMINS_ONLY_MOCK = "Only admins can run mock audits and grade interview answers."


def mock_started(round_id: int, invited: int, seed: int) -> str:
    return (
        f":clipboard: Mock audit #{round_id} has started: {invited} people invited to a "
        f"practice interview (sample seed {seed}). `/awareness mock-audit close {round_id}` "
        "ends it early; it closes by itself when its window ends."
    )


def with_problem(problem: str | None, help_text: str) -> str:
    return f"{escape_mrkdwn(problem)}.\n{help_text}" if problem else help_text


def paused(until: date) -> str:
    return (
        f":palm_tree: Paused: no scheduled questions up to and including {until:%A %d %B %Y}. "
        "`/quiz` still works, and `/quiz resume` starts them again sooner."
    )


def schedule_state(state: ScheduleState) -> str:
    verb = "paused" if state.paused else "resumed"
    return f"Schedule `{state.schedule.id}` ({escape_mrkdwn(state.schedule.name)}) is {verb}."


def no_such_department(name: str) -> str:
    return (
        f"I can't send a round to {escape_mrkdwn(name)!r}: it isn't one of the departments "
        "you oversee. Check the spelling against the staff roster."
    )


def cannot_show(name: str) -> str:
    return (
        f"I can't show {escape_mrkdwn(name)!r}: it isn't one of the departments you oversee. "
        "Check the spelling against the staff roster."
    )


def round_sent(department: str, opened: RoundOpened, report: RoundReport) -> str:
    lines = [f":outbox_tray: Round to {escape_mrkdwn(department)}: {report.sent} question(s) sent."]
    if opened.skipped:
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(opened.skipped.items()))
        lines.append(f"Skipped: {skipped}.")
    if report.failed:
        failed = ", ".join(f"{n} {why}" for why, n in sorted(report.failed.items()))
        lines.append(f"Not delivered: {failed}.")
    if report.retry_later:
        lines.append(f"{report.retry_later} will be retried shortly.")
    return "\n".join(lines)
