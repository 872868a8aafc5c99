"""How the open-answer grader fares against the admins who confirm its grades, and what it learnt.

Every figure is a SQL aggregate over the grade history: the grader's first verdict on a reply
(its first `grade_change` by "grader") against the verdict an admin left on it. The
suggestions list the replies where the two disagree, for the bank's author to add.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import Select, Subquery, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from bot.services.access import Access, Caller
from bot.services.mock_audit.learning import GRADER, LEARNT
from bot.services.mock_audit.records import find_round
from questions.confirmed import normalised
from questions.grading import Verdict
from questions.model import Kind
from storage import models
from storage.db import UnitOfWork

ACCEPT_WORDS = 12  # an accept form is a short reply; longer ones make several points at once
PHRASING_LETTERS = 120  # the most a bank phrasing may hold (questions.model.Phrasing)

Item = models.InterviewItem


@dataclass(frozen=True)
class QuestionGrading:
    """One question: the grader's verdicts against the admins', and the replies it learnt."""

    question_code: str
    # (the grader's first verdict, the admin's verdict) -> replies, for replies an admin decided
    decided: dict[tuple[str, str], int]
    learnt: int  # replies graded like a confirmed reply
    learnt_regraded: int  # of those, how many an admin later graded otherwise

    def count(self, grader: str, admin: str) -> int:
        return self.decided.get((grader, admin), 0)

    @property
    def agreed(self) -> int:
        return self.count(Verdict.PASS, Verdict.PASS) + self.count(Verdict.FAIL, Verdict.FAIL)


@dataclass(frozen=True)
class LearntReply:
    question_code: str
    reply: str
    learnt_verdict: str
    verdict_now: str  # an admin may have changed it since
    confirmed_reply: str  # the reply it was judged a near copy of
    confirmed_verdict: str  # that reply's verdict now


@dataclass(frozen=True)
class GradingReport:
    round_id: int | None
    questions: list[QuestionGrading]
    learnt: list[LearntReply]


@dataclass(frozen=True)
class BankSuggestion:
    """Replies to add to one question in the bank, from the admins' decisions."""

    question_code: str
    accept: list[str]  # passed by an admin, not by the grader
    contradicts: list[str]  # failed by an admin, passed or left unsure by the grader
    too_long: int  # left out: longer than an accept form or a phrasing may be
    disputed: int  # left out: admins passed one copy of the reply and failed another


class GradingReportService:
    """The grader's record against the admins' decisions: admins only, since it quotes replies."""

    def __init__(self, *, uow: Callable[[], UnitOfWork], access: Access) -> None:
        self._uow = uow
        self._access = access

    def report(self, *, caller: Caller, round_id: int | None = None) -> GradingReport:
        """Per question, the grader's first verdicts against the admins', and the learnt replies."""
        self._access.admin(caller)
        with self._uow() as work:
            if round_id is not None:
                find_round(work, round_id)
            decided: dict[str, dict[tuple[str, str], int]] = {}
            for code, grader, admin, replies in work.session.execute(
                _in_round(_confusion(), round_id)
            ):
                decided.setdefault(code, {})[(grader, admin)] = int(replies)
            learnt = {
                code: (int(n), int(regraded or 0))
                for code, n, regraded in work.session.execute(_in_round(_learnt_counts(), round_id))
            }
            details = [
                LearntReply(*row) for row in work.session.execute(_in_round(_learnt(), round_id))
            ]
        questions = [
            QuestionGrading(code, decided.get(code, {}), *learnt.get(code, (0, 0)))
            for code in sorted(decided.keys() | learnt.keys())
        ]
        return GradingReport(round_id, questions, details)

    def suggestions(self, *, caller: Caller, round_id: int | None = None) -> list[BankSuggestion]:
        """The admins' decisions the grader got wrong, as accept and contradicts entries.

        Only replies to a question's current version count: once the author edits the
        question, the replies graded against its old key points no longer suggest anything.
        """
        self._access.admin(caller)
        with self._uow() as work:
            if round_id is not None:
                find_round(work, round_id)
            rows = work.session.execute(_in_round(_disagreements(), round_id)).all()
        # Near-identical replies once each, with every verdict admins gave them.
        verdicts: dict[tuple[str, str], set[str]] = {}
        first: dict[tuple[str, str], str] = {}
        for code, reply, verdict in rows:
            text = " ".join((reply or "").split())
            verdicts.setdefault((code, normalised(text)), set()).add(verdict)
            first.setdefault((code, normalised(text)), text)
        found: dict[str, BankSuggestion] = {}
        for (code, key), given in verdicts.items():
            entry = found.setdefault(code, BankSuggestion(code, [], [], too_long=0, disputed=0))
            found[code] = _suggest(entry, first[(code, key)], given)
        return [found[code] for code in sorted(found)]


