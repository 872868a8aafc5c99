"""The `auditready` command line."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select

from bot.cli.mock_audit import mock_app
from bot.cli.reports import register_reports
from bot.cli.rounds import round_app, schedule_app
from bot.cli.support import (
    err,
    fail,
    load_settings,
    migrated_engine,
    needs_token,
    open_uow,
    out,
    runtime_for,
)
from bot.services.bank import SyncReport, sync_bank
from bot.services.staff import RosterError, import_roster, read_roster, sync_staff
from bot.slack.app import make_client
from bot.slack.directory import WebDirectory
from bot.slack.jobs import start_scheduler
from bot.slack.manifest import manifest
from questions.loader import BankError, load_bank
from storage import models
from storage.rebuild import differences, rebuild

app = typer.Typer(
    help="auditready: keep every day audit-ready, inside Slack.", no_args_is_help=True
)
questions_app = typer.Typer(help="Check and load the question bank.", no_args_is_help=True)
staff_app = typer.Typer(help="Who works here: Slack directory and roster.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(questions_app, name="questions")
app.add_typer(staff_app, name="staff")
app.add_typer(db_app, name="db")
app.add_typer(schedule_app, name="schedule")
app.add_typer(round_app, name="round")
register_reports(app)
app.add_typer(mock_app, name="mock-audit")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every database migration."""
    settings = load_settings()
    open_uow(settings)
    out.print("Database is up to date.")


@db_app.command("check-tallies")
def db_check_tallies() -> None:
    """Check the summary's running tallies against the answers themselves."""
    settings = load_settings()
    with migrated_engine(settings).connect() as connection, connection.begin():
        found = differences(connection)
    if found:
        for line in found:
            err.print(line, highlight=False, markup=False)
        fail("the tallies differ from the answers; `auditready db rebuild-tallies` repairs them")
    out.print("The tallies agree with the deliveries and answers.")


@db_app.command("rebuild-tallies")
def db_rebuild_tallies() -> None:
    """Recompute the summary's running tallies from the deliveries and answers."""
    settings = load_settings()
    with migrated_engine(settings).begin() as connection:
        rebuild(connection)
    out.print("The tallies were rebuilt from the deliveries and answers.")


@questions_app.command("check")
def questions_check(
    path: Annotated[
        Path | None, typer.Argument(help="Bank folder; default AUDITREADY_BANK")
    ] = None,
) -> None:
    """Validate a question bank and list every problem at once."""
    folder = path or load_settings().bank
    try:
        bank = load_bank(folder)
    except BankError as error:
        for problem in error.problems:
            out.print(str(problem), highlight=False, markup=False)
        fail(f"{len(error.problems)} problem(s) in {folder}")
    out.print(f"{folder}: {len(bank.files)} procedures, {bank.question_count} questions, all good.")


@questions_app.command("sync")
def questions_sync(
    path: Annotated[
        Path | None, typer.Argument(help="Bank folder; default AUDITREADY_BANK")
    ] = None,
) -> None:
    """Load the bank into the database in one transaction, versioning edits."""
    settings = load_settings()
    folder = path or settings.bank
    try:
        bank = load_bank(folder)
    except BankError as error:
        for problem in error.problems:
            out.print(str(problem), highlight=False, markup=False)
        fail(f"{len(error.problems)} problem(s) in {folder}; nothing was loaded")
    report = sync_bank(uow=open_uow(settings), bank=bank, now=datetime.now(UTC))
    print_sync_report(report)


def print_sync_report(report: SyncReport) -> None:
    for label, items in (
        ("added", report.added),
        ("new versions", report.new_versions),
        ("retired", report.retired),
        ("reinstated", report.reinstated),
        ("procedures revised", report.revised_procedures),
    ):
        if items:
            out.print(f"{label} ({len(items)}): {', '.join(items)}", highlight=False)
    out.print(f"unchanged: {report.unchanged}")


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
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(report.skipped.items())) or "none"
    out.print(f"added {len(report.added)}, updated {report.updated}, skipped {skipped}")
    if report.deactivated:
        out.print(f"deactivated: {', '.join(report.deactivated)}")


@staff_app.command("import")
def staff_import(roster: Annotated[Path, typer.Argument(help="roster.csv")]) -> None:
    """Set department, role, manager and admin flags from a roster CSV."""
    settings = load_settings()
    try:
        rows = read_roster(roster)
    except RosterError as error:
        fail(str(error))
    report = import_roster(uow=open_uow(settings), rows=rows)
    out.print(f"matched {report.matched} of {len(rows)} rows")
    for line in report.unmatched:
        out.print(f"not matched (run `auditready staff sync` first?): {line}", highlight=False)
    for line in report.problems:
        out.print(f"skipped: {line}", highlight=False)


@app.command("manifest")
def print_manifest(
    url: Annotated[str | None, typer.Option(help="Public URL of POST /slack/events")] = None,
    socket_mode: Annotated[bool, typer.Option(help="Socket Mode instead of HTTP")] = False,
) -> None:
    """Print the Slack app manifest to paste into api.slack.com/apps."""
    print(json.dumps(manifest(request_url=url, socket_mode=socket_mode), indent=2))


@app.command("run")
def run() -> None:
    """Serve Slack over HTTP on PORT, or over Socket Mode when SLACK_APP_TOKEN is set."""
    settings = load_settings()
    missing = settings.missing_for_http()
    if missing:
        fail(f"set {' and '.join(missing)} (see the README, 'Creating the Slack app').")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    runtime = runtime_for(settings)
    with runtime.uow() as work:
        if work.session.scalar(select(func.count(models.Question.id))) == 0:
            err.print(
                "warning: the question bank is empty, so /quiz has nothing to ask. "
                "Run `auditready questions sync [PATH]`.",
                highlight=False,
            )
    scheduler = start_scheduler(
        engine=runtime.engine,
        schedules=runtime.schedules,
        services=runtime.services,
        sender=runtime.sender,
        clock=runtime.clock,
        admins=settings.admins,
    )
    out.print(f"Scheduler started: {len(scheduler.get_jobs())} jobs.")
    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        out.print("Connecting to Slack over Socket Mode…")
        handler = SocketModeHandler(runtime.bolt, settings.slack_app_token.get_secret_value())
        handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves start() unannotated
        return
    import uvicorn

    uvicorn.run(runtime.web, host="0.0.0.0", port=settings.port, log_level="info")


@app.command("demo")
def demo(
    questions: Annotated[int, typer.Option(help="Questions each simulated person gets")] = 25,
    seed: Annotated[int, typer.Option(help="Seed for the simulated staff")] = 7,
    database: Annotated[Path, typer.Option(help="SQLite file to build")] = Path(
        "auditready-demo.db"
    ),
) -> None:
    """Run the real app against a local stand-in for Slack, with simulated staff."""
    from bot.cli.demo import run_demo

    run_demo(console=out, rounds=questions, seed=seed, database=database)


def main() -> None:
    app()
