"""Learning from a confirmation over HTTP: an admin's grade decides the near copies that follow.

The bank is one open question for everyone (INT-09-001: tag it, quarantine it, tell quality;
two of three to pass). Helen (an admin) starts a round in Sales: three people, one question
each, interviewed one after another.

1. The first says LABELLED: one key point and the rest in other words, so the grader is
   unsure, and Helen gets the answer to grade. She presses Pass.
2. The second says a near copy of it: graded pass like LABELLED, marked learnt, and nothing
   goes to Helen.
3. The third says it in the negative: left to the grader, whatever it decides.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.sandbox.requests import message_ts
from bot.services.bank import sync_bank
from questions.loader import load_bank
from storage import models
from tests.bot.services.helpers import procedure_file, write_bank
from tests.bot.services.mock_audit.test_service import open_question
from tests.e2e.harness import E2E
from tests.e2e.interviews import (
    InterviewThread,
    await_grade_notice,
    await_thread,
    click_button,
    interview_threads,
    start_mock_audit,
    stored_text,
    thread_reply_body,
)
from tests.e2e.workspace import HELEN, MOCK_SALES

LABELLED = "Label it and keep it apart from good stock"
NEAR_COPY = "I'd label it, and keep it apart from the good stock."
NEGATED = "I would label it and not keep it apart from good stock"

Message = dict[str, Any]


def test_an_admins_pass_decides_the_near_copies_that_follow(mock_company: E2E) -> None:
    e2e = mock_company
    folder = write_bank(e2e.workdir / "learning-bank", [
        procedure_file("INT-09", [open_question("INT-09-001", "problems")])
    ])  # fmt: skip
    sync_bank(uow=e2e.runtime.uow, bank=load_bank(folder), now=e2e.clock())
    round_id, _modal = start_mock_audit(e2e, HELEN, departments=["Sales"], cap=3)
    first, second, third = interview_threads(e2e, round_id, MOCK_SALES)["Sales"]

    confirmed = _reply(e2e, first, LABELLED)
    assert _graded(e2e, confirmed)[:2] == ("unsure", "grader")
    review = _review_dm(e2e, confirmed)
    assert LABELLED in stored_text(review)
    click_button(e2e, HELEN, review, "interview.grade.pass")
    await_grade_notice(e2e, HELEN, "pass")
    assert _graded(e2e, confirmed)[:2] == ("pass", HELEN.id)

    copy = _reply(e2e, second, NEAR_COPY)
    verdict, by, note = _graded(e2e, copy)
    assert (verdict, by) == ("pass", "learnt")
    assert note.startswith("Decided like a confirmed reply (")
    assert note.endswith(f'"{LABELLED}" was confirmed pass by an admin.')
    assert _history(e2e, copy) == [("unsure", "grader", None), ("pass", "learnt", confirmed)]

    negated = _reply(e2e, third, NEGATED)
    verdict, by, _note = _graded(e2e, negated)
    assert by == "grader" and verdict != "pass"
    assert [who for _, who, _ in _history(e2e, negated)] == ["grader"]

    # Only the grader's unsure answers reached Helen: the learnt one never did.
    reviews = [_review_item(m) for m in e2e.sandbox.messages(HELEN.id) if _review_item(m)]
    assert reviews == [confirmed] + ([negated] if verdict == "unsure" else [])


def _reply(e2e: E2E, thread: InterviewThread, text: str) -> int:
    """The person replies to their one question; the interview's item, once they are thanked."""
    (question,) = await_thread(e2e, thread, 1)
    body = thread_reply_body(thread, text=text, ts=message_ts())
    assert e2e.slack.json(body).status_code == 200
    thanks = await_thread(e2e, thread, 2)[-1]
    assert "that's the whole interview" in thanks["text"]
    with e2e.session() as session:
        item = session.scalars(
            select(models.InterviewItem).where(models.InterviewItem.asked_ts == question["ts"])
        ).one()
        assert item.reply == text
        return item.id


def _graded(e2e: E2E, item_id: int) -> tuple[str, str, str]:
    with e2e.session() as session:
        item = session.get_one(models.InterviewItem, item_id)
        return item.verdict or "", item.graded_by or "", item.grade_note or ""


def _history(e2e: E2E, item_id: int) -> list[tuple[str, str, int | None]]:
    with e2e.session() as session:
        changes = session.scalars(
            select(models.GradeChange)
            .where(models.GradeChange.item_id == item_id)
            .order_by(models.GradeChange.id)
        )
        return [(c.verdict, c.by, c.learnt_from) for c in changes]


def _review_item(message: Message) -> int | None:
    """The item an admin's review request is about, if `message` is one."""
    for block in message.get("blocks") or []:
        if str(block.get("block_id", "")).startswith("review:"):
            return int(block["block_id"].split(":")[1])
    return None


def _review_dm(e2e: E2E, item_id: int) -> Message:
    (message,) = [m for m in e2e.sandbox.messages(HELEN.id) if _review_item(m) == item_id]
    return message
