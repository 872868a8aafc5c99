"""Writing to a bank file while keeping what its author wrote: comments, order and quoting.

Drafting, review and imports change bank files that people also edit by hand and keep in
git, so every change is a round trip through ruamel.yaml, touching only the entries it means
to, and each write replaces the file whole so a crash never leaves half a file.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from questions.model import Procedure, Question, Rejection, Status

# The order fields are written in, as the README documents a question.
QUESTION_FIELDS = (
    "id",
    "kind",
    "status",
    "prompt",
    "options",
    "answer",
    "key_points",
    "pass_mark",
    "contradicts",
    "stage",
    "explanation",
    "section",
    "clauses",
    "audience",
    "cites",
)


# Words from a fixed set stay bare, like the sample bank writes them; text is quoted.
BARE_FIELDS = frozenset({"id", "kind", "status", "answer", "stage", "pass_mark"})


class BankFileMissing(LookupError):
    """No bank file holds the procedure or the question asked for."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def question_entry(question: Question) -> CommentedMap:
    """A question as a bank entry: only the fields it sets, in the documented order."""
    dumped = question.model_dump(mode="json", exclude_defaults=True)
    if question.status is not Status.APPROVED:
        dumped["status"] = question.status.value
    entry = CommentedMap()
    for name in QUESTION_FIELDS:
        if name in dumped and dumped[name] not in (None, "", [], {}):
            entry[name] = dumped[name] if name in BARE_FIELDS else _quoted(dumped[name])
    return entry


def _quoted(value: Any) -> Any:
    if isinstance(value, str):
        return DoubleQuotedScalarString(value)
    if isinstance(value, list):
        return [_quoted(v) for v in value]
    if isinstance(value, dict):
        return {k: _quoted(v) for k, v in value.items()}
    return value


def question_yaml(question: Question) -> str:
    """One question as YAML text, for a reviewer to edit."""
    return dump_text(question_entry(question))


def dump_text(data: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def load_text(text: str) -> Any:
    return _yaml().load(text)


def new_bank_file(path: Path, procedure: Procedure, questions: Iterable[Question]) -> None:
    """Start a bank file for a procedure that has none yet."""
    data = CommentedMap()
    data["procedure"] = procedure.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["questions"] = CommentedSeq(question_entry(q) for q in questions)
    _write(path, data)


def add_questions(path: Path, questions: Iterable[Question]) -> None:
    _edit(path, lambda data: _questions(data).extend(question_entry(q) for q in questions))


def replace_question(path: Path, question: Question) -> None:
    """Put a question in place of the entry with its id, keeping its place in the file."""

    def change(data: CommentedMap) -> None:
        entries = _questions(data)
        entries[_index(entries, question.id, path)] = question_entry(question)

    _edit(path, change)


def set_status(path: Path, question_id: str, status: Status) -> None:
    """Mark one question; approving drops the field, since approved is the default."""

    def change(data: CommentedMap) -> None:
        entries = _questions(data)
        entry = entries[_index(entries, question_id, path)]
        if status is Status.APPROVED:
            entry.pop("status", None)
        elif "status" in entry:
            entry["status"] = status.value
        else:
            entry.insert(2, "status", status.value)

    _edit(path, change)


def remove_question(path: Path, question_id: str, rejection: Rejection | None = None) -> None:
    """Take a question out, remembering why when it was a rejected draft."""

    def change(data: CommentedMap) -> None:
        entries = _questions(data)
        del entries[_index(entries, question_id, path)]
        if rejection is not None:
            if "rejected" not in data:
                data["rejected"] = CommentedSeq()
            data["rejected"].append(rejection.model_dump(mode="json", exclude_none=True))

    _edit(path, change)


def update_procedure(path: Path, **fields: str | None) -> None:
    """Set fields of the procedure block, as an imported document says them."""

    def change(data: CommentedMap) -> None:
        block = data["procedure"]
        for name, value in fields.items():
            if value is None:
                block.pop(name, None)
            else:
                block[name] = value

    _edit(path, change)


def _questions(data: CommentedMap) -> CommentedSeq:
    if data.get("questions") is None:
        data["questions"] = CommentedSeq()
    entries: CommentedSeq = data["questions"]
    return entries


def _index(entries: CommentedSeq, question_id: str, path: Path) -> int:
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and str(entry.get("id")) == question_id:
            return index
    raise BankFileMissing(f"{path.name} holds no question {question_id}")


def _edit(path: Path, change: Callable[[CommentedMap], None]) -> None:
    data = _yaml().load(path.read_text(encoding="utf-8"))
    change(data)
    _write(path, data)


def _write(path: Path, data: CommentedMap) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            _yaml().dump(data, stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
