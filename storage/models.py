"""The tables, as SQLAlchemy 2.0 typed models.

Answers copy the facts an auditor needs as they were at the moment of answering
(department, role, procedure revision, clauses), so later moves and revisions never
rewrite the evidence.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# Re-exported for `type[models.Base]`; the complete metadata is `storage.schema.metadata`.
from storage.base import Base as Base
from storage.base import UTCDateTime, utcnow


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    department: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(100))
    is_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_until: Mapped[date | None] = mapped_column(Date)
    country: Mapped[str | None] = mapped_column(String(12))
    started_on: Mapped[date | None] = mapped_column(Date)
    # The bot's DM with the person, opened once: a delivery whose outcome is unknown is looked
    # up in it before it is posted again, so the channel must be known before the first post.
    dm_channel: Mapped[str | None] = mapped_column(String(32))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    oversees: Mapped[list[Oversight]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )


class Oversight(Base):
    """A department a manager may see summaries of."""

    __tablename__ = "oversight"
    __table_args__ = (UniqueConstraint("person_id", "department"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    department: Mapped[str] = mapped_column(String(100))

    person: Mapped[Person] = relationship(back_populates="oversees")


class Procedure(Base):
    __tablename__ = "procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    original_id: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    revision: Mapped[str] = mapped_column(String(20))
    owner: Mapped[str] = mapped_column(String(200))
    owner_slack_id: Mapped[str | None] = mapped_column(String(20))
    clauses: Mapped[list[str]] = mapped_column(JSON)
    document: Mapped[str] = mapped_column(Text)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Question(Base):
    """A question by its stable id; its content lives in versions."""

    __tablename__ = "question"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set while the bank holds the question back for review ("needs review" after its
    # procedure section changed); such a question keeps its history but is not sent.
    on_hold: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    procedure: Mapped[Procedure] = relationship()
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.version"
    )


class QuestionVersion(Base):
    __tablename__ = "question_version"
    __table_args__ = (UniqueConstraint("question_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    prompt: Mapped[str] = mapped_column(Text)
    options: Mapped[list[list[str]]] = mapped_column(JSON)
    correct: Mapped[list[str]] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    section: Mapped[str] = mapped_column(String(60))
    clauses: Mapped[list[str]] = mapped_column(JSON)
    audience_departments: Mapped[list[str]] = mapped_column(JSON)
    audience_roles: Mapped[list[str]] = mapped_column(JSON)
    key_points: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    pass_mark: Mapped[int | None] = mapped_column(Integer)
    contradicts: Mapped[list[str] | None] = mapped_column(JSON)
    # The bank file's vocabulary when this version was synced: it changes how replies are graded.
    vocabulary: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    stage: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(back_populates="versions")


class Schedule(Base):
    """A schedule's pause state; its cadence and audience live in the schedules file."""

    __tablename__ = "schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str | None] = mapped_column(String(32))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Round(Base):
    """One sending of questions: a schedule's run in one time zone on one local day, or ad hoc.

    The unique key makes a scheduled run that fires twice, or in two processes, one round.
    """

    __tablename__ = "round"
    __table_args__ = (UniqueConstraint("schedule_key", "tz", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    schedule_key: Mapped[str | None] = mapped_column(String(60))
    tz: Mapped[str | None] = mapped_column(String(64))
    local_date: Mapped[date | None] = mapped_column(Date)
    department: Mapped[str | None] = mapped_column(String(100))
    requested_by: Mapped[str | None] = mapped_column(String(32))
    questions_each: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Delivery(Base):
    """One question sent to one person, with who they were when it was sent.

    Within a round, (round, person, question) is unique, so a repeated or racing round job
    sends nobody the same question twice.
    """

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("round_id", "person_id", "question_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    source: Mapped[str] = mapped_column(String(20))
    question_code: Mapped[str] = mapped_column(String(60))
    procedure_code: Mapped[str] = mapped_column(String(40), index=True)
    department: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(100))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    channel: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    # Its old value is kept on change, so the running tallies know whether it counted before.
    send_error: Mapped[str | None] = mapped_column(String(100), active_history=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a post may have reached Slack without us learning so (a timeout, a 5xx, a crash
    # while claimed): the next attempt looks for the message from this time before posting.
    doubt_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()
    question_version: Mapped[QuestionVersion] = relationship()
    round: Mapped[Round | None] = relationship()
    answer: Mapped[Answer | None] = relationship(back_populates="delivery")


class Answer(Base):
    """The evidence record of one answer; the unique delivery_id allows one per delivery."""

    __tablename__ = "answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("delivery.id"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    question_code: Mapped[str] = mapped_column(String(60))
    question_version: Mapped[int] = mapped_column(Integer)
    chosen: Mapped[list[str]] = mapped_column(JSON)
    # The same choice as sortable text ("b", "a,c"), so reports can group by it on any database.
    choice: Mapped[str] = mapped_column(String(60), default="")
    is_correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    seconds_taken: Mapped[int] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(100), index=True)
    role: Mapped[str | None] = mapped_column(String(100))
    procedure_code: Mapped[str] = mapped_column(String(40), index=True)
    procedure_revision: Mapped[str] = mapped_column(String(20))
    clauses: Mapped[list[str]] = mapped_column(JSON)

    delivery: Mapped[Delivery] = relationship(back_populates="answer")
    clause_rows: Mapped[list[AnswerClause]] = relationship(cascade="all, delete-orphan")


class AnswerClause(Base):
    """One row per answer and clause it tested, carrying what grouping by clause needs.

    Reports group answers by department and clause without joins or JSON functions, which
    SQLite and PostgreSQL don't share.
    """

    __tablename__ = "answer_clause"
    __table_args__ = (UniqueConstraint("answer_id", "clause"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    clause: Mapped[str] = mapped_column(String(60), index=True)
    person_id: Mapped[int] = mapped_column(Integer)
    department: Mapped[str | None] = mapped_column(String(100))
    is_correct: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class MockRound(Base):
    """A pre-audit rehearsal: staff sampled as an auditor would, interviewed in Slack."""

    __tablename__ = "mock_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    standards: Mapped[list[str]] = mapped_column(JSON)
    departments: Mapped[list[str] | None] = mapped_column(JSON)
    per_department_cap: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    opened_by: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_by: Mapped[str | None] = mapped_column(String(32))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Interview(Base):
    """One sampled person's practice interview, held in a DM thread."""

    __tablename__ = "interview"
    __table_args__ = (UniqueConstraint("mock_round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mock_round_id: Mapped[int] = mapped_column(ForeignKey("mock_round.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    department: Mapped[str] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="invited")
    channel: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32), index=True)

    person: Mapped[Person] = relationship()
    mock_round: Mapped[MockRound] = relationship()
    items: Mapped[list[InterviewItem]] = relationship(
        back_populates="interview", order_by="InterviewItem.position"
    )


class InterviewItem(Base):
    """One question of an interview and the reply it got; one reply per question."""

    __tablename__ = "interview_item"
    # A reply message answers at most one question, however often Slack delivers its event.
    __table_args__ = (
        UniqueConstraint("interview_id", "position"),
        UniqueConstraint("interview_id", "reply_ts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interview.id"))
    position: Mapped[int] = mapped_column(Integer)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"))
    question_code: Mapped[str] = mapped_column(String(60))
    stage: Mapped[str] = mapped_column(String(20))
    asked_ts: Mapped[str | None] = mapped_column(String(32))
    reply_ts: Mapped[str | None] = mapped_column(String(32))
    reply: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verdict: Mapped[str | None] = mapped_column(String(20))
    points_met: Mapped[int | None] = mapped_column(Integer)
    grade_note: Mapped[str | None] = mapped_column(Text)
    graded_by: Mapped[str | None] = mapped_column(String(32))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    interview: Mapped[Interview] = relationship(back_populates="items")
    question_version: Mapped[QuestionVersion] = relationship()


class GradeChange(Base):
    """Every grade given to an interview answer, by whom: the grader, an admin, or "learnt"
    from the confirmed answer `learnt_from` that it is a near copy of."""

    __tablename__ = "grade_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("interview_item.id"), index=True)
    verdict: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str | None] = mapped_column(Text)
    learnt_from: Mapped[int | None] = mapped_column(ForeignKey("interview_item.id"))


class SlackEvent(Base):
    """An Events API delivery already acted on; its effect commits in the same transaction."""

    __tablename__ = "slack_event"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RequestKey(Base):
    """A request that must take effect once: a button's message and action, a modal's view.

    `result` is what the first request made (e.g. a round id), so a repeat can point to it.
    """

    __tablename__ = "request_key"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    result: Mapped[str | None] = mapped_column(String(200))
