"""The gap report: what a Stage 2 auditor would find, with the evidence behind it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from bot.domain.gaps import (
    GapRules,
    Grade,
    Interval,
    auditor_finds_gap,
    correlation_from_sums,
    grade,
    is_weak,
    posterior_share,
    trend,
    wilson,
)
from bot.services.awareness import Scope
from storage import analysis, models
from storage.analysis import Analysis, ChoiceCount, QuestionMoments
from storage.db import UnitOfWork
from storage.reports import (
    Cell,
    Period,
    Silence,
    clause_cells,
    first_day,
    past_totals,
    procedure_cells,
    silences,
)
from storage.rollups import day_of
from storage.tallies import CLAUSE, PROCEDURE

# A wrong option drawing this share of a question's answers suggests practice differs.
PRACTICE_SHARE = 0.4
PRACTICE_MIN_ANSWERS = 5
# Questions almost everyone fails, and questions strong performers fail.
HARD_FACILITY = 0.2
NEGATIVE_DISCRIMINATION = 0.0
QUALITY_MIN_PEOPLE = 5
# The question analysis reads every answer of the period, so it is recomputed on the sweep
# at most this often, and only when answers came in.
ANALYSIS_EVERY = timedelta(minutes=15)
# Periods are half-open; this puts an answer given this very second inside "up to now".
INCLUDE_NOW = timedelta(seconds=1)


@dataclass(frozen=True)
class Gap:
    """One department × procedure (or clause) cell with its evidence and likely grade."""

    cell: Cell
    kind: str
    share: float | None
    interval: Interval | None
    estimate: float
    auditor_chance: float
    previous_share: float | None
    trend: float | None
    grade: Grade
    clauses: tuple[str, ...] = ()

    @property
    def enough_evidence(self) -> bool:
        return self.grade is not Grade.NOT_ENOUGH_EVIDENCE


@dataclass(frozen=True)
class PracticeFlag:
    """A wrong answer so common that the procedure may not describe what people do."""

    question_code: str
    procedure_code: str
    prompt: str
    wrong_choice: str
    wrong_text: str
    right_text: str
    chosen: int
    answers: int


@dataclass(frozen=True)
class QuestionQuality:
    question_code: str
    answers: int
    facility: float
    discrimination: float | None
    flags: tuple[str, ...]


@dataclass
class GapReport:
    scope: Scope
    period: Period
    rules: GapRules
    procedures: list[Gap] = field(default_factory=list)
    clauses: list[Gap] = field(default_factory=list)
    practice: list[PracticeFlag] = field(default_factory=list)
    quality: list[QuestionQuality] = field(default_factory=list)
    silences: list[Silence] = field(default_factory=list)
    # The question analysis (practice flags, quality) is computed on a schedule, not per
    # request: when it was computed, and over which period.
    analysis_period: Period | None = None
    analysis_as_of: datetime | None = None

    def top_gaps(self, limit: int = 5) -> list[Gap]:
        """Graded gaps, the likeliest to be found and best evidenced first."""
        graded = [g for g in self.procedures if g.grade in _FINDINGS]
        return sorted(graded, key=_rank)[:limit]


_FINDINGS = (Grade.MAJOR, Grade.MINOR, Grade.OBSERVATION)
_SEVERITY = {Grade.MAJOR: 0, Grade.MINOR: 1, Grade.OBSERVATION: 2}


def _rank(gap: Gap) -> tuple[int, float, int]:
    return (_SEVERITY.get(gap.grade, 3), -gap.auditor_chance, -gap.cell.answers)


class GapService:
    def __init__(
        self,
        *,
        uow: Callable[[], UnitOfWork],
        rules: GapRules,
        clock: Callable[[], datetime],
        days: int,
    ) -> None:
        self._uow = uow
        self._rules = rules
        self._clock = clock
        self._days = days

    def default_period(self) -> Period:
        """The configured number of whole UTC days, today included, up to now."""
        return period_ending(self._clock() + INCLUDE_NOW, days=self._days)

    def report(
        self, *, scope: Scope, period: Period | None = None, fresh_analysis: bool = False
    ) -> GapReport:
        """Every aggregate of the report for what this scope may see, over one period.

        The question analysis is the stored one unless `fresh_analysis` asks for it to be
        computed from the answers now, as the command-line report does.
        """
        period = period or self.default_period()
        departments = scope.departments
        since = first_day(period)
        days = (period.end - _midnight(since)).days + 1
        previous = (since - timedelta(days=days), since)
        with self._uow() as work:
            session = work.session
            report = GapReport(scope=scope, period=period, rules=self._rules)
            clause_now = clause_cells(session, departments=departments, since=since)
            clause_before = past_totals(
                session, kind=CLAUSE, departments=departments, start=previous[0], end=since
            )
            report.clauses = self._gaps(clause_now, clause_before, "clause", {}, {})
            weak_by_clause = _weak_departments(report.clauses, self._rules)
            report.procedures = self._gaps(
                procedure_cells(session, departments=departments, since=since),
                past_totals(
                    session, kind=PROCEDURE, departments=departments, start=previous[0], end=since
                ),
                "procedure",
                _procedure_clauses(session),
                weak_by_clause,
            )
            report.silences = silences(session, departments=departments, since=since)
            found = self._analysis(work, departments, period, fresh_analysis)
            report.practice = _practice_flags(session, found.choices)
            report.quality = _quality(found.choices, found.moments)
            report.analysis_period, report.analysis_as_of = found.period, found.computed_at
        return report

    def refresh_analysis(self) -> None:
        """Recompute the stored question analysis over the default period."""
        with self._uow() as work:
            analysis.refresh(work.session, period=self.default_period(), now=self._clock())
            work.commit()

    def refresh_analysis_if_due(self) -> bool:
        """Recompute the analysis if answers came in since, at most every few minutes.

        A new day always recomputes it, because the period it covers has moved.
        """
        period = self.default_period()
        with self._uow() as work:
            run = analysis.latest_run(work.session)
            if run is not None and day_of(run.period_start) == day_of(period.start):
                if self._clock() - run.computed_at < ANALYSIS_EVERY:
                    return False
                if not analysis.answers_since(work.session, run):
                    return False
            analysis.refresh(work.session, period=period, now=self._clock())
            work.commit()
        return True

    def _analysis(
        self, work: UnitOfWork, departments: list[str] | None, period: Period, fresh: bool
    ) -> Analysis:
        session = work.session
        if fresh:
            return analysis.compute(
                session, departments=departments, period=period, now=self._clock()
            )
        found = analysis.stored(session, departments=departments)
        if found is None:
            # The first summary after installing waits for the analysis once, and keeps it.
            analysis.refresh(session, period=self.default_period(), now=self._clock())
            work.commit()
            found = analysis.stored(session, departments=departments)
        assert found is not None
        return found

    def _gaps(
        self,
        cells: list[Cell],
        before: dict[tuple[str, str], tuple[int, int]],
        kind: str,
        clauses_of: dict[str, tuple[str, ...]],
        weak_by_clause: dict[str, int],
    ) -> list[Gap]:
        gaps = []
        for cell in cells:
            clauses = clauses_of.get(cell.subject, (cell.subject,) if kind == "clause" else ())
            systemic = max((weak_by_clause.get(c, 0) for c in clauses), default=0)
            gaps.append(
                _gap(
                    cell,
                    before.get((cell.department, cell.subject)),
                    kind,
                    clauses,
                    systemic,
                    self._rules,
                )
            )
        return sorted(gaps, key=lambda g: (g.cell.department, g.cell.subject))


def _gap(
    cell: Cell,
    before: tuple[int, int] | None,
    kind: str,
    clauses: tuple[str, ...],
    systemic: int,
    rules: GapRules,
) -> Gap:
    share = cell.correct / cell.answers if cell.answers else None
    previous = before[1] / before[0] if before and before[0] else None
    return Gap(
        cell=cell,
        kind=kind,
        share=share,
        interval=wilson(cell.correct, cell.answers),
        estimate=posterior_share(cell.correct, cell.answers),
        auditor_chance=auditor_finds_gap(cell.correct, cell.answers, rules.interviewed),
        previous_share=previous,
        trend=trend(share, previous),
        grade=grade(
            correct=cell.correct,
            answers=cell.answers,
            people=cell.people_answered,
            weak_departments_for_clause=systemic,
            rules=rules,
        ),
        clauses=clauses,
    )


def _weak_departments(clause_gaps: list[Gap], rules: GapRules) -> dict[str, int]:
    """In how many departments each clause is weak, on enough evidence."""
    weak: Counter[str] = Counter()
    for gap in clause_gaps:
        cell = gap.cell
        if cell.people_answered >= rules.min_people and is_weak(cell.correct, cell.answers, rules):
            weak[cell.subject] += 1
    return dict(weak)


def _procedure_clauses(session: Session) -> dict[str, tuple[str, ...]]:
    rows = session.execute(select(models.Procedure.code, models.Procedure.clauses))
    return {code: tuple(clauses or ()) for code, clauses in rows}


def _practice_flags(session: Session, counts: Sequence[ChoiceCount]) -> list[PracticeFlag]:
    by_question: dict[str, list[ChoiceCount]] = defaultdict(list)
    for count in counts:
        by_question[count.question_code].append(count)
    found: list[tuple[str, ChoiceCount, int]] = []
    for code, rows in sorted(by_question.items()):
        total = sum(r.answers for r in rows)
        wrong = [r for r in rows if not r.is_correct]
        if total < PRACTICE_MIN_ANSWERS or not wrong:
            continue
        top = max(wrong, key=lambda r: (r.answers, r.choice))
        if top.answers / total >= PRACTICE_SHARE:
            found.append((code, top, total))
    versions = _current_versions(session, [code for code, _, _ in found])
    return [_practice_flag(versions[code], top, total) for code, top, total in found]


def _practice_flag(version: models.QuestionVersion, top: ChoiceCount, total: int) -> PracticeFlag:
    texts = {k: t for k, t in version.options}
    wrong_text = "; ".join(texts.get(k, k) for k in top.choice.split(",") if k)
    right_text = "; ".join(texts.get(k, k) for k in version.correct)
    return PracticeFlag(
        question_code=version.question.code,
        procedure_code=version.question.procedure.code,
        prompt=version.prompt,
        wrong_choice=top.choice,
        wrong_text=wrong_text,
        right_text=right_text,
        chosen=top.answers,
        answers=total,
    )


def _current_versions(session: Session, codes: list[str]) -> dict[str, models.QuestionVersion]:
    """The current version of each question, with its question and procedure, in one query."""
    if not codes:
        return {}
    statement = (
        select(models.QuestionVersion)
        .join(models.Question, models.Question.id == models.QuestionVersion.question_id)
        .where(models.Question.code.in_(codes))
        .where(models.QuestionVersion.version == models.Question.current_version)
        .options(
            contains_eager(models.QuestionVersion.question).joinedload(models.Question.procedure)
        )
    )
    return {v.question.code: v for v in session.scalars(statement).unique()}


def _quality(
    counts: Sequence[ChoiceCount], moments: Sequence[QuestionMoments]
) -> list[QuestionQuality]:
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for count in counts:
        totals[count.question_code] += count.answers
        if count.is_correct:
            right[count.question_code] += count.answers
    by_code = {m.question_code: m for m in moments}
    quality = []
    for code in sorted(totals):
        facility = right[code] / totals[code]
        m = by_code.get(code)
        discrimination = (
            correlation_from_sums(m.people, m.sx, m.sy, m.sxy, m.sxx, m.syy) if m else None
        )
        quality.append(
            QuestionQuality(
                code,
                totals[code],
                facility,
                discrimination,
                _quality_flags(totals[code], facility, discrimination, m),
            )
        )
    return quality


def _quality_flags(
    answers: int, facility: float, discrimination: float | None, m: QuestionMoments | None
) -> tuple[str, ...]:
    flags = []
    people = m.people if m else 0
    if answers >= QUALITY_MIN_PEOPLE and facility < HARD_FACILITY:
        flags.append("almost everyone fails it")
    if (
        people >= QUALITY_MIN_PEOPLE
        and discrimination is not None
        and (discrimination < NEGATIVE_DISCRIMINATION)
    ):
        flags.append("strong performers fail it")
    return tuple(flags)


def period_ending(end: datetime, *, days: int) -> Period:
    """The `days` whole UTC days up to `end`, the day of `end` being the last."""
    return Period(_midnight(day_of(end) - timedelta(days=days - 1)), end)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
