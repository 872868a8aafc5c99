"""The question bank format: one YAML file per procedure, validated with pydantic."""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from questions import limits

CLAUSE_PATTERN = re.compile(r"^ISO(/IEC)? \d{4,5}:\d{4} (A\.)?\d+(\.\d+)*$")
PROCEDURE_ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
QUESTION_ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
OPTION_KEY_PATTERN = re.compile(r"^[a-z]$")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 &/'.-]*$")

TRUE_FALSE_OPTIONS = {"true": "True", "false": "False"}


class Kind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    OPEN = "open"


class Status(StrEnum):
    """Where a question is in review. Only approved questions reach staff."""

    DRAFT = "draft"
    NEEDS_REVIEW = "needs review"
    APPROVED = "approved"


class Stage(StrEnum):
    """Where a question sits in an auditor's interview, in the order auditors tend to ask."""

    POLICY = "policy"
    OBJECTIVES = "objectives"
    PROCEDURES = "procedures"
    PROBLEMS = "problems"
    IMPLICATIONS = "implications"


# Enough of a key point's words to tell it from the question's other key points.
KEY_POINT_SHOWN = 50


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Phrasing = Annotated[str, Field(min_length=2, max_length=120)]


class KeyPoint(_Strict):
    """One thing a good open answer says, with the ways people may say it.

    `accept` holds whole short replies the author accepts for this point, terse and plain ones
    included ("tag it", "boss"); a reply, or a clause of one, close to one of them meets it.
    """

    point: Annotated[str, Field(min_length=1, max_length=200)]
    phrasings: Annotated[list[Phrasing], Field(min_length=1)]
    accept: list[Phrasing] = Field(default_factory=list)

    @field_validator("phrasings", "accept")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        return _once_each(value, "a phrasing")


NonEmpty = Annotated[str, Field(min_length=1)]


def _once_each(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value.casefold() in seen:
            raise ValueError(f"{what} is listed twice: {value!r}")
        seen.add(value.casefold())
    return values


def _check_names(values: list[str], what: str) -> list[str]:
    for value in values:
        if not NAME_PATTERN.match(value):
            raise ValueError(
                f"{what} {value!r} is malformed: use letters, digits, spaces and & / ' . -"
            )
    if len({v.casefold() for v in values}) != len(values):
        raise ValueError(f"{what}s are listed twice")
    return values


class Audience(_Strict):
    """Who a procedure or question is for. An empty list means everyone."""

    departments: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)

    @field_validator("departments")
    @classmethod
    def _departments(cls, value: list[str]) -> list[str]:
        return _check_names(value, "department")

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        return _check_names(value, "role")

    def includes(self, *, department: str | None, role: str | None) -> bool:
        """True when a person of this department and role belongs to the audience."""
        return _matches(self.departments, department) and _matches(self.roles, role)


def _matches(allowed: list[str], value: str | None) -> bool:
    if not allowed:
        return True
    return value is not None and value.casefold() in {a.casefold() for a in allowed}


def _check_clauses(value: list[str]) -> list[str]:
    for clause in value:
        if not CLAUSE_PATTERN.match(clause):
            raise ValueError(
                f"clause {clause!r} is malformed: write it like 'ISO 9001:2015 8.7' "
                "or 'ISO/IEC 27001:2022 7.3'"
            )
    if len(set(value)) != len(value):
        raise ValueError("a clause is listed twice")
    return value


class Procedure(_Strict):
    id: str
    # The id as the document writes it ("CSC PR.016"), where it differs from `id`.
    original_id: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    title: Annotated[str, Field(min_length=1, max_length=limits.PROCEDURE_TITLE)]
    revision: Annotated[str, Field(min_length=1, max_length=20)]
    owner: NonEmpty
    # The Slack user who reviews this procedure's drafts, where the owner role is not enough.
    owner_slack_id: Annotated[str, Field(pattern=r"^[UW][A-Z0-9]{2,}$")] | None = None
    clauses: Annotated[list[str], Field(min_length=1)]
    audience: Audience = Field(default_factory=Audience)
    document: NonEmpty

    @field_validator("revision", mode="before")
    @classmethod
    def _revision_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not PROCEDURE_ID_PATTERN.match(value):
            raise ValueError(f"procedure id {value!r} is malformed: write it like 'QP-08'")
        return value

    @field_validator("clauses")
    @classmethod
    def _clauses(cls, value: list[str]) -> list[str]:
        return _check_clauses(value)


