"""One database's run: every timing and every check, gathered for the report."""

from __future__ import annotations

from dataclasses import dataclass

from summary_baselines import floor_query
from summary_build import Built
from summary_checks import analysis_problems, cells_problems, tally_problems
from summary_services import ADMIN, Summary, current_period, services_for
from summary_timing import Call, Timing, in_session, measure, profile, traced_peaks_mb

from bot.services.summary.counts import AwarenessSummary
from bot.services.summary.gap_report import GapReport
from storage.db import UnitOfWork, make_engine, make_session_factory


@dataclass
class DatabaseResult:
    name: str
    built: Built
    floor: Timing
    awareness: Timing
    report: Timing
    full: Timing
    fresh_report: Timing
    refresh: Timing
    calls: list[Call]
    statements: int
    profiled_seconds: float
    traced_peak_mb: float
    refresh_traced_peak_mb: float
    floor_correct: int
    checks: list[str]
    problems: list[str]
    naive: Timing | None = None


def time_database(name: str, url: str, prepared: Built, repeats: int) -> DatabaseResult:
    engine = make_engine(url)
    factory = make_session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(factory)

    period = current_period()
    _, gaps = services_for(uow)
    try:
        # A cached database keeps the verdicts of the code that built it; store this code's,
        # as the sweep would after an upgrade, so the stored and recomputed ones can agree.
        gaps.refresh_analysis()
        print(f"{name}: timing (one warm-up, then {repeats} timed runs of each)", flush=True)
        floor, correct_in_period = measure(
            in_session(factory, lambda s: floor_query(s, period)), repeats
        )
        summary = Summary(uow)
        full, (report, awareness_result) = measure(summary.run, repeats)
        fresh_report, fresh = measure(
            lambda: gaps.report(caller=ADMIN, fresh_analysis=True), repeats
        )
        refresh, _ = measure(gaps.refresh_analysis, repeats)
        clock, profiled = profile(engine, summary.run)
        traced_peak, refresh_traced_peak = traced_peaks_mb(summary.run, gaps.refresh_analysis)
        print(f"{name}: checking the tallies against the raw rows", flush=True)
        with factory() as session:
            problems = tally_problems(session, period, awareness_result, report)
        problems += analysis_problems(report, fresh, clock)
        problems += cells_problems(uow, report, awareness_result)
        checks = facts(awareness_result, report, correct_in_period)
    finally:
        engine.dispose()
    return DatabaseResult(
        name=name,
        built=prepared,
        floor=floor,
        awareness=Timing(tuple(summary.awareness_seconds[1 : repeats + 1])),
        report=Timing(tuple(summary.report_seconds[1 : repeats + 1])),
        full=full,
        fresh_report=fresh_report,
        refresh=refresh,
        calls=clock.calls,
        statements=clock.statements,
        profiled_seconds=profiled,
        traced_peak_mb=traced_peak,
        refresh_traced_peak_mb=refresh_traced_peak,
        floor_correct=correct_in_period,
        checks=checks,
        problems=problems,
    )


def facts(awareness_result: AwarenessSummary, report: GapReport, correct: int) -> list[str]:
    overall = awareness_result.counts.overall
    procedures = report.procedures
    period_correct = sum(g.cell.correct for g in procedures)
    return [
        f"period from {report.period.start:%Y-%m-%d %H:%M} to {report.period.end:%Y-%m-%d %H:%M}"
        f" UTC: {overall.deliveries:,} deliveries, {overall.answers:,} answers, "
        f"{overall.people_reached:,} people reached (awareness, by delivery day)",
        f"gap report: {len(procedures)} department x procedure cells, {len(report.clauses)} "
        f"clause cells, {len(report.practice)} practice flags, {len(report.quality)} questions "
        f"rated, {len(report.silences)} departments with silences; analysis as of "
        f"{report.analysis_as_of:%Y-%m-%d %H:%M}",
        f"correct answers in the period: {correct:,} (floor query, by answer time), "
        f"{period_correct:,} (procedure cells, by delivery day)",
    ]
