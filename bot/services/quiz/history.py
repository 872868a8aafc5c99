"""Plain data for the selection policy, read from the database in a few queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, case, cast, exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from questions.policy import (
    BankQuestion,
    Choice,
    DepartmentAwareness,
    Learner,
    PastAnswer,
    PastDelivery,
    select_questions,
)
from storage import models
from storage.documents import CHANGED, NEW, DocumentSection, ProcedureDocument


def live_bank(session: Session) -> list[BankQuestion]:
    """Every question's current version, retired ones included and marked."""
    rows = session.execute(
        select(models.Question, models.QuestionVersion, models.Procedure, _changed_section())
        .join(models.QuestionVersion, models.QuestionVersion.question_id == models.Question.id)
        .join(models.Procedure, models.Procedure.id == models.Question.procedure_id)
        .where(models.QuestionVersion.version == models.Question.current_version)
        # Open questions need a person to read the reply: they belong to mock interviews.
        .where(models.QuestionVersion.kind != "open")
        .order_by(models.Question.code)
    )
    return [
        BankQuestion(
            code=question.code,
            procedure=procedure.code,
            procedure_revision=procedure.revision,
            clauses=tuple(version.clauses),
            departments=tuple(version.audience_departments),
            roles=tuple(version.audience_roles),
            # A question held for review is not sent, like a retired one, until approved.
            retired=question.retired_at is not None or question.on_hold,
            changed_section=bool(changed),
        )
        for question, version, procedure, changed in rows
    ]


def _changed_section() -> ColumnElement[bool]:
    """Whether the question's section is new or changed in its procedure's current revision.

    The unique (code, revision) of an imported document makes it the one of that revision.
    """
    return (
        exists()
        .where(ProcedureDocument.code == models.Procedure.code)
        .where(ProcedureDocument.revision == models.Procedure.revision)
        .where(DocumentSection.document_id == ProcedureDocument.id)
        # A section the document doesn't number is cited by its heading.
        .where(
            or_(
                DocumentSection.number == models.QuestionVersion.section,
                DocumentSection.heading == models.QuestionVersion.section,
            )
        )
        .where(DocumentSection.change.in_((NEW, CHANGED)))
        .label("changed_section")
    )


def learner_of(person: models.Person) -> Learner:
    return Learner(department=person.department, role=person.role)


def answers_by_person(session: Session, person_ids: Sequence[int]) -> dict[int, list[PastAnswer]]:
    """Each person's past answers, oldest first."""
    found: dict[int, list[PastAnswer]] = defaultdict(list)
    statement = (
        select(models.Answer)
        .where(models.Answer.person_id.in_(list(person_ids)))
        .order_by(models.Answer.answered_at)
    )
    for answer in session.scalars(statement):
        found[answer.person_id].append(
            PastAnswer(
                question_code=answer.question_code,
                procedure=answer.procedure_code,
                procedure_revision=answer.procedure_revision,
                correct=answer.is_correct,
                answered_at=answer.answered_at,
            )
        )
    return found


def deliveries_by_person(
    session: Session, person_ids: Sequence[int]
) -> dict[int, list[PastDelivery]]:
    """Every question each person was sent, answered or not."""
    found: dict[int, list[PastDelivery]] = defaultdict(list)
    statement = select(
        models.Delivery.person_id, models.Delivery.question_code, models.Delivery.delivered_at
    ).where(models.Delivery.person_id.in_(list(person_ids)))
    for person_id, code, sent_at in session.execute(statement):
        found[person_id].append(PastDelivery(question_code=code, sent_at=sent_at))
    return found


def department_awareness(session: Session) -> dict[str | None, DepartmentAwareness]:
    """Share answered correctly by procedure and by clause, for every department."""
    correct = func.sum(cast(case((models.Answer.is_correct, 1), else_=0), Integer))
    by_procedure: dict[str | None, dict[str, float]] = defaultdict(dict)
    rows = session.execute(
        select(
            models.Answer.department, models.Answer.procedure_code, correct, func.count()
        ).group_by(models.Answer.department, models.Answer.procedure_code)
    )
    for department, procedure, right, total in rows:
        by_procedure[department][procedure] = int(right or 0) / int(total)
    return {
        department: DepartmentAwareness(by_procedure=shares)
        for department, shares in by_procedure.items()
    }


@dataclass(frozen=True)
class Histories:
    """Everything the policy needs for a group of people, loaded in four queries."""

    bank: list[BankQuestion]
    answers: dict[int, list[PastAnswer]]
    deliveries: dict[int, list[PastDelivery]]
    awareness: dict[str | None, DepartmentAwareness]

    @classmethod
    def load(cls, session: Session, person_ids: Sequence[int]) -> Histories:
        return cls(
            bank=live_bank(session),
            answers=answers_by_person(session, person_ids),
            deliveries=deliveries_by_person(session, person_ids),
            awareness=department_awareness(session),
        )

    def choose(
        self, person: models.Person, *, now: datetime, count: int, seed: int, gap_days: int
    ) -> list[Choice]:
        """The questions the policy picks for this person now."""
        return select_questions(
            learner=learner_of(person),
            bank=self.bank,
            answers=self.answers.get(person.id, []),
            deliveries=self.deliveries.get(person.id, []),
            awareness=self.awareness.get(person.department, DepartmentAwareness()),
            now=now,
            count=count,
            seed=seed,
            min_gap_days=gap_days,
        )


def current_versions(session: Session, codes: list[str]) -> dict[str, models.QuestionVersion]:
    """The current version of each question code."""
    rows = session.scalars(
        select(models.QuestionVersion)
        .join(models.Question, models.Question.id == models.QuestionVersion.question_id)
        .options(joinedload(models.QuestionVersion.question).joinedload(models.Question.procedure))
        .where(models.Question.code.in_(codes))
        .where(models.QuestionVersion.version == models.Question.current_version)
    )
    return {v.question.code: v for v in rows}
