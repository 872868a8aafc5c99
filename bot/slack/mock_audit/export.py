"""The findings of a mock audit, in the admin's DM: a summary and the HTML report."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from slack_sdk import WebClient

from bot.reports.mock_audit import mock_report_html
from bot.services.mock_audit.findings import MIN_PEOPLE, mock_report
from bot.slack.mock_audit.views import findings_message
from bot.slack.quiz.delivery import slack_failure_logged
from storage.db import UnitOfWork


def send_findings(
    *,
    client: WebClient,
    uow: Callable[[], UnitOfWork],
    round_id: int,
    user: str,
    departments: Sequence[str] | None = None,
    min_people: int = MIN_PEOPLE,
) -> None:
    """Post the findings summary and attach the HTML report, for the departments one may see.

    Findings name nobody, so a manager can read those of their own departments; groups of fewer
    than `min_people` are withheld from a manager (departments given), never from an admin.
    """
    report = mock_report(uow, round_id=round_id, departments=departments, min_people=min_people)
    with slack_failure_logged("sending mock audit findings"):
        client.chat_postMessage(channel=user, **findings_message(report))
        channel = client.conversations_open(users=user)["channel"]["id"]
        client.files_upload_v2(
            file_uploads=[
                {
                    "content": mock_report_html(report),
                    "filename": f"mock-audit-{round_id}.html",
                    "title": f"Mock audit #{round_id}: findings",
                }
            ],
            channel=channel,
        )
