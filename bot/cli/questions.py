"""`auditready questions …`: check the question bank, and load it into the database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import fail, load_settings, open_uow, out
from bot.services.bank import SyncReport, sync_bank
from questions.loader import BankError, load_bank

questions_app = typer.Typer(help="Check and load the question bank.", no_args_is_help=True)


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
    out.print(
        f"{folder}: {len(bank.files)} procedures, {bank.question_count} questions, all good.",
        markup=False,
    )


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
            out.print(f"{label} ({len(items)}): {', '.join(items)}", highlight=False, markup=False)
    out.print(f"unchanged: {report.unchanged}")
