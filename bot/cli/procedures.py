"""`auditready procedures …`: import procedure documents, and see what changed in them."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import err, fail, load_settings, one_line, open_uow, out
from bot.services.procedures.changes import ProcedureChanges, procedure_changes
from bot.services.procedures.importing import Imported, ImportRefused, import_document
from questions.documents.model import DocumentError, ProcedureDocument
from questions.documents.reading import read_document
from questions.loader import BankError
from questions.model import Status
from questions.text import section_name

procedures_app = typer.Typer(
    help="The procedure documents the bank is drawn from.", no_args_is_help=True
)

BankOption = Annotated[
    Path | None, typer.Option("--bank", help="Bank folder; default AUDITREADY_BANK")
]


def register(app: typer.Typer) -> None:
    app.add_typer(procedures_app, name="procedures")


@procedures_app.command("import")
def procedures_import(
    paths: Annotated[list[Path], typer.Argument(help="Procedure documents: .md, .docx or .pdf")],
    code: Annotated[str | None, typer.Option("--id", help="The procedure's id")] = None,
    title: Annotated[str | None, typer.Option("--title", help="The procedure's title")] = None,
    revision: Annotated[str | None, typer.Option("--revision", help="Its revision")] = None,
    bank: BankOption = None,
) -> None:
    """Read documents into sections, keep a readable copy, and flag questions on changed sections.

    A document that can't be read is reported and the others are still imported.
    """
    if len(paths) > 1 and (code or title or revision):
        fail("--id, --title and --revision describe one document; import it on its own")
    settings = load_settings()
    folder = bank or settings.bank
    uow = open_uow(settings)
    failed = 0
    for path in paths:
        document = _read(path, code=code, title=title, revision=revision)
        if document is None:
            failed += 1
            continue
        try:
            imported = import_document(
                uow=uow, bank_folder=folder, document=document, now=datetime.now(UTC)
            )
        except (ImportRefused, BankError) as error:
            err.print(f"{path.name}: not imported: {one_line(error)}", markup=False)
            failed += 1
            continue
        _print_imported(imported)
    if failed:
        fail(f"{failed} of {len(paths)} document(s) not imported")


def _read(
    path: Path, *, code: str | None, title: str | None, revision: str | None
) -> ProcedureDocument | None:
    try:
        document = read_document(path, id=code, title=title, revision=revision)
        if document.missing and sys.stdin.isatty():
            document = read_document(path, **_asked(path, document))
    except DocumentError as error:
        err.print(f"{error.source}: not imported: {error.reason}", markup=False)
        return None
    if document.missing:
        names = ", ".join(f"--{m.value}" for m in document.missing)
        err.print(
            f"{path.name}: not imported: the document does not say its "
            f"{' or '.join(m.value for m in document.missing)}; give {names}",
            markup=False,
        )
        return None
    return document


def _asked(path: Path, document: ProcedureDocument) -> dict[str, str]:
    """Ask for what the document does not say, keeping what it does."""
    known = {"id": document.original_id, "title": document.title, "revision": document.revision}
    for missing in document.missing:
        known[missing.value] = typer.prompt(f"{path.name} does not say its {missing.value}")
    return {k: v for k, v in known.items() if v}


def _print_imported(imported: Imported) -> None:
    shown = imported.original_id
    if imported.already_imported:
        out.print(f"{shown} rev {imported.revision}: already imported, unchanged", markup=False)
        return
    since = f" (was {imported.previous_revision})" if imported.previous_revision else ""
    out.print(
        f"{shown} rev {imported.revision}{since}: {imported.title}: "
        f"{imported.sections} sections → {imported.copy}",
        markup=False,
        highlight=False,
    )
    for label, numbers in (
        ("new sections", imported.new),
        ("changed sections", imported.changed),
        ("removed sections", imported.removed),
        ("questions now needing review", imported.flagged),
    ):
        if numbers:
            out.print(f"  {label}: {', '.join(numbers)}", markup=False, highlight=False)
    if imported.previous_revision and not imported.bank_file:
        out.print(f"  {imported.code} has no bank file yet: `auditready questions draft`")


@procedures_app.command("changes")
def procedures_changes(
    code: Annotated[str | None, typer.Argument(help="One procedure's id")] = None,
    bank: BankOption = None,
) -> None:
    """What changed in each procedure's latest revision, and which questions await review."""
    settings = load_settings()
    changes = procedure_changes(
        uow=open_uow(settings), bank_folder=bank or settings.bank, code=code
    )
    if not changes:
        fail("no procedure has been imported yet: `auditready procedures import FILE`")
    for procedure in changes:
        _print_changes(procedure)


def _print_changes(procedure: ProcedureChanges) -> None:
    since = f", was {procedure.previous_revision}" if procedure.previous_revision else ""
    out.print(
        f"{procedure.original_id} rev {procedure.revision}{since}: {procedure.title}",
        markup=False,
        highlight=False,
    )
    if procedure.previous_revision is None:
        out.print("  first revision imported")
    for section in procedure.sections:
        out.print(f"  {section.change.value}: {section.number} {section.heading}", markup=False)
    for number in procedure.removed:
        out.print(f"  removed: {number}", markup=False)
    if procedure.bank_problem:
        out.print(f"  {procedure.bank_problem}", markup=False)
    flagged = [p for p in procedure.pending if p.status is Status.NEEDS_REVIEW]
    drafts = len(procedure.pending) - len(flagged)
    if not procedure.pending:
        out.print("  nothing awaits review")
        return
    for pending in flagged:
        out.print(
            f"  needs review: {pending.question_id} ({section_name(pending.section)})", markup=False
        )
    if drafts:
        out.print(f"  drafts awaiting review: {drafts}")
    out.print("  review them with `auditready questions review`")
