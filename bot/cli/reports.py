"""`auditready report` and `auditready evidence`."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import fail, load_settings, open_uow, out
from bot.domain.summary.gaps import GapRules
from bot.reports.csv_export import gap_report_csv
from bot.reports.evidence import write_evidence_csv
from bot.reports.html import gap_report_html
from bot.reports.json_export import gap_report_document
from bot.reports.markdown import gap_report_markdown
from bot.reports.summary import summary_json, summary_markdown
from bot.services.access import OPERATOR, Access
from bot.services.summary.counts import AwarenessSummary, SummaryService
from bot.services.summary.evidence import EvidenceService
from bot.services.summary.gap_report import GapReport, Period
from bot.services.summary.gaps import INCLUDE_NOW, GapService
from bot.settings import Settings

Since = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="From this date")]
Departments = Annotated[list[str] | None, typer.Option("--department", help="Only these")]


class ReportFormat(StrEnum):
    MD = "md"
    CSV = "csv"
    JSON = "json"
    HTML = "html"


class EvidenceFormat(StrEnum):
    CSV = "csv"


def register_reports(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("evidence")(evidence)


def report(
    format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.MD,
    department: Departments = None,
    since: Since = None,
    output: Annotated[Path | None, typer.Option(help="Write to this file")] = None,
) -> None:
    """The awareness and gap report for every department, or the ones named.

    A missing folder for --output is refused before anything is read: a typo should not
    scatter report files around.
    """
    settings = load_settings()
    if output is not None and not output.parent.is_dir():
        fail(f"cannot write the report: the folder {output.parent} does not exist")
    summary, gaps = _build(settings, department or None, since)
    text = _render(format, summary, gaps)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write the report to {output}: {error.strerror or error}")
    out.print(f"wrote {output}", markup=False, highlight=False)


def _build(
    settings: Settings, departments: list[str] | None, since: datetime | None
) -> tuple[AwarenessSummary, GapReport]:
    uow = open_uow(settings)
    access = Access(uow=uow, admins=settings.admins)
    now = datetime.now(UTC)
    start = since.replace(tzinfo=UTC) if since else None
    rules = GapRules(interviewed=settings.interviewed, min_people=settings.min_people)
    gaps = GapService(
        uow=uow, access=access, rules=rules, clock=lambda: now, days=settings.report_days
    )
    period = Period(start, now + INCLUDE_NOW) if start else None
    summary = SummaryService(uow=uow, access=access).summary(
        caller=OPERATOR, since=start, departments=departments
    )
    report = gaps.report(
        caller=OPERATOR, period=period, fresh_analysis=True, departments=departments
    )
    return summary, report


def _render(format: ReportFormat, summary: AwarenessSummary, gaps: GapReport) -> str:
    if format is ReportFormat.JSON:
        document = gap_report_document(gaps)
        document["summary"] = json.loads(summary_json(summary))
        return json.dumps(document, indent=2)
    if format is ReportFormat.CSV:
        return gap_report_csv(gaps)
    if format is ReportFormat.HTML:
        return gap_report_html(gaps)
    return summary_markdown(summary) + "\n" + gap_report_markdown(gaps)


def evidence(
    format: Annotated[EvidenceFormat, typer.Option("--format", "-f")] = EvidenceFormat.CSV,
    department: Departments = None,
    since: Since = None,
) -> None:
    """Every answer as evidence of competence (clause 7.2): who, role, what, when, result."""
    settings = load_settings()
    uow = open_uow(settings)
    service = EvidenceService(uow=uow, access=Access(uow=uow, admins=settings.admins))
    start = since.replace(tzinfo=UTC) if since else None
    rows = service.rows(caller=OPERATOR, since=start, departments=department or None)
    write_evidence_csv(rows, sys.stdout)
