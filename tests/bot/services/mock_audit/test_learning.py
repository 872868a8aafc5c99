"""Replies graded like a reply an admin confirmed, on SQLite and PostgreSQL.

Each interview of the test bank asks a closed question, then the open one (INT-01-002, three
key points, pass mark 2). LABELLED meets one key point and says the rest in words the key
points lack, so the grader is unsure of it and of its near copies; an admin decides.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services.mock_audit.results import ReplyOutcome
from storage import models
from storage.db import UnitOfWork
from tests.bot.services.helpers import procedure_file, sync, write_bank
from tests.bot.services.mock_audit.interviews import (
    LABELLED,
    LABELLED_AGAIN,
    NEAR_COPY,
    Interviews,
    interviewing,
)
from tests.bot.services.mock_audit.test_service import closed_question, open_question
from tests.conftest import Clock

NEGATED = "I would label it and not keep it apart from good stock"
CONFIRMED_PASS = f'"{LABELLED}" was confirmed pass by an admin.'

History = list[tuple[str, str, int | None]]  # (verdict, by, learnt from)


@pytest.fixture
def interviews(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> Interviews:
    return interviewing(uow, clock, tmp_path)


def history(uow: Callable[[], UnitOfWork], outcome: ReplyOutcome) -> History:
    with uow() as work:
        changes = work.session.scalars(
            select(models.GradeChange)
            .where(models.GradeChange.item_id == outcome.item_id)
            .order_by(models.GradeChange.id)
        )
        return [(c.verdict, c.by, c.learnt_from) for c in changes]


def graded(uow: Callable[[], UnitOfWork], outcome: ReplyOutcome) -> tuple[str, str, str]:
    with uow() as work:
        item = work.session.get_one(models.InterviewItem, outcome.item_id)
        return item.verdict or "", item.graded_by or "", item.grade_note or ""


def test_a_near_copy_of_a_confirmed_reply_is_graded_like_it(
    interviews: Interviews, uow: Callable[[], UnitOfWork]
) -> None:
    confirmed = interviews.answer(LABELLED)
    assert confirmed.verdict == "unsure"
    interviews.grade(confirmed, "pass")

    copy = interviews.answer(NEAR_COPY)

    assert copy.verdict == "pass"  # what the Slack flow reads: nothing goes to the admins
    verdict, by, note = graded(uow, copy)
    assert (verdict, by) == ("pass", "learnt")
    assert note.startswith("Decided like a confirmed reply (") and note.endswith(CONFIRMED_PASS)
    assert history(uow, copy) == [("unsure", "grader", None), ("pass", "learnt", confirmed.item_id)]


def test_a_negated_copy_is_left_to_the_grader(
    interviews: Interviews, uow: Callable[[], UnitOfWork]
) -> None:
    interviews.grade(interviews.answer(LABELLED), "pass")

    negated = interviews.answer(NEGATED)

    assert graded(uow, negated)[:2] == (negated.verdict, "grader") and negated.verdict != "pass"
    assert [by for _, by, _ in history(uow, negated)] == ["grader"]


def test_only_an_admins_grade_teaches(
    interviews: Interviews, uow: Callable[[], UnitOfWork]
) -> None:
    interviews.answer(LABELLED)  # the grader's unsure grade, never confirmed

    copy = interviews.answer(NEAR_COPY)

    assert graded(uow, copy)[:2] == ("unsure", "grader")


def test_an_admin_can_regrade_a_learnt_reply_and_then_the_two_disagree(
    interviews: Interviews, uow: Callable[[], UnitOfWork]
) -> None:
    interviews.grade(interviews.answer(LABELLED), "pass")
    learnt = interviews.answer(NEAR_COPY)
    interviews.grade(learnt, "fail")
    assert [(v, by) for v, by, _ in history(uow, learnt)] == [
        ("unsure", "grader"), ("pass", "learnt"), ("fail", "UADMIN")
    ]  # fmt: skip

    # One admin passed LABELLED, another failed its near copy: a person decides again.
    third = interviews.answer(LABELLED_AGAIN)

    assert graded(uow, third)[:2] == ("unsure", "grader")


def test_a_learnt_grade_teaches_nothing_itself(
    interviews: Interviews, uow: Callable[[], UnitOfWork]
) -> None:
    confirmed = interviews.answer(LABELLED)
    interviews.grade(confirmed, "pass")
    interviews.answer(NEAR_COPY)  # learnt pass
    interviews.grade(confirmed, "fail")  # the admin thinks again

    # Were the learnt pass a confirmation, the two would disagree and nothing be learnt.
    third = interviews.answer(LABELLED_AGAIN)

    assert graded(uow, third)[:2] == ("fail", "learnt")
    assert history(uow, third)[-1] == ("fail", "learnt", confirmed.item_id)


def test_a_reply_delivered_twice_is_graded_and_learnt_once(
    interviews: Interviews, uow: Callable[[], UnitOfWork]
) -> None:
    interviews.grade(interviews.answer(LABELLED), "pass")

    copy = interviews.answer(NEAR_COPY, again=True)

    assert [by for _, by, _ in history(uow, copy)] == ["grader", "learnt"]


def test_a_new_version_of_the_question_learns_from_its_own_confirmations(
    interviews: Interviews, uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path
) -> None:
    interviews.grade(interviews.answer(LABELLED), "pass")
    revised = {**open_question("INT-01-002", "problems"), "prompt": "What do you do now?"}
    bank = [procedure_file("INT-01", [closed_question("INT-01-001", "policy"), revised])]
    sync(uow, write_bank(tmp_path, bank), clock.now)
    interviews.start_round()  # its interviews ask version 2

    copy = interviews.answer(NEAR_COPY)

    assert graded(uow, copy)[:2] == ("unsure", "grader")