def _suggest(entry: BankSuggestion, text: str, verdicts: set[str]) -> BankSuggestion:
    """`entry` with `text` added where it belongs, or counted as left out."""
    if len(verdicts) > 1:
        return replace(entry, disputed=entry.disputed + 1)
    fits = len(text) <= PHRASING_LETTERS
    if Verdict.PASS in verdicts and fits and len(text.split()) <= ACCEPT_WORDS:
        return replace(entry, accept=[*entry.accept, text])
    if Verdict.FAIL in verdicts and fits:
        return replace(entry, contradicts=[*entry.contradicts, text])
    return replace(entry, too_long=entry.too_long + 1)


def _in_round(statement: Select, round_id: int | None) -> Select:
    if round_id is None:
        return statement
    in_round = select(models.Interview.id).where(models.Interview.mock_round_id == round_id)
    return statement.where(Item.interview_id.in_(in_round))


def _grader_verdicts() -> Subquery:
    """Each reply's first verdict by the grader, before any admin or learning changed it."""
    firsts = (
        select(func.min(models.GradeChange.id))
        .where(models.GradeChange.by == GRADER)
        .group_by(models.GradeChange.item_id)
    )
    return (
        select(models.GradeChange.item_id, models.GradeChange.verdict)
        .where(models.GradeChange.id.in_(firsts))
        .subquery("grader")
    )


def _decided_by_admins(statement: Select, grader: Subquery) -> Select:
    """`statement` narrowed to replies to open questions that an admin graded pass or fail."""
    return (
        statement.join(grader, grader.c.item_id == Item.id)
        .join(models.QuestionVersion, models.QuestionVersion.id == Item.question_version_id)
        .where(models.QuestionVersion.kind == Kind.OPEN)
        .where(Item.graded_by.not_in((GRADER, LEARNT)))
        .where(Item.verdict.in_((Verdict.PASS, Verdict.FAIL)))
    )


def _confusion() -> Select:
    grader = _grader_verdicts()
    counts = select(Item.question_code, grader.c.verdict, Item.verdict, func.count())
    return _decided_by_admins(counts, grader).group_by(
        Item.question_code, grader.c.verdict, Item.verdict
    )


def _disagreements() -> Select:
    grader = _grader_verdicts()
    replies = select(Item.question_code, Item.reply, Item.verdict)
    return (
        _decided_by_admins(replies, grader)
        .join(models.Question, models.Question.id == models.QuestionVersion.question_id)
        .where(models.QuestionVersion.version == models.Question.current_version)
        .where(
            or_(
                and_(Item.verdict == Verdict.PASS, grader.c.verdict != Verdict.PASS),
                and_(
                    Item.verdict == Verdict.FAIL,
                    grader.c.verdict.in_((Verdict.PASS, Verdict.UNSURE)),
                ),
            )
        )
        .order_by(Item.question_code, Item.id)
    )


def _learnt_counts() -> Select:
    learnt = aliased(models.GradeChange)
    regraded = func.sum(case((Item.verdict != learnt.verdict, 1), else_=0))
    return (
        select(Item.question_code, func.count(), regraded)
        .join(learnt, learnt.item_id == Item.id)
        .where(learnt.by == LEARNT)
        .group_by(Item.question_code)
    )


def _learnt() -> Select:
    learnt = aliased(models.GradeChange)
    confirmed = aliased(models.InterviewItem)
    return (
        select(
            Item.question_code,
            Item.reply,
            learnt.verdict,
            Item.verdict,
            confirmed.reply,
            confirmed.verdict,
        )
        .join(learnt, learnt.item_id == Item.id)
        .join(confirmed, confirmed.id == learnt.learnt_from)
        .where(learnt.by == LEARNT)
        .order_by(Item.question_code, Item.id)
    )
