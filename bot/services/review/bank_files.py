"""The bank folder as review sees it: what awaits review, and changes tried on a copy first.

A change is made to a copy of the folder and checked there with the same validation as
`questions check`; only a change that passes replaces the real file, whole. So a refused
decision leaves nothing half-written, and a sync running meanwhile never reads a bad bank.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.services.review.results import PendingQuestion, UnknownQuestion
from questions.bank_writer import question_yaml
from questions.loader import BankError, check_bank, load_bank
from questions.model import BankFile, Question

BANK_FILES = ("*.yaml", "*.yml")


@dataclass(frozen=True)
class Located:
    """A question, the bank file holding it, and that file's path."""

    path: Path
    bank_file: BankFile
    question: Question

    @property
    def procedure(self) -> str:
        return self.bank_file.procedure.id

    @property
    def pending(self) -> bool:
        return not self.question.is_live

    def shown(self, seen: str | None) -> bool:
        """True unless the reviewer was shown another text of the question (`seen`)."""
        return seen is None or seen == fingerprint(self.question)


def bank_files(folder: Path) -> list[tuple[Path, BankFile]]:
    """Every bank file that is valid on its own, even while others have problems."""
    try:
        return load_bank(folder).files
    except BankError as error:
        return error.parsed


def pending_in(folder: Path, procedure: str | None = None) -> list[PendingQuestion]:
    """Drafts and questions needing review, by procedure in file order."""
    return [
        pending_view(bank_file, question)
        for _path, bank_file in bank_files(folder)
        if procedure is None or bank_file.procedure.id.casefold() == procedure.casefold()
        for question in bank_file.questions
        if not question.is_live
    ]


def find(folder: Path, question_id: str) -> Located | None:
    for path, bank_file in bank_files(folder):
        for question in bank_file.questions:
            if question.id == question_id:
                return Located(path, bank_file, question)
    return None


def locate(folder: Path, question_id: str) -> Located:
    found = find(folder, question_id)
    if found is None:
        raise UnknownQuestion(question_id)
    return found


def fingerprint(question: Question) -> str:
    return hashlib.sha256(question_yaml(question).encode()).hexdigest()[:16]


def pending_view(bank_file: BankFile, question: Question) -> PendingQuestion:
    procedure = bank_file.procedure
    return PendingQuestion(
        procedure=procedure.id,
        procedure_title=procedure.title,
        revision=procedure.revision,
        owner=procedure.owner,
        owner_slack_id=procedure.owner_slack_id,
        question_id=question.id,
        status=question.status.value,
        kind=question.kind.value,
        prompt=question.prompt,
        options=question.option_items(),
        correct=question.correct_keys(),
        explanation=question.explanation,
        section=question.section,
        cites=question.cites,
        key_points=[k.point for k in question.key_points],
        yaml=question_yaml(question),
        fingerprint=fingerprint(question),
    )


def incomplete(question: Question) -> list[str]:
    """What an approved question must have that a draft may lack."""
    missing = [name for name in ("section", "explanation") if not getattr(question, name)]
    return [f"{name}: is missing; an approved question needs one" for name in missing]


def try_change(folder: Path, path: Path, change: Callable[[Path], None]) -> list[str]:
    """Make `change` to a copy of the bank file, check the whole bank with it, and only then
    replace the real file. Returns the problems, empty when the change was made."""
    with tempfile.TemporaryDirectory(prefix="auditready-review-") as scratch:
        copy = Path(scratch) / folder.name
        copy.mkdir()
        for pattern in BANK_FILES:
            for source in folder.glob(pattern):
                shutil.copyfile(source, copy / source.name)
        staged = copy / path.name
        change(staged)
        problems = [str(p).replace(str(copy), str(folder), 1) for p in check_bank(copy)]
        if not problems:
            replace_whole(path, staged.read_bytes())
        return problems


def replace_whole(path: Path, content: bytes) -> None:
    """Write the file in one step, so a reader sees the old file or the new, never half."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
