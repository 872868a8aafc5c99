"""Which questions to ask one person next: a pure, seeded selection policy.

`select_questions` takes plain frozen dataclasses and returns `Choice`s. It reads no clock
(`now` is passed in), does no I/O, and gives the same answer for the same input and seed.

Eligible questions
    Not retired, and the person is in the question's audience. Departments and roles compare
    case-insensitively; an empty list means everyone. A person with no department only gets
    questions whose department list is empty; likewise for role.

The gap rule
    A question sent (or answered) less than `min_gap_days` ago is held back. Held questions
    are only chosen when fewer than `count` other eligible questions remain, and then the one
    sent longest ago first. One exception: a question whose last answer was wrong and which
    is due again (rule 2) is not held back, because the Leitner retry after a wrong answer
    (1 day) is shorter than the gap (14 days by default) and the retry is the point. The
    exception is spent once the retry has been sent: if that resend goes unanswered the
    question waits out the gap like any other, so an ignored question is not sent daily.

Priority, filling `count` in this order (each question counts under the first rule it meets)
    1. REVISED: the person answered a question of procedure P correctly under an earlier
       revision, and has answered no question of P correctly under P's current revision.
       All questions of P qualify. Ones on a section that is new or changed in P's current
       revision (`BankQuestion.changed_section`) come first, because that is what the
       person has not read yet; within each of those two groups, ones they got right
       before (a re-check) come first.
    2. DUE_AGAIN: the last answer was wrong and the Leitner interval has passed since it.
       Most overdue first.
    3. NEW: never sent to this person.
    4. DEPARTMENT_GAP: the weakest share correct of the person's department on the
       question's procedure or any of its clauses is below `DEPARTMENT_TARGET` (an unknown
       share counts as `UNKNOWN_SHARE`: an area the department has never been tested on is a
       gap). Weakest first. There are no department gaps for a person with no department, nor
       while their department has no shares recorded at all.
    5. REFRESHER: everything else, sent longest ago first.
    Held questions follow all of these, sent longest ago first, each labelled with the rule
    it meets. Ties inside a rule are broken by a `random.Random(seed)` shuffle.

Leitner boxes (per person and question, replayed from their answers in time order)
    A question starts in box 1 when first asked. Each right answer moves it up one box (at
    most 5), so one right answer leaves it in box 2; a wrong answer puts it back in box 1.
    It is due again `INTERVAL_DAYS[box]` after the last answer:

    === ========
    box interval
    === ========
    1   1 day
    2   3 days
    3   7 days
    4   14 days
    5   30 days
    === ========
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

INTERVAL_DAYS: Mapping[int, int] = MappingProxyType({1: 1, 2: 3, 3: 7, 4: 14, 5: 30})
TOP_BOX = 5
DEPARTMENT_TARGET = 0.8
UNKNOWN_SHARE = 0.5


@dataclass(frozen=True)
class BankQuestion:
    """One question's current version, as the policy needs it."""

    code: str
    procedure: str
    procedure_revision: str
    clauses: tuple[str, ...]
    departments: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    retired: bool = False
    # The question's section is new or changed in its procedure's current revision.
    changed_section: bool = False


@dataclass(frozen=True)
class Learner:
    """The person being quizzed."""

    department: str | None
    role: str | None


@dataclass(frozen=True)
class PastAnswer:
    """One answer the person gave, with the procedure revision current at the time."""

    question_code: str
    procedure: str
    procedure_revision: str
    correct: bool
    answered_at: datetime


@dataclass(frozen=True)
class PastDelivery:
    """One time a question was sent to the person, answered or not."""

    question_code: str
    sent_at: datetime


@dataclass(frozen=True)
class DepartmentAwareness:
    """The person's department's share correct so far (0..1), only where known."""

    by_procedure: Mapping[str, float] = field(default_factory=dict)
    by_clause: Mapping[str, float] = field(default_factory=dict)


