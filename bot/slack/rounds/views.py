"""What rounds say in Slack: reminders, and the report to whoever sent a round."""

from __future__ import annotations

from datetime import datetime

from bot.services.rounds.service import RoundOpened
from bot.slack.rounds.delivery import RoundReport
from questions.text import escape_mrkdwn


def no_such_department(name: str) -> str:
    return (
        f"I can't send a round to {escape_mrkdwn(name)!r}: it isn't one of the departments "
        "you oversee. Check the spelling against the staff roster."
    )


def round_repeated(department: str, opened_at: datetime) -> str:
    return (
        f":outbox_tray: A round to {escape_mrkdwn(department)} was opened "
        f"<!date^{int(opened_at.timestamp())}^at {{time}}|at {opened_at:%H:%M} UTC>, "
        "moments before this request, and is being sent. I haven't opened a second one."
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
