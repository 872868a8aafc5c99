"""Sending a person a question and recording their answer as audit evidence."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.services.quiz.history import Histories, current_versions
from bot.services.staff import NotInWorkspace, SlackDirectory, ensure_person
from storage import models, once
from storage.db import UnitOfWork, retry_conflicts
from storage.queries import Progress as Progress
from storage.queries import person_progress


@dataclass(frozen=True)
class QuestionToAsk:
    """A delivery ready to render: everything the message shows."""

    delivery_id: int
    procedure_code: str
    procedure_title: str
    procedure_revision: str
    document: str
    question_code: str
    kind: str
    prompt: str
    options: list[tuple[str, str]]
    section: str


@dataclass(frozen=True)
class NothingToAsk:
    reason: str
    # A replay of a request that already chose a question: say nothing, the first one is sent.
    repeat: bool = False


class Refusal(StrEnum):
    UNKNOWN_DELIVERY = "unknown_delivery"
    NOT_YOURS = "not_yours"
    RETIRED = "retired"
    CLOSED = "closed"
    NOTHING_CHOSEN = "nothing_chosen"


@dataclass(frozen=True)
class AnswerRefused:
    reason: Refusal


@dataclass(frozen=True)
class AnswerOutcome:
    """The answer on record for a delivery, and whether this click recorded it."""

    question: QuestionToAsk
    chosen: list[str]
    correct: list[str]
    is_correct: bool
    explanation: str
    already_answered: bool


NOT_IN_WORKSPACE = (
    "I can't find your account among this workspace's members, so I have nothing to ask you. "
    "If you think you should, ask your quality manager to check the staff list."
)
# Slack refuses signatures older than five minutes: a replay comes within that, or not at all.
REPLAY_WINDOW = timedelta(minutes=10)


class QuizService:
    def __init__(
        self,
        *,
        uow: Callable[[], UnitOfWork],
        directory: SlackDirectory,
        clock: Callable[[], datetime],
        recent_days: int,
    ) -> None:
        self._uow = uow
        self._directory = directory
        self._clock = clock
        self._recent_days = recent_days

    def start_delivery(
        self, *, slack_user: str, source: str = "quiz", request_key: str | None = None
    ) -> QuestionToAsk | NothingToAsk:
        """Choose a question for this person and record that it is being sent.

        `request_key` (a slash command's trigger id) makes a replayed request choose nothing.
        """
        now = self._clock()
        with self._uow() as work:
            if request_key is not None:
                claimed = once.claim(work.session, key=request_key, now=now, window=REPLAY_WINDOW)
                if not claimed.first:
                    return NothingToAsk("already asked", repeat=True)
            try:
                person = ensure_person(
                    session=work.session, slack_id=slack_user, directory=self._directory, now=now
                )
            except NotInWorkspace:
                return NothingToAsk(NOT_IN_WORKSPACE)
            version = _choose_for(work.session, person, now, self._recent_days)
            if version is None:
                work.commit()
                return NothingToAsk("There are no questions for your department and role yet.")
            delivery = _new_delivery(person, version, source, now)
            work.session.add(delivery)
            work.session.flush()
            ask = to_ask(delivery)
            work.commit()
        return ask

    def mark_sent(self, *, delivery_id: int, channel: str, ts: str) -> None:
        """Remember where the message went, so it can be updated in place."""
        with self._uow() as work:
            delivery = work.session.get_one(models.Delivery, delivery_id)
            delivery.channel, delivery.message_ts = channel, ts
            work.commit()

    def mark_failed(self, *, delivery_id: int, error: str) -> None:
        """Keep the failed delivery as a record of why the person did not get it."""
        with self._uow() as work:
            work.session.get_one(models.Delivery, delivery_id).send_error = error[:100]
            work.commit()

    def record_answer(
        self, *, slack_user: str, delivery_id: int | None, chosen: list[str]
    ) -> AnswerOutcome | AnswerRefused:
        """Record the first answer to a delivery; later clicks get the answer on record."""
        return retry_conflicts(lambda: self._record_answer(slack_user, delivery_id, chosen))

    def _record_answer(
        self, slack_user: str, delivery_id: int | None, chosen: list[str]
    ) -> AnswerOutcome | AnswerRefused:
        now = self._clock()
        with self._uow() as work:
            delivery = work.session.get(models.Delivery, delivery_id) if delivery_id else None
            refusal = _refusal(delivery, slack_user, chosen, now)
            if refusal is not None or delivery is None:
                return AnswerRefused(refusal or Refusal.UNKNOWN_DELIVERY)
            if delivery.answer is not None:
                return _outcome(delivery, delivery.answer, already=True)
            answer = _new_answer(delivery, sorted(set(chosen)), now)
            work.session.add(answer)
            try:
                work.commit()
            except IntegrityError:
                work.session.rollback()
                return self._answer_on_record(delivery_id)
            return _outcome(delivery, answer, already=False)

    def progress_for(self, *, slack_user: str) -> Progress:
        """A person's own results; an unknown person has none yet."""
        with self._uow() as work:
            person = work.session.scalar(
                select(models.Person).where(models.Person.slack_id == slack_user)
            )
            if person is None:
                return Progress(answers=0, correct=0, to_reread=[])
            return person_progress(work.session, person_id=person.id)

    def earliest_today(self) -> date:
        """The earliest date it is anywhere now: a pause ending before it is surely past.

        Read without the database, because /quiz must be acknowledged before any slow work.
        """
        return (self._clock() - timedelta(hours=12)).date()

    def pause(self, *, slack_user: str, until: date | None) -> date | None:
        """Pause rounds for a person up to and including `until`; None resumes them."""
        with self._uow() as work:
            try:
                person = ensure_person(
                    session=work.session,
                    slack_id=slack_user,
                    directory=self._directory,
                    now=self._clock(),
                )
            except NotInWorkspace:
                return None
            person.paused_until = until
            work.commit()
        return until

    def time_zone_of(self, *, slack_user: str) -> str:
        """The person's Slack time zone, UTC if unknown."""
        with self._uow() as work:
            tz = work.session.scalar(
                select(models.Person.tz).where(models.Person.slack_id == slack_user)
            )
        return tz or "UTC"

    def _answer_on_record(self, delivery_id: int | None) -> AnswerOutcome:
        # Another request recorded the answer between our check and our insert.
        with self._uow() as work:
            delivery = work.session.get_one(models.Delivery, delivery_id)
            assert delivery.answer is not None
            return _outcome(delivery, delivery.answer, already=True)


def _refusal(
    delivery: models.Delivery | None, slack_user: str, chosen: list[str], now: datetime
) -> Refusal | None:
    if delivery is None:
        return Refusal.UNKNOWN_DELIVERY
    if delivery.person.slack_id != slack_user:
        return Refusal.NOT_YOURS
    if delivery.answer is not None:
        return None
    if delivery.closed_at is not None or (delivery.closes_at and now >= delivery.closes_at):
        return Refusal.CLOSED
    if delivery.question_version.question.retired_at is not None:
        return Refusal.RETIRED
    known = {key for key, _ in delivery.question_version.options}
    if not chosen or not set(chosen) <= known:
        return Refusal.NOTHING_CHOSEN
    return None


def _choose_for(
    session: Session, person: models.Person, now: datetime, gap_days: int
) -> models.QuestionVersion | None:
    choices = Histories.load(session, [person.id]).choose(
        person,
        now=now,
        count=1,
        seed=zlib.crc32(f"{person.slack_id}:{now.isoformat()}".encode()),
        gap_days=gap_days,
    )
    if not choices:
        return None
    return current_versions(session, [choices[0].question_code])[choices[0].question_code]


def _new_delivery(
    person: models.Person, version: models.QuestionVersion, source: str, now: datetime
) -> models.Delivery:
    return models.Delivery(
        person=person,
        question_version=version,
        source=source,
        question_code=version.question.code,
        procedure_code=version.question.procedure.code,
        department=person.department,
        role=person.role,
        delivered_at=now,
    )


def _new_answer(delivery: models.Delivery, chosen: list[str], now: datetime) -> models.Answer:
    version = delivery.question_version
    procedure = version.question.procedure
    person = delivery.person
    is_correct = chosen == sorted(version.correct)
    return models.Answer(
        delivery=delivery,
        person_id=person.id,
        question_version_id=version.id,
        question_code=version.question.code,
        question_version=version.version,
        chosen=chosen,
        choice=",".join(chosen),
        is_correct=is_correct,
        answered_at=now,
        seconds_taken=max(0, int((now - delivery.delivered_at).total_seconds())),
        # Where the question was sent: every report then counts the answer in one department,
        # even if the person moved before answering.
        department=delivery.department,
        role=delivery.role,
        procedure_code=procedure.code,
        procedure_revision=procedure.revision,
        clauses=list(version.clauses),
        clause_rows=[
            models.AnswerClause(
                clause=clause,
                person_id=person.id,
                department=delivery.department,
                is_correct=is_correct,
                answered_at=now,
            )
            for clause in version.clauses
        ],
    )


def to_ask(delivery: models.Delivery) -> QuestionToAsk:
    """What a delivery's message shows."""
    return to_ask_version(delivery.question_version, delivery_id=delivery.id)


def to_ask_version(version: models.QuestionVersion, *, delivery_id: int) -> QuestionToAsk:
    """What a message asking this question version shows; the id goes in its buttons."""
    procedure = version.question.procedure
    return QuestionToAsk(
        delivery_id=delivery_id,
        procedure_code=procedure.code,
        procedure_title=procedure.title,
        procedure_revision=procedure.revision,
        document=procedure.document,
        question_code=version.question.code,
        kind=version.kind,
        prompt=version.prompt,
        options=[(key, text) for key, text in version.options],
        section=version.section,
    )


def _outcome(delivery: models.Delivery, answer: models.Answer, *, already: bool) -> AnswerOutcome:
    version = delivery.question_version
    return AnswerOutcome(
        question=to_ask(delivery),
        chosen=list(answer.chosen),
        correct=list(version.correct),
        is_correct=answer.is_correct,
        explanation=version.explanation,
        already_answered=already,
    )
