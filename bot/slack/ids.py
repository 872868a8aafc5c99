"""Every Block Kit action_id, block_id prefix and callback_id the app uses."""

from __future__ import annotations

import re
from enum import StrEnum


class ActionId(StrEnum):
    ANSWER = "quiz.answer"  # suffixed with the option key: quiz.answer.b
    PICK = "quiz.pick"
    SUBMIT = "quiz.submit"


class GapAction(StrEnum):
    DEPARTMENT = "gaps.department"
    PROCEDURE = "gaps.procedure"
    QUIZ = "gaps.quiz"


class InterviewAction(StrEnum):
    ANSWER = "interview.answer"  # suffixed with the option key
    GRADE = "interview.grade"  # suffixed with pass or fail


class MockAuditId(StrEnum):
    START = "mock_audit.start"  # the start modal's callback_id
    GRADE = "mock_audit.grade"  # the grade modal's callback_id
    CHANGE_GRADE = "mock_audit.change_grade"  # button opening the grade modal
    STANDARDS = "standards"
    DEPARTMENTS = "departments"
    CAP = "cap"
    HOURS = "hours"
    VERDICT = "verdict"
    NOTE = "note"


class BlockId(StrEnum):
    ANSWER = "answer"  # suffixed with the delivery id: answer:42


ANSWER_ACTION = re.compile(r"^quiz\.answer\.[a-z]+$")


def answer_block_id(delivery_id: int) -> str:
    return f"{BlockId.ANSWER}:{delivery_id}"


def delivery_from_block_id(block_id: str) -> int | None:
    """The delivery id carried in an answer block's id, or None if it isn't one of ours."""
    prefix, _, number = block_id.partition(":")
    if prefix != BlockId.ANSWER or not number.isdigit():
        return None
    return int(number)
