"""What a GIFT or Aiken file became: bank questions, and everything that did not fit.

Parsers find candidates and findings by line; `to_questions` turns the candidates into draft
bank questions with ids, so a candidate the bank would refuse is reported, never written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from questions import limits
from questions.bank_warnings import LONG_ACCEPT_WORDS
from questions.model import Kind, Question, Status
from questions.text import rendered_sections

BLANK = "_____"


@dataclass(frozen=True)
class Finding:
    """Something about one place in the file, for the person importing it."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class DroppedWeight:
    """A partial-credit weight the all-or-nothing bank cannot keep, and what the answer became."""

    line: int
    answer: str
    weight: str
    became: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.answer!r} weighted {self.weight}% is now {self.became}"


@dataclass(frozen=True)
class Candidate:
    """One question as read from the file, before it has an id."""

    line: int
    title: str | None
    kind: Kind
    prompt: str
    options: dict[str, str] = field(default_factory=dict)
    answer: str | bool | list[str] | None = None
    accepted: list[str] = field(default_factory=list)
    explanation: str = ""


@dataclass
class Parsed:
    """Everything a parser read from one file."""

    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    dropped: list[DroppedWeight] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Imported:
    """A bank question made from the file, with where it came from."""

    line: int
    title: str | None
    question: Question


@dataclass
class ImportResult:
    """The questions ready to add to a bank file, and what was skipped, dropped or noted."""

    imported: list[Imported] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    dropped: list[DroppedWeight] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [item.question for item in self.imported]


def question_id(procedure_id: str, number: int) -> str:
    return f"{procedure_id}-{number:03d}"


def to_questions(parsed: Parsed, *, procedure_id: str, first_number: int = 1) -> ImportResult:
    """Drafts numbered from `first_number`; a candidate the bank would refuse is skipped."""
    result = ImportResult(
        skipped=list(parsed.skipped), dropped=list(parsed.dropped), notes=list(parsed.notes)
    )
    number = first_number
    for candidate in parsed.candidates:
        built = _build(candidate, question_id(procedure_id, number))
        if isinstance(built, str):
            result.skipped.append(Finding(candidate.line, built))
            continue
        result.imported.append(Imported(candidate.line, candidate.title, built))
        number += 1
    result.skipped.sort(key=lambda finding: finding.line)
    return result


def _build(candidate: Candidate, new_id: str) -> Question | str:
    """The draft question, or why the bank would refuse it."""
    fields: dict[str, object] = {
        "id": new_id,
        "kind": candidate.kind,
        "status": Status.DRAFT,
        "prompt": candidate.prompt,
        "options": candidate.options,
        "answer": candidate.answer,
        "explanation": candidate.explanation,
    }
    try:
        if candidate.kind is Kind.OPEN:
            fields["key_points"] = [_key_point(answer) for answer in candidate.accepted]
            fields["pass_mark"] = 1
        question = Question.model_validate(fields)
    except ValidationError as error:
        return "; ".join(dict.fromkeys(_reason(detail) for detail in error.errors()))
    return _too_long_in_slack(question) or question


def _key_point(answer: str) -> dict[str, object]:
    # A short answer is a whole reply Moodle accepts, which is what `accept` holds.
    short = len(answer.split()) <= LONG_ACCEPT_WORDS
    return {"point": answer, "phrasings": [answer], "accept": [answer] if short else []}


def _reason(error: ErrorDetails) -> str:
    where = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    value = error["input"]
    if error["type"] == "string_too_long" and isinstance(value, str):
        limit = error.get("ctx", {}).get("max_length")
        return f"{_field_name(where)} is {len(value)} characters; the bank allows at most {limit}"
    if error["type"] == "string_too_short" and isinstance(value, str):
        return f"{_field_name(where)} {value!r} is too short"
    return f"{_field_name(where)}: {message}" if where else message


def _field_name(where: str) -> str:
    """A pydantic location in the file's words: `key_points.0.phrasings.0` is an answer."""
    if where.startswith("key_points"):
        return "accepted answer"
    if where.startswith("options."):
        return f"answer {where.removeprefix('options.').upper()}"
    return where


def _too_long_in_slack(question: Question) -> str | None:
    for name, text in rendered_sections(question).items():
        if len(text) > limits.SECTION_TEXT:
            return (
                f"its {name} renders to {len(text)} characters in Slack; "
                f"one message section holds {limits.SECTION_TEXT}"
            )
    return None
