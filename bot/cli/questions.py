"""`auditready questions …`: check the question bank, and load it into the database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import fail, load_settings, open_uow, out
from bot.services.bank import SyncReport, sync_bank
from questions.bank_warnings import BankWarning, bank_warnings
from questions.loader import Bank, BankError, Problem, load_bank
from questions.model import Status
from questions.procedure_agreement import procedure_disagreements

questions_app = typer.Typer(help="Check and load the question bank.", no_args_is_help=True)


@questions_app.command("check")
def questions_check(
    path: Annotated[
        Path | None, typer.Argument(help="Bank folder; default AUDITREADY_BANK")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings too, as a CI check would")
    ] = False,
) -> None:
    """Validate a question bank and list every problem at once, then any warnings."""
    folder = path or load_settings().bank
    bank, warnings = _load(folder, failure=f"problem(s) in {folder}")
    out.print(
        f"{folder}: {len(bank.files)} procedures, {bank.question_count} questions"
        f"{_awaiting_review(bank)}, all good{_warnings_count(warnings)}.",
        highlight=False,
        markup=False,
    )
    if strict and warnings:
        fail(f"{_count(len(warnings), 'warning')} in {folder}, and --strict treats them as errors")


@questions_app.command("sync")
def questions_sync(
    path: Annotated[
        Path | None, typer.Argument(help="Bank folder; default AUDITREADY_BANK")
    ] = None,
) -> None:
    """Load the bank into the database in one transaction, versioning edits."""
    settings = load_settings()
    folder = path or settings.bank
    bank, _ = _load(folder, failure=f"problem(s) in {folder}; nothing was loaded")
    report = sync_bank(uow=open_uow(settings), bank=bank, now=datetime.now(UTC))
    print_sync_report(report)


def _load(folder: Path, *, failure: str) -> tuple[Bank, list[BankWarning]]:
    """The bank and its warnings, printed; on problems, print them and the warnings, and fail."""
    try:
        bank = load_bank(folder)
    except BankError as error:
        _print(error.problems, bank_warnings(error.parsed))
        fail(f"{len(error.problems)} {failure}")
    warnings = bank_warnings(bank.files) + procedure_disagreements(folder, bank.files)
    _print([], warnings)
    return bank, warnings


def _print(problems: list[Problem], warnings: list[BankWarning]) -> None:
    # Bank text is the author's, so it is never read as rich markup.
    for problem in problems:
        out.print(str(problem), highlight=False, markup=False)
    for warning in warnings:
        out.print(f"warning: {warning}", highlight=False, markup=False)


def _awaiting_review(bank: Bank) -> str:
    statuses = [q.status for _, f in bank.files for q in f.questions]
    drafts = statuses.count(Status.DRAFT)
    flagged = statuses.count(Status.NEEDS_REVIEW)
    if not drafts and not flagged:
        return ""
    return f" ({drafts} drafts and {flagged} needing review, not sent until approved)"


def _warnings_count(warnings: list[BankWarning]) -> str:
    return f", {_count(len(warnings), 'warning')}" if warnings else ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def print_sync_report(report: SyncReport) -> None:
    for label, items in (
        ("added", report.added),
        ("new versions", report.new_versions),
        ("retired", report.retired),
        ("reinstated", report.reinstated),
        ("procedures revised", report.revised_procedures),
        ("held for review", report.held),
        ("released after review", report.released),
        ("drafts left out until approved", report.drafts),
    ):
        if items:
            out.print(f"{label} ({len(items)}): {', '.join(items)}", highlight=False, markup=False)
    out.print(f"unchanged: {report.unchanged}")
