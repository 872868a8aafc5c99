"""Reading a question bank folder and reporting every problem in it at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from questions import limits
from questions.model import AnswerShape, BankFile, key_point_label
from questions.text import rendered_sections


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a bank file, precise enough to fix without guessing."""

    file: str
    question_id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.question_id:
            parts.append(f"question {self.question_id}")
        if self.field:
            parts.append(self.field)
        return ": ".join([*parts, self.message])


@dataclass(frozen=True)
class Bank:
    """A bank that passed every check: its files in name order."""

    folder: Path
    files: list[tuple[Path, BankFile]]

    @property
    def question_count(self) -> int:
        return sum(len(f.questions) for _, f in self.files)


class BankError(Exception):
    """The bank has problems; nothing was loaded.

    `parsed` holds the files that were valid on their own, so their warnings can still be shown.
    """

    def __init__(
        self, problems: list[Problem], parsed: list[tuple[Path, BankFile]] | None = None
    ) -> None:
        super().__init__(f"{len(problems)} problem(s) in the question bank")
        self.problems = problems
        self.parsed = parsed or []


def sample_bank_path() -> Path:
    """The shipped sample company's bank folder."""
    return Path(str(resources.files("questions") / "sample"))


def sample_schedules_path() -> Path:
    """The shipped sample company's schedules file."""
    return Path(str(resources.files("questions") / "sample_schedules.yaml"))


def load_bank(folder: Path) -> Bank:
    """Load and validate every `*.yaml` file in a folder; raise BankError listing all problems."""
    problems, files, ids = _read_folder(folder)
    problems += _cross_file_problems(ids)
    if problems:
        raise BankError(problems, files)
    return Bank(folder=folder, files=files)


def check_bank(folder: Path) -> list[Problem]:
    """Every problem in the bank; an empty list means it is good to sync."""
    try:
        load_bank(folder)
    except BankError as error:
        return error.problems
    return []


def bank_file_for(folder: Path, procedure_id: str) -> Path | None:
    """The bank file whose procedure block has this id, read even when the bank has problems."""
    _, _, ids = _read_folder(folder)
    return next((entry.path for entry in ids if entry.procedure == procedure_id), None)


def load_bank_file(path: Path) -> BankFile:
    """One bank file alone, validated; raise BankError listing its problems."""
    _, parsed, problems = _read_file(path)
    if problems or parsed is None:
        raise BankError(problems)
    return parsed


@dataclass(frozen=True)
class _FileIds:
    """The ids a file declares, read from the raw YAML so even a broken file is checked."""

    path: Path
    procedure: str | None
    questions: list[str]


def _read_folder(
    folder: Path,
) -> tuple[list[Problem], list[tuple[Path, BankFile]], list[_FileIds]]:
    if not folder.is_dir():
        return [Problem(str(folder), None, None, "is not a folder of question files")], [], []
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not paths:
        return [Problem(str(folder), None, None, "holds no .yaml question files")], [], []
    problems: list[Problem] = []
    files: list[tuple[Path, BankFile]] = []
    ids: list[_FileIds] = []
    for path in paths:
        raw, parsed, file_problems = _read_file(path)
        problems += file_problems
        ids.append(_ids_of(path, raw))
        if parsed is not None:
            files.append((path, parsed))
    return problems, files, ids


def _ids_of(path: Path, raw: Any) -> _FileIds:
    if not isinstance(raw, dict):
        return _FileIds(path, None, [])
    procedure = raw.get("procedure")
    code = procedure.get("id") if isinstance(procedure, dict) else None
    entries = raw.get("questions")
    if not isinstance(entries, list):
        entries = []
    questions = [str(q["id"]) for q in entries if isinstance(q, dict) and q.get("id")]
    return _FileIds(path, str(code) if code else None, questions)


def _read_file(path: Path) -> tuple[Any, BankFile | None, list[Problem]]:
    raw, problems = _parse_yaml(path)
    if problems:
        return None, None, problems
    if not isinstance(raw, dict):
        return raw, None, [Problem(str(path), None, None, "must hold 'procedure' and 'questions'")]
    try:
        parsed = BankFile.model_validate(raw)
    except ValidationError as error:
        problems = [_problem_from(path, raw, e) for e in error.errors()]
        return raw, None, problems + _answer_problems(path, raw, problems)
    return raw, parsed, _length_problems(path, parsed)


