"""`/awareness export`: the HTML report and a CSV, uploaded to the requester's DM."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.reports.csv_export import gap_report_csv
from bot.reports.html import gap_report_html
from bot.services.summary.gap_report import GapReport
from bot.slack.messages import slack_error_code, tell

log = logging.getLogger(__name__)


def send_export(*, client: WebClient, report: GapReport, user: str) -> None:
    """Upload the report files with files.getUploadURLExternal and completeUploadExternal."""
    stamp = f"{report.period.end:%Y-%m-%d}"
    files = [
        {
            "content": gap_report_html(report),
            "filename": f"awareness-{stamp}.html",
            "title": f"Awareness report {stamp}",
        },
        {
            "content": gap_report_csv(report),
            "filename": f"awareness-{stamp}.csv",
            "title": f"Awareness cells {stamp}",
        },
    ]
    try:
        channel = client.conversations_open(users=user)["channel"]["id"]
        client.files_upload_v2(
            file_uploads=files,
            channel=channel,
            initial_comment="Your awareness report: the HTML opens in any browser, offline.",
        )
    except SlackApiError as error:
        code = slack_error_code(error)
        log.warning("export for %s failed: %s", user, code)
        tell(client, user=user, text=f"I couldn't upload your report ({code}). Try again shortly.")
