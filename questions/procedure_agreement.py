"""Where a bank file's procedure block disagrees with the procedure's imported document.

Once a procedure is imported, its document is the source of truth for the id, title and
revision; the readable copy in the bank's `procedures/` folder is what it said last. A block
that says otherwise was edited by hand or predates the import, and `questions check` says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from questions.bank_warnings import BankWarning
from questions.documents.model import DocumentError, ProcedureDocument
from questions.documents.reading import read_document
from questions.model import BankFile

COPIES = "procedures"


def procedure_disagreements(
    folder: Path, files: Iterable[tuple[Path, BankFile]]
) -> list[BankWarning]:
    """One warning per field that differs from the imported document, or per unreadable copy."""
    warnings: list[BankWarning] = []
    for path, bank_file in files:
        copy = folder / COPIES / f"{bank_file.procedure.id.lower()}.md"
        if not copy.is_file():
            continue
        try:
            document = read_document(copy)
        except DocumentError as error:
            warnings.append(
                _warning(path, None, f"its imported copy can't be read: {error.reason}")
            )
            continue
        warnings += _differences(path, bank_file, document)
    return warnings


def _differences(path: Path, bank_file: BankFile, document: ProcedureDocument) -> list[BankWarning]:
    procedure = bank_file.procedure
    shown = document.original_id or document.id
    pairs = (
        ("procedure.id", procedure.id, document.id),
        ("procedure.title", procedure.title, document.title),
        ("procedure.revision", procedure.revision, document.revision),
    )
    return [
        _warning(
            path,
            field,
            f"says {ours!r} but the imported document {shown} says {theirs!r}; "
            "the document is the source of truth: re-import it, or correct the bank file",
        )
        for field, ours, theirs in pairs
        if theirs and ours.casefold() != theirs.casefold()
    ]


def _warning(path: Path, field: str | None, message: str) -> BankWarning:
    return BankWarning(
        file=str(path), question_id=None, key_point=None, field=field, message=message
    )
