"""`auditready mock-audit …`: start, close, cancel and report mock audit rounds."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import typer

from bot.cli.support import fail, load_settings, needs_token, open_uow, out, runtime_for
from bot.domain.mock_audit.requirements import STANDARDS
from bot.reports.mock_audit import mock_report_html, mock_report_json, mock_report_markdown
from bot.services.access import OPERATOR, Access
from bot.services.mock_audit.errors import UnknownMockRound
from bot.services.mock_audit.results import MockPlan
from bot.services.mock_audit.service import MockAuditService
from bot.slack.mock_audit.flow import invite_all

mock_app = typer.Typer(help="Pre-audit mock interview rounds.", no_args_is_help=True)


class MockFormat(StrEnum):
    MD = "md"
    HTML = "html"
    JSON = "json"


@mock_app.command("start")
def start(
    standard: Annotated[
        list[str] | None, typer.Option(help="In scope (repeat); default all")
    ] = None,
    department: Annotated[list[str] | None, typer.Option(help="Only these (repeat)")] = None,
    cap: Annotated[int, typer.Option(min=1, max=50, help="Most people per department")] = 6,
    hours: Annotated[int, typer.Option(min=1, max=336, help="Hours interviews stay open")] = 72,
    seed: Annotated[int | None, typer.Option(help="Reproduce an earlier sample")] = None,
) -> None:
    """Sample staff as an auditor would and DM each a practice interview."""
    settings = load_settings()
    needs_token(settings)
    unknown = [s for s in standard or [] if s not in STANDARDS]
    if unknown:
        fail(f"unknown standard(s) {unknown}; choose from {', '.join(STANDARDS)}")
    runtime = runtime_for(settings)
    mock = runtime.services.mock
    plan = MockPlan(list(standard or STANDARDS), department or None, cap, hours, seed)
    started = mock.start(caller=OPERATOR, plan=plan)
    invited = invite_all(
        client=runtime.client,
        mock=mock,
        started=started,
        closes_at=mock.closes_at(round_id=started.round_id),
    )
    out.print(f"mock audit #{started.round_id}: {invited} people invited (seed {started.seed})")


def _service() -> MockAuditService:
    """The round store alone: closing, cancelling and reporting need no Slack token."""
    settings = load_settings()
    uow = open_uow(settings)
    return MockAuditService(
        uow=uow,
        clock=lambda: datetime.now(UTC),
        access=Access(uow=uow, admins=settings.admins),
        min_people=settings.min_people,
    )


@mock_app.command("close")
def close(round_id: Annotated[int, typer.Argument(help="Round number")]) -> None:
    """End a round now; people who never replied count as not available for interview."""
    mock = _service()
    try:
        silent = mock.close(caller=OPERATOR, round_id=round_id)
    except UnknownMockRound as error:
        fail(str(error))
    out.print(f"closed; {silent} not available for interview")


@mock_app.command("cancel")
def cancel(round_id: Annotated[int, typer.Argument(help="Round number")]) -> None:
    """Call a round off: no findings are written."""
    try:
        _service().cancel(caller=OPERATOR, round_id=round_id)
    except UnknownMockRound as error:
        fail(str(error))
    out.print(f"mock audit #{round_id} cancelled")


@mock_app.command("report")
def report(
    round_id: Annotated[int, typer.Argument(help="Round number")],
    format: Annotated[MockFormat, typer.Option("--format", "-f")] = MockFormat.MD,
) -> None:
    """The mock findings as a certification body would write them."""
    try:
        findings = _service().findings(caller=OPERATOR, round_id=round_id)
    except UnknownMockRound as error:
        fail(str(error))
    render = {
        MockFormat.MD: mock_report_markdown,
        MockFormat.HTML: mock_report_html,
        MockFormat.JSON: mock_report_json,
    }[format]
    sys.stdout.write(render(findings))
