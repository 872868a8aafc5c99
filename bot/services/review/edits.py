"""A reviewer's edit, as YAML text or as the fields of a form, made into a valid question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.error import YAMLError

from questions.bank_writer import load_text
from questions.model import Kind, Question

OPTION_LINE = re.compile(r"^\s*([a-z])\s*[:.)]\s*(.+?)\s*$")


class EditProblems(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class EditedFields:
    """What the Slack edit form holds; options and answer only for questions that have them."""

    prompt: str
    explanation: str
    section: str
    options: str | None = None
    answer: str | None = None


def from_yaml(text: str, current: Question) -> Question:
    """The question the reviewer's YAML describes, with the id and status it had."""
    try:
        entry = load_text(text)
    except YAMLError as error:
        first = str(error).strip().splitlines()[0]
        raise EditProblems([f"not valid YAML ({first})"]) from error
    if not isinstance(entry, dict):
        raise EditProblems(["the edit must be one question: id, kind, prompt and so on"])
    return validated(_plain(entry), current)


def from_fields(fields: EditedFields, current: Question) -> Question:
    """The question with the form's fields put in place of its own."""
    entry = current.model_dump(mode="json", exclude_defaults=True)
    entry.update(
        prompt=fields.prompt.strip(),
        explanation=fields.explanation.strip(),
        section=fields.section.strip(),
    )
    problems: list[str] = []
    if fields.options is not None:
        entry["options"], option_problems = parse_options(fields.options)
        problems += option_problems
    if fields.answer is not None:
        entry["answer"] = parse_answer(fields.answer, current.kind)
    if problems:
        raise EditProblems(problems)
    return validated(entry, current)


def parse_options(text: str) -> tuple[dict[str, str], list[str]]:
    """Options written one a line, `a: text`."""
    options: dict[str, str] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = OPTION_LINE.match(line)
        if found is None:
            problems.append(f"options: line {number} should read like 'a: the option's text'")
        elif found[1] in options:
            problems.append(f"options: {found[1]} is given twice")
        else:
            options[found[1]] = found[2]
    return options, problems


def parse_answer(text: str, kind: Kind) -> str | bool | list[str]:
    words = [w for w in re.split(r"[\s,]+", text.strip().casefold()) if w]
    if kind is Kind.TRUE_FALSE:
        return words == ["true"] if words in (["true"], ["false"]) else text.strip()
    if kind is Kind.MULTIPLE:
        return words
    return words[0] if len(words) == 1 else text.strip()


def validated(entry: dict[str, Any], current: Question) -> Question:
    """The entry as a question, if it keeps its id; it keeps its review status whatever it says."""
    if str(entry.get("id", "")) != current.id:
        raise EditProblems([f"id: must stay {current.id}; a new id would make a new question"])
    entry["status"] = current.status.value
    try:
        return Question.model_validate(entry)
    except ValidationError as error:
        raise EditProblems([_problem(e) for e in error.errors()]) from error


def _problem(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "is missing"
    if error["type"] == "extra_forbidden":
        return f"unknown field {where!r}"
    if not where or message.startswith(f"{where}: "):
        return message
    return f"{where}: {message}"


def _plain(value: Any) -> Any:
    """ruamel's commented maps and lists as plain ones, so pydantic sees ordinary data."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
