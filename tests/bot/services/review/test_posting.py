from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from bot.services.access import person
from bot.services.review.posting import ReviewPosting
from bot.services.review.results import AlreadyDecided, MessageRef
from bot.services.review.service import ReviewService
from storage.db import UnitOfWork
from storage.documents import DraftReview
from storage.review_messages import ReviewMessage
from tests.bot.services.review.conftest import OWNER, QUALITY
from tests.conftest import Clock


@pytest.fixture
def posting(uow: Callable[[], UnitOfWork], bank: Path, people: None, clock: Clock) -> ReviewPosting:
    return ReviewPosting(uow=uow, bank=bank, clock=clock)


def test_each_question_goes_to_its_procedures_owners(posting: ReviewPosting) -> None:
    found = {(p.question.question_id, tuple(p.reviewers)) for p in posting.to_post()}
    assert found == {
        ("QP-08-101", (QUALITY,)),
        ("QP-08-102", (QUALITY,)),
        ("QP-12-101", (OWNER,)),
    }
    assert [p.question.question_id for p in posting.to_post(procedure="QP-12")] == ["QP-12-101"]


def test_a_question_is_claimed_once_per_reviewer_until_decided(
    posting: ReviewPosting, review: ReviewService
) -> None:
    (item,) = [p for p in posting.to_post() if p.question.question_id == "QP-08-102"]
    first = posting.claim(question=item.question, slack_user=QUALITY)
    assert first is not None
    assert posting.claim(question=item.question, slack_user=QUALITY) is None
    assert posting.claim(question=item.question, slack_user=OWNER) is not None
    posting.posted(message_id=first, channel="D0QUAL", ts="1.000100")
    decided = review.approve(caller=person(QUALITY), question_id="QP-08-102")
    # Only the message that was posted is there to update.
    assert decided.messages == [MessageRef(QUALITY, "D0QUAL", "1.000100")]
    # Decided, its rows are closed: were it flagged again, it could be asked again.
    assert posting.claim(question=item.question, slack_user=QUALITY) is not None


def test_the_database_holds_one_open_message_per_question_and_reviewer(
    uow: Callable[[], UnitOfWork], clock: Clock
) -> None:
    row = {
        "procedure_code": "QP-08",
        "question_code": "QP-08-101",
        "slack_user": QUALITY,
        "fingerprint": "f",
        "claimed_at": clock(),
    }
    with uow() as work:
        # Decided rows hold NULL, which a unique key never counts; the one open row holds true.
        work.session.execute(insert(ReviewMessage.__table__), [{**row, "open": None}] * 2)
        work.session.add(ReviewMessage(**row, open=True))
        work.commit()
    with uow() as work, pytest.raises(IntegrityError):
        work.session.add(ReviewMessage(**row, open=True))
        work.session.flush()


def test_a_failed_post_is_claimed_again_and_so_is_one_left_half_done(
    posting: ReviewPosting, clock: Clock
) -> None:
    item = posting.to_post()[0]
    failed = posting.claim(question=item.question, slack_user=QUALITY)
    assert failed is not None
    posting.failed(message_id=failed)
    stuck = posting.claim(question=item.question, slack_user=QUALITY)
    assert stuck is not None
    assert posting.claim(question=item.question, slack_user=QUALITY) is None
    clock.advance(minutes=6)  # the process that claimed it died before recording the post
    assert posting.claim(question=item.question, slack_user=QUALITY) == stuck


def test_two_approvals_at_once_record_one(
    review: ReviewService, uow: Callable[[], UnitOfWork]
) -> None:
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def approve() -> None:
        start.wait()
        try:
            review.approve(caller=person(QUALITY), question_id="QP-08-102")
            outcomes.append("approved")
        except AlreadyDecided:
            outcomes.append("already")

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "approved"]
    with uow() as work:
        decisions = work.session.scalars(select(DraftReview.decision)).all()
    assert decisions == ["approved"]
