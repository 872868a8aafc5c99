"""What every drafting rule produces before it becomes a bank question, and what the document
says about who does what, where and when, which the checks use to catch a wrong option that is
really right.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from questions.documents.model import Section
from questions.model import KeyPoint, Kind, Stage


class Answers(StrEnum):
    """What a choice question's options are, so the checks know how to compare them."""

    ROLE = "role"
    RECORD = "record"
    STEP = "step"
    NUMBER = "number"


@dataclass(frozen=True)
class Fact:
    """One thing the document says: `answer` (a role, a record, a time) goes with `topic`."""

    answers: Answers
    topic: str
    answer: str


@dataclass(frozen=True)
class Draft:
    """A question before it has an id, with what the checks need to judge it.

    For a choice question `right` is the right option and `wrong` the others; `topic` is what
    the question asks about, compared with the document's facts.
    """

    kind: Kind
    prompt: str
    section: Section
    cites: str
    explanation: str
    answers: Answers | None = None
    topic: str = ""
    right: str = ""
    wrong: tuple[str, ...] = ()
    truth: bool | None = None
    key_points: tuple[KeyPoint, ...] = ()
    pass_mark: int | None = None
    stage: Stage | None = None


def see(original_id: str, section: Section) -> str:
    """Where to read more: the section's number where the document prints it, else its
    heading, so a reader of the original finds the place (a number by place would send them
    to whatever the document numbers so)."""
    if section.numbered_by_document:
        return f"See {original_id} section {section.number}."
    return f"See “{section.heading}” in {original_id}."


def quoted(cites: str) -> str:
    return f"The procedure says: “{cites.rstrip()}”"