def _parse_yaml(path: Path) -> tuple[Any, list[Problem]]:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        return None, [
            Problem(str(path), None, None, f"{line}not valid YAML ({_first_line(error)})")
        ]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(str(path), None, None, f"cannot be read: {error}")]


def _answer_problems(path: Path, raw: dict[str, Any], known: list[Problem]) -> list[Problem]:
    # Pydantic skips whole-question checks once any field fails; run them on their own so
    # one pass lists every problem.
    questions = raw.get("questions")
    if not isinstance(questions, list):
        return []
    found: list[Problem] = []
    for index, entry in enumerate(questions):
        if not isinstance(entry, dict):
            continue
        try:
            AnswerShape.model_validate(entry)
        except ValidationError as error:
            for detail in error.errors():
                located = {**detail, "loc": ("questions", index, *detail["loc"])}
                problem = _problem_from(path, raw, located)
                if problem not in known and detail["type"] == "value_error":
                    found.append(problem)
    return found


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]


def _problem_from(path: Path, raw: dict[str, Any], error: Any) -> Problem:
    loc = list(error["loc"])
    question_id = None
    key_point = None
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        question_id = _raw_question_id(raw, loc[1])
        key_point = _raw_key_point(raw, loc[1], loc[2:])
        loc = loc[2:] if key_point is None else loc[4:]
    message = str(error["msg"]).removeprefix("Value error, ")
    field = ".".join(str(part) for part in loc) or None
    if error["type"] == "extra_forbidden":
        return Problem(str(path), question_id, key_point, f"unknown field {field!r}")
    # A field's own check names the field too ("vocabulary: 'lead' is under both …").
    message = message.removeprefix(f"{field}: ") if field else message
    if key_point is not None:
        field = f"{key_point}: {field}" if field else key_point
    if ": " in message and field is None:
        field, message = message.split(": ", 1)
    if error["type"] == "missing":
        message = "is missing"
    if error["type"] == "string_too_long":
        limit = error["ctx"]["max_length"]
        message = f"is {len(error['input'])} characters; at most {limit} fit Slack's limits"
    return Problem(str(path), question_id, field, message)


def _raw_question_id(raw: dict[str, Any], index: int) -> str:
    questions = raw.get("questions")
    if isinstance(questions, list) and index < len(questions):
        entry = questions[index]
        if isinstance(entry, dict) and entry.get("id"):
            return str(entry["id"])
    return f"#{index + 1}"


def _raw_key_point(raw: dict[str, Any], index: int, loc: list[Any]) -> str | None:
    """The key point a location inside a question points into, named for a person."""
    if len(loc) < 2 or loc[0] != "key_points" or not isinstance(loc[1], int):
        return None
    entry = raw["questions"][index]
    points = entry.get("key_points") if isinstance(entry, dict) else None
    item = points[loc[1]] if isinstance(points, list) and loc[1] < len(points) else None
    point = item.get("point") if isinstance(item, dict) else None
    if not point:
        return f"key point {loc[1] + 1}"
    return key_point_label(loc[1] + 1, str(point))


def _length_problems(path: Path, bank_file: BankFile) -> list[Problem]:
    problems = []
    for question in bank_file.questions:
        for field, text in rendered_sections(question).items():
            if len(text) > limits.SECTION_TEXT:
                problems.append(
                    Problem(
                        str(path),
                        question.id,
                        field,
                        f"renders to {len(text)} characters in Slack (& < > count as 4-5 each); "
                        f"one section holds {limits.SECTION_TEXT}, so shorten it",
                    )
                )
    return problems


def _cross_file_problems(files: Iterable[_FileIds]) -> list[Problem]:
    problems: list[Problem] = []
    seen_questions: dict[str, Path] = {}
    seen_procedures: dict[str, Path] = {}
    for entry in files:
        path, code = entry.path, entry.procedure
        if code is not None and code in seen_procedures:
            where = seen_procedures[code].name
            problems.append(
                Problem(str(path), None, "procedure.id", f"{code!r} is also defined in {where}")
            )
        if code is not None:
            seen_procedures.setdefault(code, path)
        for question_id in entry.questions:
            if question_id in seen_questions:
                where = seen_questions[question_id].name
                message = f"is also used in {where}; ids must be unique"
                problems.append(Problem(str(path), question_id, "id", message))
            seen_questions.setdefault(question_id, path)
    return problems