class Reason(StrEnum):
    """Why a question was chosen; the declaration order is the priority order."""

    REVISED = "revised"
    DUE_AGAIN = "due_again"
    NEW = "new"
    DEPARTMENT_GAP = "department_gap"
    REFRESHER = "refresher"


@dataclass(frozen=True)
class Choice:
    """A question to ask and the rule that chose it."""

    question_code: str
    reason: Reason


def leitner_box(answers: Iterable[PastAnswer]) -> int:
    """The Leitner box (1-5) of one question for one person; 0 when never answered."""
    box = 0
    for answer in sorted(answers, key=lambda a: a.answered_at):
        box = min(max(box, 1) + 1, TOP_BOX) if answer.correct else 1
    return box


def due_at(answers: Iterable[PastAnswer]) -> datetime | None:
    """When one question is due again for one person; None when never answered."""
    ordered = sorted(answers, key=lambda a: a.answered_at)
    if not ordered:
        return None
    return ordered[-1].answered_at + timedelta(days=INTERVAL_DAYS[leitner_box(ordered)])


def is_due(answers: Iterable[PastAnswer], *, now: datetime) -> bool:
    """True when one answered question's Leitner interval has passed at `now`."""
    when = due_at(answers)
    return when is not None and when <= now


@dataclass(frozen=True)
class _History:
    answers: tuple[PastAnswer, ...] = ()  # in time order
    sent: tuple[datetime, ...] = ()

    @property
    def last_sent(self) -> datetime | None:
        # An answer proves the question was sent, even if the delivery record is missing.
        times = [*self.sent, *(a.answered_at for a in self.answers)]
        return max(times, default=None)


@dataclass(frozen=True)
class _Context:
    now: datetime
    gap: timedelta
    revised: frozenset[str]
    awareness: DepartmentAwareness | None


@dataclass(frozen=True)
class _Candidate:
    code: str
    reason: Reason
    rank: tuple[float, ...]  # order inside the reason's rule
    held: bool
    last_sent: float
    tiebreak: int


def select_questions(
    *,
    learner: Learner,
    bank: Sequence[BankQuestion],
    answers: Sequence[PastAnswer],
    deliveries: Sequence[PastDelivery],
    awareness: DepartmentAwareness,
    now: datetime,
    count: int,
    seed: int,
    min_gap_days: int = 14,
) -> list[Choice]:
    """Choose up to `count` distinct questions to ask `learner` next, with the reason for each."""
    if count <= 0:
        return []
    questions = _eligible(bank, learner)
    context = _Context(
        now=now,
        gap=timedelta(days=min_gap_days),
        revised=_revised_procedures(questions, answers),
        awareness=awareness if _has_evidence(learner, awareness) else None,
    )
    histories = _histories(answers, deliveries)
    # Sorting first makes the shuffle independent of the order the caller loaded the bank in.
    shuffled = sorted(questions, key=lambda q: q.code)
    random.Random(seed).shuffle(shuffled)
    candidates = [
        _assess(q, histories.get(q.code, _History()), context, tiebreak)
        for tiebreak, q in enumerate(shuffled)
    ]
    fresh = sorted((c for c in candidates if not c.held), key=_priority)
    held = sorted((c for c in candidates if c.held), key=lambda c: (c.last_sent, c.tiebreak))
    return [Choice(c.code, c.reason) for c in [*fresh, *held][:count]]


def _eligible(bank: Sequence[BankQuestion], learner: Learner) -> list[BankQuestion]:
    by_code: dict[str, BankQuestion] = {}
    for question in bank:
        if (
            not question.retired
            and _in_audience(question.departments, learner.department)
            and _in_audience(question.roles, learner.role)
        ):
            by_code.setdefault(question.code, question)
    return list(by_code.values())


def _has_evidence(learner: Learner, awareness: DepartmentAwareness) -> bool:
    # With nothing recorded, "weakest" means nothing: every area would tie as unknown.
    has_shares = bool(awareness.by_procedure) or bool(awareness.by_clause)
    return learner.department is not None and has_shares


