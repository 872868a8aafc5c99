"""`auditready questions import` and `export`: questions in and out of Moodle's GIFT and Aiken.

Imported questions land as drafts at the end of their procedure's bank file, numbered after
its highest id; they lack the section and clauses a reviewer adds before approving them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import err, fail, load_settings, out
from questions.bank_writer import add_questions
from questions.exchange.aiken import parse_aiken
from questions.exchange.gift import parse_gift
from questions.exchange.gift_export import Exported, export_gift
from questions.exchange.result import ImportResult, to_questions
from questions.loader import Bank, BankError, load_bank
from questions.model import BankFile, Question


class ImportFormat(StrEnum):
    GIFT = "gift"
    AIKEN = "aiken"


class ExportFormat(StrEnum):
    GIFT = "gift"


PARSERS = {ImportFormat.GIFT: parse_gift, ImportFormat.AIKEN: parse_aiken}

BankOption = Annotated[
    Path | None, typer.Option("--bank", help="Bank folder; default AUDITREADY_BANK")
]


def register(app: typer.Typer) -> None:
    """Add this module's commands to a command group."""
    app.command("import")(questions_import)
    app.command("export")(questions_export)


def questions_import(
    file: Annotated[Path, typer.Argument(help="The GIFT or Aiken file")],
    text_format: Annotated[ImportFormat, typer.Option("--format", help="The file's format")],
    procedure: Annotated[str, typer.Option("--procedure", help="Procedure id, like QP-08")],
    bank: BankOption = None,
) -> None:
    """Add a file's questions to a procedure's bank file as drafts, reporting what did not fit."""
    folder = bank or load_settings().bank
    text = _read_text(file)
    loaded = _checked_bank(folder)
    path, bank_file = _bank_file_of(loaded, procedure)
    code = bank_file.procedure.id
    parsed = PARSERS[text_format](text)
    if not parsed.candidates and not parsed.skipped:
        fail(f"{file} holds no questions in {text_format.value.upper()} format")
    result = to_questions(parsed, procedure_id=code, first_number=_next_number(loaded, code))
    if result.imported:
        _append(folder, path, result.questions)
    _print_report(result, path)
    if not result.imported:
        fail(f"nothing was imported from {file}")


def questions_export(
    text_format: Annotated[
        ExportFormat, typer.Option("--format", help="The format to write")
    ] = ExportFormat.GIFT,
    procedure: Annotated[
        str | None, typer.Option("--procedure", help="Only this procedure; default all")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="File to write; default the screen")
    ] = None,
    bank: BankOption = None,
    all_statuses: Annotated[
        bool, typer.Option("--all-statuses", help="Drafts and questions in review too")
    ] = False,
) -> None:
    """Write the approved questions as GIFT, one category per procedure."""
    folder = bank or load_settings().bank
    loaded = _checked_bank(folder)
    files = [_bank_file_of(loaded, procedure)] if procedure else loaded.files
    exported = export_gift(
        (f.procedure, [q for q in f.questions if all_statuses or q.is_live]) for _, f in files
    )
    for note in exported.notes:
        err.print(f"note: {note}", highlight=False, markup=False)
    if not exported.question_ids:
        which = "questions" if all_statuses else "approved questions (--all-statuses adds drafts)"
        fail(f"no {which} to export")
    _write_export(exported, output)


def _read_text(file: Path) -> str:
    try:
        data = file.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        fail(f"{file} is not UTF-8 text (line {line}); save it as UTF-8 and import it again")
    if not text.strip():
        fail(f"{file} is empty")
    return text


def _checked_bank(folder: Path) -> Bank:
    try:
        return load_bank(folder)
    except BankError as error:
        fail(
            f"the bank in {folder} has {len(error.problems)} problem(s); it must pass "
            "`auditready questions check` first"
        )


def _bank_file_of(bank: Bank, procedure: str) -> tuple[Path, BankFile]:
    """The bank file of a procedure, its id matched regardless of case."""
    for path, bank_file in bank.files:
        if bank_file.procedure.id.casefold() == procedure.strip().casefold():
            return path, bank_file
    known = ", ".join(f.procedure.id for _, f in bank.files)
    fail(f"no bank file in {bank.folder} is for procedure {procedure}; the procedures are {known}")


def _next_number(bank: Bank, procedure_id: str) -> int:
    """One past the highest `<procedure>-<number>` id in the bank."""
    pattern = re.compile(rf"^{re.escape(procedure_id)}-(\d+)$")
    numbers = [
        int(found[1])
        for _, bank_file in bank.files
        for question in bank_file.questions
        if (found := pattern.match(question.id))
    ]
    return max(numbers, default=0) + 1


def _append(folder: Path, path: Path, questions: list[Question]) -> None:
    """Add the drafts, and put the file back as it was if the bank no longer loads."""
    original = path.read_text(encoding="utf-8")
    try:
        add_questions(path, questions)
        load_bank(folder)
    except BankError as error:
        path.write_text(original, encoding="utf-8")
        for problem in error.problems:
            out.print(str(problem), highlight=False, markup=False)
        fail(f"the imported questions would break the bank, so {path.name} was left unchanged")
    except OSError as error:
        path.write_text(original, encoding="utf-8")
        fail(f"cannot write {path}: {error.strerror or error}")


def _print_report(result: ImportResult, path: Path) -> None:
    count = len(result.imported)
    _say(f"{_plural(count, 'question')} imported into {path.name} as drafts:")
    for item in result.imported:
        title = f", titled {item.title!r}" if item.title else ""
        _say(f"  {item.question.id} ({item.question.kind.value}, line {item.line}{title})")
    _section(f"{_plural(len(result.skipped), 'question')} skipped:", result.skipped)
    _section(
        f"{_plural(len(result.dropped), 'weight')} dropped (the bank's questions are "
        "all-or-nothing):",
        result.dropped,
    )
    _section("Notes:", result.notes)
    if count:
        _say("They are drafts, not sent to staff: review them with `auditready questions review`.")


def _section(heading: str, findings: Sequence[object]) -> None:
    if findings:
        _say(heading)
        for finding in findings:
            _say(f"  {finding}")


def _say(text: str) -> None:
    # File text is the author's, so it is never read as rich markup.
    out.print(text, highlight=False, markup=False)


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _write_export(exported: Exported, output: Path | None) -> None:
    if output is None:
        typer.echo(exported.text, nl=False)
        return
    try:
        output.write_text(exported.text, encoding="utf-8")
    except OSError as error:
        fail(f"cannot write {output}: {error.strerror or error}")
    _say(f"{_plural(len(exported.question_ids), 'question')} written to {output} as GIFT.")
