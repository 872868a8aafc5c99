"""`auditready staff …`: who works here, from Slack's directory and the roster."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from slack_sdk.errors import SlackApiError

from bot.cli.support import fail, load_settings, needs_token, one_line, open_uow, out
from bot.services.departments import DepartmentsError, load_departments
from bot.services.staff import RosterError, import_roster, read_roster, sync_staff
from bot.slack.app import make_client
from bot.slack.directory import WebDirectory

staff_app = typer.Typer(help="Who works here: Slack directory and roster.", no_args_is_help=True)


@staff_app.command("sync")
def staff_sync() -> None:
    """Read people from Slack's users.list: Slack id, name, email, time zone."""
    settings = load_settings()
    needs_token(settings)
    uow = open_uow(settings)
    try:
        report = sync_staff(
            uow=uow,
            directory=WebDirectory(make_client(settings)),
            include_guests=settings.include_guests,
            now=datetime.now(UTC),
        )
    except SlackApiError as error:
        fail(f"Slack refused users.list: {error.response.get('error')}. Nothing was changed.")
    except OSError as error:
        # slack_sdk lets urllib's URLError, refused connections and timeouts (all OSErrors) through.
        fail(
            f"cannot reach Slack at {settings.slack_api_url}: {one_line(error)}. "
            "Nothing was changed."
        )
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(report.skipped.items())) or "none"
    out.print(f"added {len(report.added)}, updated {report.updated}, skipped {skipped}")
    if report.deactivated:
        out.print(f"deactivated: {', '.join(report.deactivated)}", markup=False)


@staff_app.command("import")
def staff_import(roster: Annotated[Path, typer.Argument(help="roster.csv")]) -> None:
    """Set department, role, manager and admin flags from a roster CSV."""
    settings = load_settings()
    try:
        rows = read_roster(roster)
        departments = load_departments(roster=roster, setting=settings.departments)
    except (RosterError, DepartmentsError) as error:
        fail(str(error))
    report = import_roster(uow=open_uow(settings), rows=rows, departments=departments)
    out.print(f"matched {report.matched} of {len(rows)} rows")
    for line in report.unmatched:
        out.print(
            f"not matched (run `auditready staff sync` first?): {line}",
            highlight=False,
            markup=False,
        )
    for line in report.problems:
        out.print(f"skipped: {line}", highlight=False, markup=False)
