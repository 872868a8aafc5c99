from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services.access import OPERATOR, Caller, person
from bot.services.review.edits import EditedFields
from bot.services.review.results import (
    AlreadyDecided,
    ChangedSinceSent,
    Decision,
    NotAReviewer,
    ReviewRefused,
    UnknownQuestion,
)
from bot.services.review.service import ReviewService
from questions.bank_writer import question_yaml
from questions.loader import load_bank
from questions.model import Status
from storage.db import UnitOfWork
from storage.documents import DraftReview
from tests.bot.services.review.conftest import ADMIN, OWNER, QUALITY, STRANGER

CLI = Caller(slack_user=None, on_behalf="quinn")


def trail(uow: Callable[[], UnitOfWork]) -> list[tuple[str, str, str, str | None]]:
    with uow() as work:
        rows = work.session.scalars(select(DraftReview).order_by(DraftReview.id))
        return [(r.question_code, r.decision, r.reviewer, r.reason) for r in rows]


def questions_of(bank: Path, procedure: str) -> dict[str, Status]:
    files = {f.procedure.id: f for _, f in load_bank(bank).files}
    return {q.id: q.status for q in files[procedure].questions}


def complete(review: ReviewService, question_id: str) -> None:
    """Give the draft what approval needs, through an edit."""
    fields = EditedFields(
        prompt="Where does a suspect part go?",
        explanation="Quarantine keeps it from being used.",
        section="5.1",
        options="a: Back on the line\nb: Quarantine\nc: The bin",
        answer="b",
    )
    review.edit_fields(caller=CLI, question_id=question_id, fields=fields)


def test_pending_lists_drafts_and_flagged_with_owner_and_cites(review: ReviewService) -> None:
    found = {(p.question_id, p.status, p.owner) for p in review.pending()}
    assert found == {
        ("QP-08-101", "draft", "Quality Manager"),
        ("QP-08-102", "needs review", "Quality Manager"),
        ("QP-12-101", "draft", "Sales Manager"),
    }
    (qp12,) = review.pending(procedure="qp-12")
    assert qp12.cites == "Quarantine the part and raise an NCR."
    assert qp12.owner_slack_id == OWNER and qp12.correct == ["b"]


def test_approve_refuses_an_incomplete_draft_and_leaves_the_file_as_it_was(
    review: ReviewService, bank: Path, uow: Callable[[], UnitOfWork]
) -> None:
    before = (bank / "qp-08.yaml").read_bytes()
    with pytest.raises(ReviewRefused) as refused:
        review.approve(caller=CLI, question_id="QP-08-101")
    assert refused.value.problems == [
        "section: is missing; an approved question needs one",
        "explanation: is missing; an approved question needs one",
    ]
    assert (bank / "qp-08.yaml").read_bytes() == before
    assert trail(uow) == []


def test_approve_restores_the_file_when_the_bank_check_fails(
    review: ReviewService, bank: Path, uow: Callable[[], UnitOfWork]
) -> None:
    # Complete, but its prompt renders over Slack's limit once it is live: the check says so.
    path = bank / "qp-08.yaml"
    text = path.read_text().replace("Complete already?", "<&>" * 230)
    path.write_text(text)
    before = path.read_bytes()
    with pytest.raises(ReviewRefused) as refused:
        review.approve(caller=CLI, question_id="QP-08-102")
    assert any("QP-08-102" in p and "characters" in p for p in refused.value.problems)
    assert str(bank) in refused.value.problems[0]
    assert path.read_bytes() == before
    assert trail(uow) == []


def test_approve_marks_it_approved_and_records_the_decision(
    review: ReviewService, bank: Path, uow: Callable[[], UnitOfWork]
) -> None:
    complete(review, "QP-08-101")
    decided = review.approve(caller=CLI, question_id="QP-08-101")
    assert decided.decision is Decision.APPROVED and decided.reviewer == "quinn"
    assert questions_of(bank, "QP-08")["QP-08-101"] is Status.APPROVED
    assert "status" not in question_yaml(load_bank(bank).files[0][1].questions[1])
    assert trail(uow) == [
        ("QP-08-101", "edited", "quinn", None),
        ("QP-08-101", "approved", "quinn", None),
    ]


def test_a_second_approval_records_nothing_and_says_who_decided(
    review: ReviewService, uow: Callable[[], UnitOfWork]
) -> None:
    review.approve(caller=person(QUALITY), question_id="QP-08-102")
    with pytest.raises(AlreadyDecided) as already:
        review.approve(caller=person(QUALITY), question_id="QP-08-102")
    assert (already.value.decision, already.value.reviewer) == ("approved", QUALITY)
    assert [row[1] for row in trail(uow)] == ["approved"]


def test_reject_removes_it_and_remembers_the_prompt_and_reason(
    review: ReviewService, bank: Path, uow: Callable[[], UnitOfWork], clock: Callable[[], datetime]
) -> None:
    decided = review.reject(
        caller=CLI, question_id="QP-08-101", reason="  Too easy;  asks  nothing "
    )
    assert decided.question is None
    (bank_file,) = [f for _, f in load_bank(bank).files if f.procedure.id == "QP-08"]
    assert "QP-08-101" not in {q.id for q in bank_file.questions}
    (rejection,) = bank_file.rejected
    assert rejection.prompt == "What does QP-08-101 ask?"
    assert (rejection.reason, rejection.by) == ("Too easy; asks nothing", "quinn")
    assert rejection.cites == "Quarantine the part and raise an NCR."
    assert rejection.rejected_on == clock().date().isoformat()
    assert trail(uow) == [("QP-08-101", "rejected", "quinn", "Too easy; asks nothing")]
    with pytest.raises(AlreadyDecided) as again:
        review.reject(caller=CLI, question_id="QP-08-101", reason="twice")
    assert again.value.decision == "rejected"


