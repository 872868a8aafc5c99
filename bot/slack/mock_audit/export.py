"""The findings of a mock audit, in the admin's DM: a summary and the HTML report."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.reports.mock_audit import mock_report_html
from bot.services.mock_audit.findings import MockReport
from bot.slack.messages import slack_failure_logged
from bot.slack.mock_audit.views import findings_message


def send_findings(*, client: WebClient, report: MockReport, user: str) -> None:
    """Post the findings summary and attach the HTML report."""
    round_id = report.round_id
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
