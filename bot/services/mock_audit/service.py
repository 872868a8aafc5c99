"""Mock audit rounds: sample staff, interview them one question at a time, grade, close."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.domain.mock_audit.sampling import SamplingRules, sample_staff
from bot.services.access import Access, Caller
from bot.services.mock_audit.findings import MIN_PEOPLE, MockReport, mock_report
from bot.services.mock_audit.interview_plan import interview_plan
from bot.services.mock_audit.learning import GRADER, learn_from_confirmations
from bot.services.mock_audit.model_review import SecondOpinion, ask_second_opinion
from bot.services.mock_audit.records import (
    candidates,
    current_item,
    find_round,
    interview_in_thread,
    next_question,
    reply_refusal,
    set_grade,
    staged_bank,
)
from bot.services.mock_audit.results import (
    AnswerOnRecord,
    ForReview,
    InterviewQuestion,
    Invitation,
    MockPlan,
    MockStarted,
    ReplyOutcome,
)
from questions.grading import Grading, Verdict, grade_open_answer
from storage import models, once
from storage.db import UnitOfWork
from storage.queries import roster_departments

# A start form submitted again within this time is the same request (Slack's modals close on
# success, so a second submission of one view is a double click or a retry).
REPEAT_WINDOW = timedelta(days=1)


class MockAuditService:
    """Admins run rounds and see individual answers; managers read their departments' findings."""

    def __init__(
        self,
        *,
        uow: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        access: Access,
        min_people: int = MIN_PEOPLE,
        second_opinion: SecondOpinion | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._access = access
        self._min_people = min_people
        self._second_opinion = second_opinion

    def start(
        self, *, caller: Caller, plan: MockPlan, request_key: str | None = None
    ) -> MockStarted:
        """Open a round, sample staff and plan each interview; nothing is sent yet.

        With a `request_key` (the start form's view id), the same form sent again opens nothing
        and returns the round the first one opened, marked `repeat_of`.
        """
        self._access.admin(caller)
        now = self._clock()
        seed = plan.seed if plan.seed is not None else int(now.timestamp()) % 1_000_000
        with self._uow() as work:
            if request_key is not None:
                claimed = once.claim(work.session, key=request_key, now=now, window=REPEAT_WINDOW)
                if not claimed.first and claimed.result is not None:
                    first = find_round(work, int(claimed.result))
                    return MockStarted(first.id, first.seed, [], repeat_of=claimed.since)
            round_ = models.MockRound(
                status="open",
                standards=plan.standards,
                departments=plan.departments,
                per_department_cap=plan.per_department_cap,
                seed=seed,
                opened_by=caller.recorded_as,
                opened_at=now,
                closes_at=now + timedelta(hours=plan.hours_open),
            )
            work.session.add(round_)
            work.session.flush()
            invitations = self._invite(work, round_, plan, seed, now)
            if request_key is not None:
                once.remember(work.session, key=request_key, result=str(round_.id))
            work.commit()
        return MockStarted(round_.id, seed, invitations)

    def _invite(
        self, work: UnitOfWork, round_: models.MockRound, plan: MockPlan, seed: int, now: datetime
    ) -> list[Invitation]:
        session = work.session
        sampled = sample_staff(
            candidates(session),
            departments=plan.departments,
            today=now.date(),
            seed=seed,
            rules=SamplingRules(cap_per_department=plan.per_department_cap),
        )
        bank = staged_bank(session)
        invitations = []
        for pick in sampled:
            questions = interview_plan(
                bank,
                department=pick.department,
                role=pick.role,
                standards=plan.standards,
                seed=zlib.crc32(f"{seed}:{pick.person_id}".encode()),
            )
            if not questions:
                continue
            interview = models.Interview(
                mock_round_id=round_.id,
                person_id=pick.person_id,
                department=pick.department,
                role=pick.role,
                reason=pick.reason[:60],
                status="invited",
            )
            session.add(interview)
            session.flush()
            for position, question in enumerate(questions):
                session.add(
                    models.InterviewItem(
                        interview_id=interview.id,
                        position=position,
                        question_version_id=question.version_id,
                        question_code=question.code,
                        stage=question.stage.value,
                    )
                )
            person = session.get_one(models.Person, pick.person_id)
            invitations.append(
                Invitation(interview.id, person.slack_id, pick.department, pick.role)
            )
        return invitations

    def opened(
        self, *, interview_id: int, channel: str, thread_ts: str
    ) -> InterviewQuestion | None:
        """Remember the interview's thread and hand back its first question."""
        with self._uow() as work:
            interview = work.session.get_one(models.Interview, interview_id)
            interview.channel, interview.thread_ts = channel, thread_ts
            interview.status = "in_progress"
            question = next_question(interview)
            work.commit()
        return question

    def asked(self, *, item_id: int, ts: str) -> None:
        with self._uow() as work:
            work.session.get_one(models.InterviewItem, item_id).asked_ts = ts
            work.commit()

    def reply(
        self,
        *,
        slack_user: str,
        thread_ts: str,
        text: str,
        reply_ts: str,
        event_id: str | None = None,
    ) -> ReplyOutcome:
        """Record and grade the first reply to the current question; later ones change nothing.

        Slack's redelivery of the same event (`event_id`), or of the same message (`reply_ts`),
        is refused by unique keys in this transaction, so it is never graded twice, even while
        the first delivery is still being processed.
        """
        now = self._clock()
        with self._uow() as work:
            if event_id is not None and not once.first_delivery(
                work.session, event_id=event_id, now=now
            ):
                return ReplyOutcome(recorded=False, ignored_because="already recorded")
            interview = interview_in_thread(work, thread_ts, lock=True)
            refusal = reply_refusal(interview, slack_user, now)
            if refusal is not None or interview is None:
                return ReplyOutcome(recorded=False, ignored_because=refusal or "unknown thread")
            if any(i.reply_ts == reply_ts for i in interview.items):
                return ReplyOutcome(recorded=False, ignored_because="already recorded")
            item = current_item(interview)
            if item is None:
                return ReplyOutcome(recorded=False, ignored_because="interview finished")
            if item.question_version.kind != "open":
                return ReplyOutcome(recorded=False, ignored_because="use the buttons")
            version = item.question_version
            grading = grade_open_answer(
                text,
                version.key_points or [],
                version.pass_mark or 1,
                contradicts=version.contradicts or (),
                vocabulary=version.vocabulary,
            )
            item.reply, item.reply_ts, item.answered_at = text[:4000], reply_ts, now
            set_grade(
                work, item, grading.verdict.value, GRADER, now, grading.reason, grading.points_met
            )
            learn_from_confirmations(work, item, now)
            try:
                outcome = self._advance(work, interview, item)
            except IntegrityError:
                return ReplyOutcome(recorded=False, ignored_because="already recorded")
        return self._with_second_opinion(outcome, grading)

    def _with_second_opinion(self, outcome: ReplyOutcome, grading: Grading) -> ReplyOutcome:
        # Asked once the reply is committed, so no lock waits on the model.
        item_id, model = outcome.item_id, self._second_opinion
        if model is None or item_id is None or outcome.verdict != Verdict.UNSURE:
            return outcome
        verdict = ask_second_opinion(
            uow=self._uow, clock=self._clock, second_opinion=model, item_id=item_id, grading=grading
        )
        return replace(outcome, verdict=verdict)

    def choose(self, *, slack_user: str, item_id: int, choice: list[str]) -> ReplyOutcome:
        """A button answer to a closed interview question; only the first click counts."""
        now = self._clock()
        with self._uow() as work:
            item = work.session.get(models.InterviewItem, item_id)
            interview = item.interview if item else None
            refusal = reply_refusal(interview, slack_user, now)
            if refusal is not None or item is None or interview is None:
                return ReplyOutcome(recorded=False, ignored_because=refusal or "unknown question")
            if item.reply is not None:
                return ReplyOutcome(recorded=False, ignored_because="already recorded")
            if current_item(interview) is not item:
                # A click can name any item id; only the question asked now may be answered.
                return ReplyOutcome(recorded=False, ignored_because="not the question being asked")
            right = sorted(choice) == sorted(item.question_version.correct)
            item.reply, item.answered_at = ",".join(sorted(choice)), now
            verdict = "pass" if right else "fail"
            set_grade(work, item, verdict, GRADER, now, None, None)
            return self._advance(work, interview, item)

    def _advance(
        self, work: UnitOfWork, interview: models.Interview, item: models.InterviewItem
    ) -> ReplyOutcome:
        following = next_question(interview)
        if following is None:
            interview.status = "completed"
        work.commit()
        return ReplyOutcome(True, item.verdict, item.id, following, following is None)

    def override(self, *, caller: Caller, item_id: int, verdict: str, note: str | None) -> None:
        """An admin's grade replaces the grader's; both stay in the grade history."""
        self._access.admin(caller)
        by = caller.recorded_as
        with self._uow() as work:
            item = work.session.get_one(models.InterviewItem, item_id)
            set_grade(work, item, verdict, by, self._clock(), note, item.points_met)
            work.commit()

    def close(self, *, caller: Caller, round_id: int) -> int:
        """End a round; people who never replied are recorded as not available for interview."""
        self._access.admin(caller)
        by, now = caller.recorded_as, self._clock()
        with self._uow() as work:
            round_ = find_round(work, round_id)
            if round_.status != "open":
                return 0
            round_.status, round_.ended_by, round_.ended_at = "closed", by, now
            silent = 0
            for interview in work.session.scalars(
                select(models.Interview).where(models.Interview.mock_round_id == round_id)
            ):
                if not any(i.reply is not None for i in interview.items):
                    interview.status, silent = "unavailable", silent + 1
            work.commit()
        return silent

    def cancel(self, *, caller: Caller, round_id: int) -> None:
        """Call a round off: no findings are written, and later replies are ignored."""
        self._access.admin(caller)
        with self._uow() as work:
            round_ = find_round(work, round_id)
            round_.status, round_.ended_at = "cancelled", self._clock()
            round_.ended_by = caller.recorded_as
            work.commit()

    def time_zone_of(self, *, slack_user: str) -> str:
        with self._uow() as work:
            tz = work.session.scalar(
                select(models.Person.tz).where(models.Person.slack_id == slack_user)
            )
        return tz or "UTC"

    def question_count(self, *, interview_id: int) -> int:
        with self._uow() as work:
            return len(work.session.get_one(models.Interview, interview_id).items)

    def item_for_review(self, *, caller: Caller, item_id: int) -> ForReview:
        """The question and a person's reply: only admins may see individual answers."""
        self._access.admin(caller)
        with self._uow() as work:
            item = work.session.get_one(models.InterviewItem, item_id)
            return ForReview(item.question_version.prompt, item.reply or "", item.grade_note or "")

    def departments(self, *, caller: Caller) -> list[str]:
        """The departments a round may sample, for the start form: admins only."""
        self._access.admin(caller)
        with self._uow() as work:
            return roster_departments(work.session)

    def findings(self, *, caller: Caller, round_id: int) -> MockReport:
        """The findings of a round over the departments the caller may see.

        Findings name nobody, so a manager may read those of their own departments, with groups
        of fewer than the minimum people withheld; an admin sees every count.
        """
        scope = self._access.viewer(caller)
        return mock_report(
            self._uow, round_id=round_id, departments=scope.departments, min_people=self._min_people
        )

    def answers(self, *, caller: Caller, round_id: int) -> list[AnswerOnRecord]:
        """Every answer of a round with its grade and who set it: for admins only."""
        self._access.admin(caller)
        with self._uow() as work:
            find_round(work, round_id)
            rows = work.session.scalars(
                select(models.InterviewItem)
                .join(models.Interview, models.Interview.id == models.InterviewItem.interview_id)
                .where(models.Interview.mock_round_id == round_id)
                .where(models.InterviewItem.reply.is_not(None))
                .order_by(models.Interview.department, models.InterviewItem.id)
            )
            return [
                AnswerOnRecord(
                    i.id,
                    i.interview.department,
                    i.interview.role,
                    i.question_version.prompt,
                    i.reply or "",
                    i.verdict or "",
                    i.graded_by or "",
                )
                for i in rows
            ]

    def closes_at(self, *, round_id: int) -> datetime:
        with self._uow() as work:
            return find_round(work, round_id).closes_at

    def due_to_close(self) -> list[int]:
        """Open rounds whose window has ended."""
        with self._uow() as work:
            return list(
                work.session.scalars(
                    select(models.MockRound.id)
                    .where(models.MockRound.status == "open")
                    .where(models.MockRound.closes_at <= self._clock())
                )
            )
