"""Loading a validated question bank into the database, in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from questions.loader import Bank
from questions.model import BankFile, content_hash, effective_audience, effective_clauses
from questions.model import Procedure as BankProcedure
from questions.model import Question as BankQuestion
from storage import models
from storage.db import UnitOfWork


@dataclass
class SyncReport:
    """What a sync changed, by question or procedure code."""

    added: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    reinstated: list[str] = field(default_factory=list)
    unchanged: int = 0
    revised_procedures: list[str] = field(default_factory=list)
    # Drafts never reach the database; questions needing review stay in it, on hold.
    drafts: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.added
            or self.new_versions
            or self.retired
            or self.reinstated
            or self.held
            or self.released
        )


def sync_bank(*, uow: Callable[[], UnitOfWork], bank: Bank, now: datetime) -> SyncReport:
    """Make the database match the bank; edits add versions and missing questions retire."""
    report = SyncReport()
    with uow() as work:
        session = work.session
        seen: set[str] = set()
        for _path, bank_file in bank.files:
            procedure = _upsert_procedure(session, bank_file.procedure, report)
            for question in bank_file.questions:
                seen.add(question.id)
                _upsert_question(session, procedure, bank_file, question, report, now)
        _retire_missing(session, seen, {f.procedure.id for _, f in bank.files}, report, now)
        work.commit()
    return report


def _upsert_procedure(
    session: Session, source: BankProcedure, report: SyncReport
) -> models.Procedure:
    procedure = session.scalar(select(models.Procedure).where(models.Procedure.code == source.id))
    if procedure is None:
        procedure = models.Procedure(code=source.id)
        session.add(procedure)
    elif procedure.revision != source.revision:
        report.revised_procedures.append(f"{source.id} {procedure.revision} → {source.revision}")
    procedure.title = source.title
    procedure.original_id = source.original_id
    procedure.revision = source.revision
    procedure.owner = source.owner
    procedure.owner_slack_id = source.owner_slack_id
    procedure.clauses = list(source.clauses)
    procedure.document = source.document
    procedure.retired_at = None
    session.flush()
    return procedure


def _upsert_question(
    session: Session,
    procedure: models.Procedure,
    bank_file: BankFile,
    source: BankQuestion,
    report: SyncReport,
    now: datetime,
) -> None:
    digest = content_hash(source, bank_file.procedure, bank_file.vocabulary)
    question = session.scalar(select(models.Question).where(models.Question.code == source.id))
    if not source.is_live:
        _hold(question, source, report)
        return
    if question is not None and question.on_hold:
        question.on_hold = False
        report.released.append(source.id)
    if question is None:
        question = models.Question(code=source.id, procedure=procedure, current_version=1)
        session.add(question)
        session.flush()
        session.add(_version(question, 1, source, bank_file, digest, now))
        report.added.append(source.id)
        return
    question.procedure = procedure
    if question.retired_at is not None:
        question.retired_at = None
        report.reinstated.append(source.id)
    current = question.versions[-1]
    if current.content_hash == digest:
        report.unchanged += 1
        return
    question.current_version = current.version + 1
    session.add(_version(question, question.current_version, source, bank_file, digest, now))
    report.new_versions.append(f"{source.id} v{question.current_version}")


def _hold(question: models.Question | None, source: BankQuestion, report: SyncReport) -> None:
    """Keep a question out of every round until it is approved, without losing its history."""
    if question is None:
        report.drafts.append(source.id)
    elif not question.on_hold:
        question.on_hold = True
        report.held.append(source.id)


def _version(
    question: models.Question,
    number: int,
    source: BankQuestion,
    bank_file: BankFile,
    digest: str,
    now: datetime,
) -> models.QuestionVersion:
    audience = effective_audience(source, bank_file.procedure)
    return models.QuestionVersion(
        question_id=question.id,
        version=number,
        content_hash=digest,
        kind=source.kind.value,
        prompt=source.prompt,
        options=[list(item) for item in source.option_items()],
        correct=source.correct_keys(),
        explanation=source.explanation,
        section=source.section,
        clauses=effective_clauses(source, bank_file.procedure),
        audience_departments=list(audience.departments),
        audience_roles=list(audience.roles),
        key_points=[k.model_dump() for k in source.key_points] or None,
        pass_mark=source.pass_mark,
        contradicts=list(source.contradicts) or None,
        vocabulary=dict(bank_file.vocabulary)
        if source.key_points and bank_file.vocabulary
        else None,
        stage=source.stage.value if source.stage else None,
        created_at=now,
    )


def _retire_missing(
    session: Session,
    seen: set[str],
    live_procedures: set[str],
    report: SyncReport,
    now: datetime,
) -> None:
    live = select(models.Question).where(models.Question.retired_at.is_(None))
    for question in session.scalars(live):
        if question.code not in seen:
            question.retired_at = now
            report.retired.append(question.code)
    for procedure in session.scalars(select(models.Procedure)):
        if procedure.code not in live_procedures and procedure.retired_at is None:
            procedure.retired_at = now


def bank_is_empty(uow: Callable[[], UnitOfWork]) -> bool:
    """True when no question has been loaded, so /quiz would have nothing to ask."""
    with uow() as work:
        return not work.session.scalar(select(func.count(models.Question.id)))
