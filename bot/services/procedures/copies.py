"""The readable copy of each imported procedure, kept in the bank folder for git."""

from __future__ import annotations

from pathlib import Path

from questions.documents.markdown_copy import to_markdown
from questions.documents.model import ProcedureDocument
from questions.documents.reading import read_document

FOLDER = "procedures"


def copy_path(bank_folder: Path, code: str) -> Path:
    return bank_folder / FOLDER / f"{code.lower()}.md"


def write_copy(bank_folder: Path, document: ProcedureDocument) -> Path:
    """Write the current revision's copy; git keeps the earlier ones."""
    path = copy_path(bank_folder, document.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_markdown(document), encoding="utf-8")
    return path


def read_copy(bank_folder: Path, code: str) -> ProcedureDocument | None:
    """The imported procedure as last written, or None when it was never imported."""
    path = copy_path(bank_folder, code)
    return read_document(path) if path.is_file() else None
