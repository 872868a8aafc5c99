"""Which pending questions go to whom in Slack, each asked of each reviewer once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.services.review import bank_files, messages
from bot.services.review.results import PendingQuestion, Posting
from bot.services.review.reviewers import owners_of
from storage.db import UnitOfWork


class ReviewPosting:
    def __init__(
        self, *, uow: Callable[[], UnitOfWork], bank: Path, clock: Callable[[], datetime]
    ) -> None:
        self._uow = uow
        self.bank = bank
        self._clock = clock

    def to_post(self, *, procedure: str | None = None) -> list[Posting]:
        """Every pending question with its procedure's owners (none when nobody has the role)."""
        postings = []
        with self._uow() as work:
            for _path, bank_file in bank_files.bank_files(self.bank):
                if (
                    procedure is not None
                    and bank_file.procedure.id.casefold() != procedure.casefold()
                ):
                    continue
                owners = owners_of(work.session, bank_file.procedure)
                postings += [
                    Posting(bank_files.pending_view(bank_file, question), owners)
                    for question in bank_file.questions
                    if not question.is_live
                ]
        return postings

    def claim(self, *, question: PendingQuestion, slack_user: str) -> int | None:
        """A claim to post this question to this person; None when a message already asks."""
        with self._uow() as work:
            claimed = messages.claim_post(
                work.session,
                procedure=question.procedure,
                question_id=question.question_id,
                slack_user=slack_user,
                fingerprint=question.fingerprint,
                now=self._clock(),
            )
            work.commit()
        return claimed

    def posted(self, *, message_id: int, channel: str, ts: str) -> None:
        with self._uow() as work:
            messages.posted(work.session, message_id=message_id, channel=channel, ts=ts)
            work.commit()

    def failed(self, *, message_id: int) -> None:
        """The post failed: the next run tries again."""
        with self._uow() as work:
            messages.release(work.session, message_id=message_id)
            work.commit()
