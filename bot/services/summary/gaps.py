"""The gap report: what a Stage 2 auditor would find, with the evidence and how sure we are.

The verdicts are computed once for the whole company (`bot.services.summary.verdicts`) and stored;
this service reads the rows a viewer may see and joins them to the live counts. So a cell has
the same grade and probabilities in every view, and a manager's view shows and counts only
their own departments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.summary.gaps import GapRules, Grade, Interval, systemic_clauses, trend
from bot.services.access import Access, Caller, NotAllowed, Scope
from bot.services.summary import verdicts as computing
from bot.services.summary.gap_report import (
    Drill,
    Gap,
    GapReport,
    PracticeFlag,
    QuestionQuality,
    RevisionSplit,
    SystemicFinding,
    cells_for,
)
from storage import analysis, models
from storage import verdicts as stored
from storage.db import UnitOfWork
from storage.reports import (
    Cell,
    clause_cells,
    first_day,
    past_totals,
    procedure_cells,
    revision_splits,
    silences,
)
from storage.reports import Period as Period
from storage.reports import Silence as Silence
from storage.rollups import day_of
from storage.tallies import CLAUSE, PROCEDURE, AnalysisRun

# The sweep keeps the verdicts warm at most this often.
ANALYSIS_EVERY = timedelta(minutes=15)
# A summary recomputes out-of-date verdicts itself when that took no longer than this last
# time; a company large enough to take longer is served the sweep's, which say when they were
# computed, rather than keep a manager waiting.
LIVE_RECOMPUTE = 2.0
# Periods are half-open; this puts an answer given this very second inside "up to now".
INCLUDE_NOW = timedelta(seconds=1)


class GapService:
    def __init__(
        self,
        *,
        uow: Callable[[], UnitOfWork],
        access: Access,
        rules: GapRules,
        clock: Callable[[], datetime],
        days: int,
    ) -> None:
        self._uow = uow
        self._access = access
        self._rules = rules
        self._clock = clock
        self._days = days

    def default_period(self) -> Period:
        """The configured number of whole UTC days, today included, up to now."""
        return period_ending(self._clock() + INCLUDE_NOW, days=self._days)

    def report(
        self,
        *,
        caller: Caller,
        period: Period | None = None,
        fresh_analysis: bool = False,
        departments: list[str] | None = None,
    ) -> GapReport:
        """Every figure of the report for what the caller may see, over one period.

        `departments` narrows the caller's scope further. Raises NotAllowed for staff.
        """
        scope = self._access.viewer(caller).narrowed(departments)
        return self._report(scope, period, fresh_analysis)

    def dashboard(self, *, caller: Caller) -> GapReport | None:
        """The Home tab's report: None for staff, who have no dashboard."""
        try:
            return self.report(caller=caller)
        except NotAllowed:
            return None

    def drill_subject(self, *, caller: Caller, kind: str, name: str) -> str:
        """The subject of a drill-down as the records spell it, if the caller may see it.

        Cheap, so a listener can acknowledge before the slower `drill`, which checks again.
        """
        if kind == "department":
            return self._access.department_for(caller, name)
        self._access.viewer(caller)
        return name

    def drill(self, *, caller: Caller, kind: str, name: str) -> Drill:
        """Every cell of one department, procedure or clause the caller may see, best first.

        A department outside the caller's scope is refused; the query reads only its rows.
        """
        name = self.drill_subject(caller=caller, kind=kind, name=name)
        if kind == "department":
            report = self.report(caller=caller, departments=[name])
        else:
            report = self.report(caller=caller)
        return Drill(report=report, kind=kind, name=name, cells=cells_for(report, kind, name))

    def _report(self, scope: Scope, period: Period | None, fresh_analysis: bool) -> GapReport:
        """Over the configured period the stored verdicts are read, recomputed first if answers
        came in since (or `fresh_analysis` asks). Another period is judged now, not stored.
        """
        custom = period is not None and first_day(period) != first_day(self.default_period())
        period = period or self.default_period()
        with self._uow() as work:
            session = work.session
            if custom:
                verdicts = computing.as_stored(
                    computing.judged(session, period=period, rules=self._rules)
                )
                run_period, as_of, parameters = period, self._clock(), {}
            else:
                run = self._current(work, force=fresh_analysis)
                verdicts = stored.read(session, departments=scope.departments)
                run_period = Period(run.period_start, run.period_end)
                as_of, parameters = run.computed_at, dict(run.parameters or {})
            return self._assemble(session, scope, period, verdicts, run_period, as_of, parameters)

    def refresh_analysis(self) -> None:
        """Recompute and store the company's verdicts over the default period."""
        with self._uow() as work:
            computing.refresh(
                work.session, period=self.default_period(), rules=self._rules, now=self._clock()
            )
            work.commit()

    def refresh_analysis_if_due(self) -> bool:
        """Recompute the verdicts if answers came in since, at most every few minutes.

        A new day always recomputes them, because the period they cover has moved.
        """
        period = self.default_period()
        with self._uow() as work:
            run = analysis.latest_run(work.session)
            if run is not None and day_of(run.period_start) == day_of(period.start):
                if self._clock() - run.computed_at < ANALYSIS_EVERY:
                    return False
                if not analysis.answers_since(work.session, run):
                    return False
            computing.refresh(work.session, period=period, rules=self._rules, now=self._clock())
            work.commit()
        return True

    def _current(self, work: UnitOfWork, *, force: bool) -> AnalysisRun:
        """The stored verdicts' run, recomputed first if they are out of date."""
        session = work.session
        period = self.default_period()
        run = analysis.latest_run(session)
        stale = (
            force
            or run is None
            or day_of(run.period_start) != day_of(period.start)
            or (_quick(run) and analysis.answers_since(session, run))
        )
        if stale:
            run = computing.refresh(session, period=period, rules=self._rules, now=self._clock())
            work.commit()
        assert run is not None
        return run

    def _assemble(
        self,
        session: Session,
        scope: Scope,
        period: Period,
        verdicts: stored.StoredVerdicts,
        run_period: Period,
        as_of: datetime,
        parameters: dict[str, float | None],
    ) -> GapReport:
        departments = scope.departments
        since = first_day(period)
        days = (period.end - _midnight(since)).days + 1
        before = since - timedelta(days=days)
        judged = {
            (c.kind, c.department, c.subject): c
            for c in verdicts.cells
            if scope.may_see(c.department)
        }
        report = GapReport(scope=scope, period=period, rules=self._rules)
        report.clauses = _gaps(
            clause_cells(session, departments=departments, since=since),
            past_totals(session, kind=CLAUSE, departments=departments, start=before, end=since),
            CLAUSE,
            {},
            judged,
        )
        report.procedures = _with_revisions(
            _gaps(
                procedure_cells(session, departments=departments, since=since),
                past_totals(
                    session, kind=PROCEDURE, departments=departments, start=before, end=since
                ),
                PROCEDURE,
                _procedure_clauses(session),
                judged,
            ),
            revision_splits(session, departments=departments, since=since, by_department=True),
        )
        report.silences = silences(session, departments=departments, since=since)
        report.practice = _practice_flags(
            session, [p for p in verdicts.practice if scope.may_see(p.department)]
        )
        report.quality = [_quality(c) for c in verdicts.checks]
        if scope.is_admin and departments is None:
            report.systemic = _systemic(verdicts.cells, self._rules)
        report.analysis_period, report.analysis_as_of = run_period, as_of
        report.parameters = parameters
        return report