def test_reject_needs_a_reason(review: ReviewService, bank: Path) -> None:
    with pytest.raises(ReviewRefused, match="reason"):
        review.reject(caller=CLI, question_id="QP-08-101", reason="   ")
    assert "QP-08-101" in questions_of(bank, "QP-08")


def test_edit_keeps_the_status_and_replaces_the_question(review: ReviewService, bank: Path) -> None:
    (pending,) = [p for p in review.pending() if p.question_id == "QP-08-101"]
    text = pending.yaml.replace("What does QP-08-101 ask?", "What do you do first?")
    text = text.replace("status: draft", "status: approved")
    decided = review.edit(caller=CLI, question_id="QP-08-101", text=text)
    assert decided.question is not None and decided.question.prompt == "What do you do first?"
    assert questions_of(bank, "QP-08")["QP-08-101"] is Status.DRAFT


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace("id: QP-08-101", "id: QP-08-999"), "id: must stay QP-08-101"),
        (lambda t: t.replace("answer: b", "answer: d"), "answer: names option 'd'"),
        (lambda t: t.replace("kind: single", "kind: true_false"), "options:"),
        (lambda t: t + "colour: red\n", "unknown field 'colour'"),
        (lambda t: "prompt: [unclosed", "not valid YAML"),
    ],
)
def test_an_invalid_edit_is_refused_and_changes_nothing(
    review: ReviewService, bank: Path, change: Callable[[str], str], problem: str
) -> None:
    (pending,) = [p for p in review.pending() if p.question_id == "QP-08-101"]
    before = (bank / "qp-08.yaml").read_bytes()
    with pytest.raises(ReviewRefused) as refused:
        review.edit(caller=CLI, question_id="QP-08-101", text=change(pending.yaml))
    assert any(problem in p for p in refused.value.problems), refused.value.problems
    assert (bank / "qp-08.yaml").read_bytes() == before


def test_edit_fields_parses_options_and_answer(review: ReviewService) -> None:
    fields = EditedFields(
        prompt="P", explanation="E", section="1", options="a: One\nb) Two\nnonsense", answer="a"
    )
    with pytest.raises(ReviewRefused) as refused:
        review.edit_fields(caller=CLI, question_id="QP-08-101", fields=fields)
    assert refused.value.problems == ["options: line 3 should read like 'a: the option's text'"]


def test_a_decision_on_an_older_text_is_refused(review: ReviewService) -> None:
    (pending,) = [p for p in review.pending() if p.question_id == "QP-08-101"]
    complete(review, "QP-08-101")
    with pytest.raises(ChangedSinceSent) as changed:
        review.approve(caller=CLI, question_id="QP-08-101", seen=pending.fingerprint)
    assert changed.value.current.prompt == "Where does a suspect part go?"


def test_skip_records_and_changes_nothing(
    review: ReviewService, bank: Path, uow: Callable[[], UnitOfWork]
) -> None:
    before = (bank / "qp-08.yaml").read_bytes()
    review.skip(caller=CLI, question_id="QP-08-101")
    assert (bank / "qp-08.yaml").read_bytes() == before
    assert trail(uow) == [("QP-08-101", "skipped", "quinn", None)]


def test_unknown_question(review: ReviewService) -> None:
    with pytest.raises(UnknownQuestion):
        review.approve(caller=OPERATOR, question_id="QP-08-404")


# -- who may review ------------------------------------------------------------------------


def test_the_owner_named_by_slack_id_may_review_and_the_role_alone_may_not(
    review: ReviewService,
) -> None:
    assert review.for_review(caller=person(OWNER), question_id="QP-12-101").procedure == "QP-12"
    with pytest.raises(NotAReviewer):
        review.for_review(caller=person(QUALITY), question_id="QP-12-101")


def test_the_owner_by_roster_role_may_review_whatever_its_case(review: ReviewService) -> None:
    decided = review.reject(caller=person(QUALITY), question_id="QP-08-101", reason="vague")
    assert decided.reviewer == QUALITY


def test_an_admin_may_review_any_procedure(
    review: ReviewService, uow: Callable[[], UnitOfWork], bank: Path, clock: Callable
) -> None:
    review.skip(caller=person(ADMIN), question_id="QP-12-101")
    by_setting = ReviewService(uow=uow, bank=bank, admins=["U0SETTING"], clock=clock)
    by_setting.skip(caller=person("U0SETTING"), question_id="QP-08-101")


@pytest.mark.parametrize("question_id", ["QP-08-101", "QP-12-101"])
def test_a_stranger_is_refused_and_nothing_changes(
    review: ReviewService, bank: Path, uow: Callable[[], UnitOfWork], question_id: str
) -> None:
    before = {p.name: p.read_bytes() for p in bank.iterdir()}
    for attempt in (
        lambda: review.approve(caller=person(STRANGER), question_id=question_id),
        lambda: review.reject(caller=person(STRANGER), question_id=question_id, reason="no"),
        lambda: review.skip(caller=person(STRANGER), question_id=question_id),
        lambda: review.for_review(caller=person("U0NOBODY"), question_id=question_id),
    ):
        with pytest.raises(NotAReviewer):
            attempt()
    assert {p.name: p.read_bytes() for p in bank.iterdir()} == before
    assert trail(uow) == []