class Question(_Strict):
    id: str
    kind: Kind
    prompt: Annotated[str, Field(min_length=1, max_length=limits.PROMPT)]
    options: dict[str, Annotated[str, Field(min_length=1, max_length=limits.OPTION)]] = Field(
        default_factory=dict
    )
    answer: str | bool | list[str] | None = None
    key_points: list[KeyPoint] = Field(default_factory=list)
    pass_mark: int | None = None
    # Wrong claims about the procedure: a reply that asserts one is never passed.
    contradicts: list[Phrasing] = Field(default_factory=list)
    stage: Stage | None = None
    # Drafts may lack an explanation and a section until review; approval requires both.
    explanation: Annotated[str, Field(max_length=limits.EXPLANATION)] = ""
    section: Annotated[str, Field(max_length=limits.SECTION)] = ""
    clauses: list[str] | None = None
    audience: Audience | None = None
    status: Status = Status.APPROVED
    # The sentence of the procedure a drafted question was drawn from, quoted.
    cites: Annotated[str, Field(min_length=1, max_length=limits.CITES)] | None = None

    @field_validator("contradicts")
    @classmethod
    def _contradicts_once(cls, value: list[str]) -> list[str]:
        return _once_each(value, "a contradicting phrasing")

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not QUESTION_ID_PATTERN.match(value):
            raise ValueError(f"question id {value!r} is malformed: write it like 'QP-08-001'")
        return value

    @field_validator("section", mode="before")
    @classmethod
    def _section_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("clauses")
    @classmethod
    def _clauses(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_clauses(value)

    @model_validator(mode="after")
    def _complete_unless_draft(self) -> Question:
        if self.status is not Status.APPROVED:
            return self
        missing = [name for name in ("explanation", "section") if not getattr(self, name)]
        if len(missing) == 2:
            raise ValueError(
                "explanation: is missing, and so is section (only a draft may leave them out)"
            )
        if missing:
            raise ValueError(f"{missing[0]}: is missing (only a draft may leave it out)")
        return self

    @model_validator(mode="after")
    def _options_fit_kind(self) -> Question:
        if self.kind is Kind.OPEN:
            check_open(self.options, self.answer, self.key_points, self.pass_mark)
        else:
            check_answer(self.kind, self.options, self.answer)
            if self.key_points or self.pass_mark is not None:
                raise ValueError("key_points: only open questions have key points and a pass_mark")
            if self.contradicts:
                raise ValueError("contradicts: only open questions have contradicting phrasings")
        return self

    def option_items(self) -> list[tuple[str, str]]:
        """The options in display order as (key, text); true/false gets True and False."""
        if self.kind is Kind.TRUE_FALSE:
            return list(TRUE_FALSE_OPTIONS.items())
        return sorted(self.options.items())

    def correct_keys(self) -> list[str]:
        """The right answer(s) as option keys, sorted; none for an open question."""
        if self.answer is None:
            return []
        if isinstance(self.answer, bool):
            return ["true" if self.answer else "false"]
        if isinstance(self.answer, str):
            return [self.answer]
        return sorted(self.answer)

    @property
    def is_live(self) -> bool:
        """Approved, so it may be sent to staff."""
        return self.status is Status.APPROVED


class AnswerShape(BaseModel):
    """Just kind, options and answer, so their agreement is checked even when other fields fail."""

    model_config = ConfigDict(extra="ignore")

    kind: Kind
    options: dict[str, str] = Field(default_factory=dict)
    answer: str | bool | list[str] | None = None

    @model_validator(mode="after")
    def _options_fit_kind(self) -> AnswerShape:
        if self.kind is not Kind.OPEN:
            check_answer(self.kind, self.options, self.answer)
        return self


def check_open(
    options: dict[str, str],
    answer: str | bool | list[str] | None,
    key_points: list[KeyPoint],
    pass_mark: int | None,
) -> None:
    """An open question has key points and a pass mark instead of options and an answer."""
    if options or answer is not None:
        raise ValueError("options: an open question has key_points and a pass_mark, not options")
    if not key_points:
        raise ValueError("key_points: an open question needs at least one key point")
    if pass_mark is None or not 1 <= pass_mark <= len(key_points):
        count = len(key_points)
        raise ValueError(f"pass_mark: how many of the {count} key points pass, 1 to {count}")


def check_answer(
    kind: Kind, options: dict[str, str], answer: str | bool | list[str] | None
) -> None:
    """Raise ValueError, prefixed with the field, when options and answer don't fit the kind."""
    if kind is Kind.TRUE_FALSE:
        _check_true_false(options, answer)
    else:
        _check_choices(kind, options, answer)


def _check_true_false(options: dict[str, str], answer: str | bool | list[str] | None) -> None:
    if options:
        raise ValueError("options: a true_false question takes no options")
    if not isinstance(answer, bool):
        raise ValueError("answer: a true_false question's answer is true or false")


def _check_choices(
    kind: Kind, options: dict[str, str], answer: str | bool | list[str] | None
) -> None:
    if len(options) < 2:
        raise ValueError(f"options: a {kind} question needs at least two options")
    if len(options) > limits.MAX_OPTIONS:
        raise ValueError(f"options: at most {limits.MAX_OPTIONS} options")
    bad_keys = [k for k in options if not OPTION_KEY_PATTERN.match(k)]
    if bad_keys:
        raise ValueError(f"options: keys must be single letters a-z, not {bad_keys}")
    if kind is Kind.SINGLE and not isinstance(answer, str):
        raise ValueError("answer: a single question's answer is one option key, such as b")
    if kind is Kind.MULTIPLE and not isinstance(answer, list):
        raise ValueError(
            "answer: a multiple question's answer is a list of option keys, like [a, c]"
        )
    keys = [answer] if isinstance(answer, str) else list(answer) if isinstance(answer, list) else []
    if not keys:
        raise ValueError("answer: name at least one option")
    known = ", ".join(sorted(options))
    for key in keys:
        if key not in options:
            raise ValueError(f"answer: names option {key!r}, but only {known} exist")
    if len(set(keys)) != len(keys):
        raise ValueError("answer: an option is named twice")


Vocabulary = dict[Phrasing, list[Phrasing]]


def _check_vocabulary(value: Vocabulary) -> Vocabulary:
    """Each word of the company's means one thing: it belongs to one group only."""
    owner: dict[str, str] = {}
    for word, same in value.items():
        if not same:
            raise ValueError(f"vocabulary: {word!r} lists no words that mean the same")
        for member in (word, *same):
            key = " ".join(member.casefold().split())
            if key in owner and owner[key] != word:
                raise ValueError(
                    f"vocabulary: {member!r} is under both {owner[key]!r} and {word!r}"
                )
            if key in owner and member is not word:
                raise ValueError(f"vocabulary: {member!r} is listed twice under {word!r}")
            owner[key] = word
    return value


class Rejection(_Strict):
    """A draft a reviewer turned down, kept so the same draft is not proposed again."""

    prompt: Annotated[str, Field(min_length=1, max_length=limits.PROMPT)]
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    cites: Annotated[str, Field(max_length=limits.CITES)] | None = None
    by: Annotated[str, Field(max_length=100)] | None = None
    # Not "on": YAML 1.1 reads a bare `on:` key as true.
    rejected_on: Annotated[str, Field(max_length=40)] | None = None

    @field_validator("rejected_on", mode="before")
    @classmethod
    def _on_as_text(cls, value: Any) -> Any:
        return None if value is None else str(value)


class BankFile(_Strict):
    procedure: Procedure
    # The company's own words, shared by every open question of the file: each entry's words
    # mean the same as the entry ("supervisor": ["lead", "foreman"]), in phrasings too.
    vocabulary: Vocabulary = Field(default_factory=dict)
    # Empty once every draft of a new procedure was rejected; its rejections remain.
    questions: list[Question]
    rejected: list[Rejection] = Field(default_factory=list)

    @field_validator("vocabulary")
    @classmethod
    def _vocabulary(cls, value: Vocabulary) -> Vocabulary:
        return _check_vocabulary(value)


def content_hash(
    question: Question, procedure: Procedure, vocabulary: Vocabulary | None = None
) -> str:
    """A fingerprint of what a person sees and is graded on; a change makes a new version."""
    payload: dict[str, object] = {
        "kind": question.kind.value,
        "prompt": question.prompt,
        "options": question.option_items(),
        "answer": question.correct_keys(),
        "explanation": question.explanation,
        "section": question.section,
        "clauses": effective_clauses(question, procedure),
        "audience": effective_audience(question, procedure).model_dump(),
    }
    # Added only when used, so questions written before open questions keep their hash.
    if question.key_points:
        payload["key_points"] = [_key_point_payload(k) for k in question.key_points]
        payload["pass_mark"] = question.pass_mark
    if question.contradicts:
        payload["contradicts"] = list(question.contradicts)
    if question.key_points and vocabulary:
        payload["vocabulary"] = vocabulary
    if question.stage is not None:
        payload["stage"] = question.stage.value
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _key_point_payload(key_point: KeyPoint) -> dict[str, object]:
    payload = key_point.model_dump()
    if not key_point.accept:
        del payload["accept"]  # so key points written before `accept` keep their hash
    return payload


def effective_clauses(question: Question, procedure: Procedure) -> list[str]:
    """A question's own clauses where it names them, else its procedure's."""
    return list(question.clauses) if question.clauses else list(procedure.clauses)


def effective_audience(question: Question, procedure: Procedure) -> Audience:
    """A question's audience override where given, else its procedure's audience."""
    return question.audience if question.audience is not None else procedure.audience


def key_point_label(position: int, point: str) -> str:
    """A key point as problems and warnings name it: its place from 1, and its first words."""
    shown = point
    if len(point) > KEY_POINT_SHOWN:
        shown = point[:KEY_POINT_SHOWN].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f'key point {position} ("{shown}")'