def _quick(run: AnalysisRun) -> bool:
    took = (run.parameters or {}).get("seconds")
    return took is None or took <= LIVE_RECOMPUTE


def _gaps(
    cells: list[Cell],
    before: dict[tuple[str, str], tuple[int, int]],
    kind: str,
    clauses_of: dict[str, tuple[str, ...]],
    judged: dict[tuple[str, str, str], stored.StoredCell],
) -> list[Gap]:
    gaps = []
    for cell in cells:
        clauses = clauses_of.get(cell.subject, (cell.subject,) if kind == CLAUSE else ())
        verdict = judged.get((kind, cell.department, cell.subject))
        gaps.append(_gap(cell, before.get((cell.department, cell.subject)), kind, clauses, verdict))
    return sorted(gaps, key=lambda g: (g.cell.department, g.cell.subject))


def _with_revisions(gaps: list[Gap], splits: dict[tuple[str, str], RevisionSplit]) -> list[Gap]:
    return [
        replace(gap, revisions=splits.get((gap.cell.department, gap.cell.subject))) for gap in gaps
    ]


def _gap(
    cell: Cell,
    before: tuple[int, int] | None,
    kind: str,
    clauses: tuple[str, ...],
    verdict: stored.StoredCell | None,
) -> Gap:
    share = cell.correct / cell.answers if cell.answers else None
    previous = before[1] / before[0] if before and before[0] else None
    grade = Grade(verdict.grade) if verdict else Grade.NOT_ENOUGH_EVIDENCE
    judged = verdict is not None and grade is not Grade.NOT_ENOUGH_EVIDENCE
    return Gap(
        cell=cell,
        kind=kind,
        share=share,
        interval=Interval(verdict.low, verdict.high) if verdict and judged else None,
        estimate=verdict.estimate if verdict and judged else None,
        expected=verdict.expected if verdict else None,
        p_weak=verdict.p_weak if verdict and judged else None,
        p_major=verdict.p_major if verdict and judged else None,
        sureness=verdict.sureness if verdict and judged else None,
        auditor_chance=verdict.auditor_chance if verdict and judged else None,
        finding_chance=verdict.finding_chance if verdict and judged else 0.0,
        previous_share=previous,
        trend=trend(share, previous),
        grade=grade,
        clauses=clauses,
    )


