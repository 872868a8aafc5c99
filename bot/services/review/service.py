"""Deciding on drafted and flagged questions: approve, edit, reject or skip.

The bank file is the source of truth and changes first, checked whole before it is replaced;
each decision also leaves a `DraftReview` row, the trail of who decided what and why. One
decision at a time per question: a claim on the question's key, taken first in the unit of
work, makes a second click wait for the first and then find the question already decided.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.services.access import Caller
from bot.services.review import bank_files, edits, messages
from bot.services.review.bank_files import Located
from bot.services.review.edits import EditedFields, EditProblems
from bot.services.review.results import (
    AlreadyDecided,
    ChangedSinceSent,
    Decided,
    Decision,
    MessageRef,
    NotAReviewer,
    PendingQuestion,
    ReviewRefused,
    UnknownQuestion,
)
from bot.services.review.reviewers import may_review
from questions.bank_writer import remove_question, replace_question, set_status
from questions.model import Question, Rejection, Status
from storage.db import UnitOfWork
from storage.documents import DraftReview
from storage.once import claim

# How long a decision's claim stands; it only has to outlast the decision itself.
CLAIM_WINDOW = timedelta(minutes=1)
# Change a staged bank file, given the question as it stands.
Change = Callable[[Path], None]


class ReviewService:
    def __init__(
        self,
        *,
        uow: Callable[[], UnitOfWork],
        bank: Path,
        admins: Sequence[str],
        clock: Callable[[], datetime],
    ) -> None:
        self._uow = uow
        self.bank = bank
        self._admins = list(admins)
        self._clock = clock

    def pending(self, *, procedure: str | None = None) -> list[PendingQuestion]:
        """Every draft and flagged question, by procedure; only `procedure`'s when given."""
        return bank_files.pending_in(self.bank, procedure)

    def for_review(
        self, *, caller: Caller, question_id: str, seen: str | None = None
    ) -> PendingQuestion:
        """The question as it stands, if it still awaits review and the caller may review it."""
        located = self._located(question_id)
        self._authorise(caller, located)
        current = bank_files.pending_view(located.bank_file, located.question)
        if not located.pending:
            raise self._already(question_id)
        if not located.shown(seen):
            raise ChangedSinceSent(current, self._refreshed(current))
        return current

    def approve(self, *, caller: Caller, question_id: str, seen: str | None = None) -> Decided:
        """Mark the question approved, if the bank is still valid with it approved."""

        def change(located: Located) -> Change:
            problems = bank_files.incomplete(located.question)
            if problems:
                raise ReviewRefused(question_id, problems)
            return lambda path: set_status(path, question_id, Status.APPROVED)

        return self._decide(caller, question_id, seen, Decision.APPROVED, change)

    def reject(
        self, *, caller: Caller, question_id: str, reason: str, seen: str | None = None
    ) -> Decided:
        """Take the question out of the bank, remembering why so it is not drafted again."""
        reason = " ".join(reason.split())
        if not reason:
            raise ReviewRefused(question_id, ["reason: say why, so it is not drafted again"])

        def change(located: Located) -> Change:
            rejection = Rejection(
                prompt=located.question.prompt,
                reason=reason[:500],
                cites=located.question.cites,
                by=caller.recorded_as[:100],
                rejected_on=self._clock().date().isoformat(),
            )
            return lambda path: remove_question(path, question_id, rejection)

        return self._decide(caller, question_id, seen, Decision.REJECTED, change, reason=reason)

    def edit(
        self, *, caller: Caller, question_id: str, text: str, seen: str | None = None
    ) -> Decided:
        """Replace the question with the reviewer's YAML; it keeps its status until approved."""
        return self._edit(caller, question_id, seen, lambda q: edits.from_yaml(text, q))

    def edit_fields(
        self, *, caller: Caller, question_id: str, fields: EditedFields, seen: str | None = None
    ) -> Decided:
        """Replace the question's prompt, options, answer, explanation and section."""
        return self._edit(caller, question_id, seen, lambda q: edits.from_fields(fields, q))

    def skip(self, *, caller: Caller, question_id: str) -> Decided:
        """Leave the question for later; the trail notes that it was seen."""
        located = self._located(question_id)
        reviewer = self._authorise(caller, located)
        with self._uow() as work:
            self._record(work.session, located, Decision.SKIPPED, reviewer, None)
            work.commit()
        view = bank_files.pending_view(located.bank_file, located.question)
        return Decided(question_id, located.procedure, Decision.SKIPPED, reviewer, question=view)

    # -- the one way a decision is made ---------------------------------------------------

    def _edit(
        self,
        caller: Caller,
        question_id: str,
        seen: str | None,
        edited: Callable[[Question], Question],
    ) -> Decided:
        def change(located: Located) -> Change:
            try:
                question = edited(located.question)
            except EditProblems as error:
                raise ReviewRefused(question_id, error.problems) from error
            return lambda path: replace_question(path, question)

        return self._decide(caller, question_id, seen, Decision.EDITED, change)

    def _decide(
        self,
        caller: Caller,
        question_id: str,
        seen: str | None,
        decision: Decision,
        change: Callable[[Located], Change],
        *,
        reason: str | None = None,
    ) -> Decided:
        reviewer = self._authorise(caller, self._located(question_id))
        with self._uow() as work:
            # First, so that a second decision on this question waits here for this one.
            claim(work.session, key=f"review:{question_id}", now=self._clock(), window=CLAIM_WINDOW)
            located = bank_files.find(self.bank, question_id)
            if located is not None and located.pending and located.shown(seen):
                problems = bank_files.try_change(self.bank, located.path, change(located))
                if problems:
                    raise ReviewRefused(question_id, problems)
                self._record(work.session, located, decision, reviewer, reason)
                after = self._after(question_id, decision)
                fingerprint = after.fingerprint if after is not None else None
                refs = messages.settle(work.session, question_id, decision, reviewer, fingerprint)
                work.commit()
                return Decided(
                    question_id, located.procedure, decision, reviewer, reason, after, refs
                )
        # Nothing was decided; why is told outside the claim's transaction, which is over.
        if located is None or not located.pending:
            raise self._already(question_id)
        current = bank_files.pending_view(located.bank_file, located.question)
        raise ChangedSinceSent(current, self._refreshed(current))

    def _after(self, question_id: str, decision: Decision) -> PendingQuestion | None:
        if decision is Decision.REJECTED:
            return None
        located = bank_files.locate(self.bank, question_id)
        return bank_files.pending_view(located.bank_file, located.question)

    def _record(
        self,
        session: Session,
        located: Located,
        decision: Decision,
        reviewer: str,
        reason: str | None,
    ) -> None:
        session.add(
            DraftReview(
                procedure_code=located.procedure,
                question_code=located.question.id,
                decision=decision.value,
                reason=reason,
                reviewer=reviewer,
                decided_at=self._clock(),
            )
        )

    # -- who, and what was decided before ---------------------------------------------------

    def _located(self, question_id: str) -> Located:
        located = bank_files.find(self.bank, question_id)
        if located is not None:
            return located
        with self._uow() as work:
            known = _last_decision(work.session, question_id) is not None
        if known:
            raise self._already(question_id)
        raise UnknownQuestion(question_id)

    def _authorise(self, caller: Caller, located: Located) -> str:
        """Who the trail says decided; refuses a Slack user who may not review this procedure."""
        procedure = located.bank_file.procedure
        if caller.slack_user is not None:
            with self._uow() as work:
                allowed = may_review(
                    work.session,
                    slack_user=caller.slack_user,
                    procedure=procedure,
                    admins=self._admins,
                )
            if not allowed:
                raise NotAReviewer(procedure.id, procedure.owner)
        return caller.recorded_as

    def _already(self, question_id: str) -> AlreadyDecided:
        """Why there is nothing left to decide; the messages that still asked are closed."""
        with self._uow() as work:
            last = _last_decision(work.session, question_id)
            # Without a trail, it was approved by hand in the file: it no longer awaits review.
            decision = last.decision if last is not None else Decision.APPROVED.value
            by = last.reviewer if last is not None else None
            refs = messages.close(work.session, question_id, decision=decision, by=by)
            work.commit()
        at = last.decided_at if last is not None else None
        return AlreadyDecided(question_id, decision, by, at, refs)

    def _refreshed(self, current: PendingQuestion) -> list[MessageRef]:
        with self._uow() as work:
            refs = messages.refresh(work.session, current.question_id, current.fingerprint)
            work.commit()
        return refs


def _last_decision(session: Session, question_id: str) -> DraftReview | None:
    """The last approval or rejection of the question; edits and skips decide nothing."""
    final = (Decision.APPROVED.value, Decision.REJECTED.value)
    return session.scalar(
        select(DraftReview)
        .where(DraftReview.question_code == question_id, DraftReview.decision.in_(final))
        .order_by(DraftReview.decided_at.desc(), DraftReview.id.desc())
        .limit(1)
    )