def _in_audience(audience: tuple[str, ...], value: str | None) -> bool:
    if not audience:
        return True
    return value is not None and value.casefold() in {a.casefold() for a in audience}


def _revised_procedures(
    questions: Sequence[BankQuestion], answers: Sequence[PastAnswer]
) -> frozenset[str]:
    current = {q.procedure: q.procedure_revision for q in questions}
    right = [a for a in answers if a.correct and a.procedure in current]
    # A revision only exists after it was issued, so any right answer under it counts as "since".
    stale = {a.procedure for a in right if a.procedure_revision != current[a.procedure]}
    rechecked = {a.procedure for a in right if a.procedure_revision == current[a.procedure]}
    return frozenset(stale - rechecked)


def _histories(
    answers: Sequence[PastAnswer], deliveries: Sequence[PastDelivery]
) -> dict[str, _History]:
    answered: defaultdict[str, list[PastAnswer]] = defaultdict(list)
    sent: defaultdict[str, list[datetime]] = defaultdict(list)
    for answer in answers:
        answered[answer.question_code].append(answer)
    for delivery in deliveries:
        sent[delivery.question_code].append(delivery.sent_at)
    return {
        code: _History(
            answers=tuple(sorted(answered[code], key=lambda a: a.answered_at)),
            sent=tuple(sent[code]),
        )
        for code in answered.keys() | sent.keys()
    }


def _assess(
    question: BankQuestion, history: _History, context: _Context, tiebreak: int
) -> _Candidate:
    reason, rank = _classify(question, history, context)
    last_sent = history.last_sent
    return _Candidate(
        code=question.code,
        reason=reason,
        rank=rank,
        held=_held(history, context),
        last_sent=last_sent.timestamp() if last_sent is not None else float("-inf"),
        tiebreak=tiebreak,
    )


def _classify(
    question: BankQuestion, history: _History, context: _Context
) -> tuple[Reason, tuple[float, ...]]:
    last_sent = history.last_sent
    if question.procedure in context.revised:
        recent = _sent_recently(history, context)
        got_right = any(a.correct for a in history.answers)
        return Reason.REVISED, (
            float(recent),
            float(not question.changed_section),
            float(not got_right),
        )
    due = _due_again_at(history, context.now)
    if due is not None:
        return Reason.DUE_AGAIN, (due.timestamp(),)
    if last_sent is None:
        return Reason.NEW, ()
    weakness = _weakness(question, context.awareness)
    if weakness is not None:
        return Reason.DEPARTMENT_GAP, (weakness,)
    return Reason.REFRESHER, (last_sent.timestamp(),)


def _due_again_at(history: _History, now: datetime) -> datetime | None:
    """When a question last answered wrongly fell due, if it has."""
    if not history.answers or history.answers[-1].correct:
        return None
    when = due_at(history.answers)
    return when if when is not None and when <= now else None


def _sent_recently(history: _History, context: _Context) -> bool:
    last_sent = history.last_sent
    return last_sent is not None and context.now - last_sent < context.gap


def _held(history: _History, context: _Context) -> bool:
    if not _sent_recently(history, context):
        return False
    if _due_again_at(history, context.now) is None:
        return True
    # The retry overrides the gap once; a resend left unanswered waits like any other question.
    last_answered = history.answers[-1].answered_at
    return any(sent > last_answered for sent in history.sent)


def _weakness(question: BankQuestion, awareness: DepartmentAwareness | None) -> float | None:
    if awareness is None:
        return None
    shares = [awareness.by_procedure.get(question.procedure, UNKNOWN_SHARE)]
    shares += [awareness.by_clause.get(clause, UNKNOWN_SHARE) for clause in question.clauses]
    weakest = min(shares)
    return weakest if weakest < DEPARTMENT_TARGET else None


_RULE_ORDER = {reason: position for position, reason in enumerate(Reason)}


def _priority(candidate: _Candidate) -> tuple[int, tuple[float, ...], int]:
    return (_RULE_ORDER[candidate.reason], candidate.rank, candidate.tiebreak)