def _systemic(cells: list[stored.StoredCell], rules: GapRules) -> list[SystemicFinding]:
    established = [
        (c.department, c.subject)
        for c in cells
        if c.kind == CLAUSE and c.grade in (Grade.MAJOR, Grade.MINOR)
    ]
    found = systemic_clauses(established, departments=rules.systemic_departments)
    return [SystemicFinding(clause, tuple(departments)) for clause, departments in found.items()]


def _procedure_clauses(session: Session) -> dict[str, tuple[str, ...]]:
    rows = session.execute(select(models.Procedure.code, models.Procedure.clauses))
    return {code: tuple(clauses or ()) for code, clauses in rows}


def _practice_flags(session: Session, flags: list[stored.StoredPractice]) -> list[PracticeFlag]:
    versions = analysis.current_versions(session, sorted({f.question_code for f in flags}))
    found = []
    for flag in flags:
        version = versions.get(flag.question_code)
        if version is None:
            continue
        texts = dict(version.options)
        found.append(
            PracticeFlag(
                department=flag.department,
                question_code=flag.question_code,
                procedure_code=version.question.procedure.code,
                prompt=version.prompt,
                wrong_choice=flag.choice,
                wrong_text="; ".join(texts.get(k, k) for k in flag.choice.split(",") if k),
                right_text="; ".join(texts.get(k, k) for k in version.correct),
                chosen=flag.chosen,
                answers=flag.answers,
                p_value=flag.p_value,
                q_value=flag.q_value,
            )
        )
    return found


def _quality(check: stored.StoredCheck) -> QuestionQuality:
    discrimination = None
    if check.discrimination_low is not None and check.discrimination_high is not None:
        discrimination = Interval(check.discrimination_low, check.discrimination_high)
    return QuestionQuality(
        question_code=check.question_code,
        answers=check.answers,
        people=check.people,
        facility=check.correct / check.answers if check.answers else 0.0,
        facility_interval=Interval(check.facility_low, check.facility_high),
        discrimination=check.discrimination,
        discrimination_interval=discrimination,
        flags=tuple(check.flags),
    )


def period_ending(end: datetime, *, days: int) -> Period:
    """The `days` whole UTC days up to `end`, the day of `end` being the last."""
    return Period(_midnight(day_of(end) - timedelta(days=days - 1)), end)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)
