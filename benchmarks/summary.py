"""Summary benchmark: a manager's /awareness over a million answers, on SQLite and PostgreSQL.

It builds a database of `--people` people, `--questions` questions and `--answers` answers (with
their deliveries and one answer_clause row per clause), spread over the last 180 days, by bulk
insert (SQLite) and COPY (PostgreSQL). The bulk load goes around the ORM, whose flush listener
keeps the running tallies, so the build then rebuilds them from the raw rows
(`storage.rebuild.rebuild`, what migration 0006 runs on an existing install; timed), ANALYZEs,
and stores the question analysis once (`GapService.refresh_analysis`, what the sweep runs).

It then times what `/awareness` computes for an admin, as `bot/slack/summary/listeners.py` does:
`GapService.report` over the default period (whole UTC days, reading the tallies and the stored
analysis), then `SummaryService.summary` since that period's start; separately and together
(the full summary). Also timed: the gap report with `fresh_analysis=True` (the CLI report) and
the analysis refresh (the sweep). One profiled run shows each product query function's share
(timed from call to return, rows fetched) and how many SQL statements it ran.

The floor is one query that reads every answer row in the period. The naive version loads those
answers into Python and counts department x procedure cells there. The tallies are checked
against the raw rows (cells, previous-period totals, people) and the stored analysis against a
live one; any mismatch is printed and the exit status is 1. The last lines printed are
`ratio to full scan (<database>): N.NN` and `speed-up over naive (<database>): N.NN`.

    python benchmarks/summary.py                    # 1,000,000 answers (build ~2-3 min, cached)
    python benchmarks/summary.py --answers 100000   # a quick run
    python benchmarks/summary.py --skip-postgres

The SQLite file is cached under /tmp, keyed by the data version, the schema head and the sizes,
with what its build measured in a JSON file beside it; the PostgreSQL database (`bench_summary`
on the `--postgres-url` server) is built on every run and dropped at the end.

This script is the entry point and the report; its parts sit beside it: the command line
(`summary_options.py`), the simulated organisation (`summary_company.py`) and its answers
(`summary_activity.py`), loading them (`summary_load.py`) into a database built and cached by
`summary_build.py`, the product's services as /awareness calls them (`summary_services.py`), the
floor and the naive version (`summary_baselines.py`), timing and profiling (`summary_timing.py`),
the checks (`summary_checks.py`) and one database's run (`summary_run.py`).
"""

from __future__ import annotations

import sys

from summary_baselines import time_naive
from summary_build import drop_postgres, prepare_postgres, prepare_sqlite
from summary_company import HISTORY_DAYS, NOW
from summary_options import parse_options
from summary_run import DatabaseResult, time_database
from summary_services import PERIOD_DAYS
from summary_timing import peak_rss_mb

TARGET_RATIO = 3.0
TARGET_SPEEDUP = 10.0
TARGET_MEMORY_MB = 300.0


def print_database(result: DatabaseResult) -> None:
    print(f"\n== {result.name}")
    print(f"  {result.built.line()}")
    for check in result.checks:
        print(f"  {check}")
    for label, timing in (
        ("floor (one scan of the period's answers)", result.floor),
        ("awareness summary (since the period start)", result.awareness),
        ("gap report (stored analysis)", result.report),
        ("full summary (both, as /awareness)", result.full),
        ("gap report, fresh analysis (CLI report)", result.fresh_report),
        ("analysis refresh (the sweep, commits)", result.refresh),
    ):
        print(f"  {label:<44} {timing.line()}")
    if result.naive is not None:
        print(f"  {'naive (answers loaded into Python)':<44} {result.naive.line()}")
    total = result.profiled_seconds
    print(f"  one profiled full summary: {total:.3f} s, {result.statements} SQL statements")
    for call in result.calls:
        count = f" ({call.statements} statements)" if call.statements != 1 else ""
        name = "  " * call.depth + call.label
        print(f"    {name:<56} {call.seconds:7.3f} s {call.seconds / total:6.1%}{count}")
    rest = total - sum(c.seconds for c in result.calls if c.depth == 0)
    print(f"    {'the rest (grading, ranking in Python)':<56} {rest:7.3f} s {rest / total:6.1%}")
    print(
        f"  tracemalloc peak: one full summary {result.traced_peak_mb:.1f} MB, "
        f"one analysis refresh {result.refresh_traced_peak_mb:.1f} MB"
    )
    for problem in result.problems:
        print(f"  MISMATCH: {problem}")


def print_verdict(results: list[DatabaseResult], summary_rss: float, naive_rss: float) -> None:
    print(
        f"\npeak memory (ru_maxrss) after every product run (summaries, fresh reports, "
        f"refreshes): {summary_rss:.0f} MB; after the naive runs too: {naive_rss:.0f} MB"
    )
    for result in results:
        assert result.naive is not None
        ratio = result.full.best / result.floor.best
        speedup = result.naive.best / result.full.best
        naive_to_floor = result.naive.best / result.floor.best
        print(
            f"{result.name}: naive / floor = {naive_to_floor:.2f}; full summary median "
            f"{result.full.median:.3f} s, analysis refresh median {result.refresh.median:.3f} s, "
            f"tallies rebuilt in {result.built.rebuild_seconds:.1f} s"
        )
        print(
            f"{result.name}: target ratio <= {TARGET_RATIO:g}: "
            f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}; speed-up >= {TARGET_SPEEDUP:g}: "
            f"{'met' if speedup >= TARGET_SPEEDUP else 'NOT met'}"
        )
    memory_ok = summary_rss < TARGET_MEMORY_MB
    print(f"memory target < {TARGET_MEMORY_MB:g} MB: {'met' if memory_ok else 'NOT met'}")
    problems = sum(len(r.problems) for r in results)
    print(f"checks: {'all agree' if not problems else f'{problems} MISMATCHES'}")
    for result in results:
        assert result.naive is not None
        print(f"ratio to full scan ({result.name}): {result.full.best / result.floor.best:.2f}")
        print(f"speed-up over naive ({result.name}): {result.naive.best / result.full.best:.2f}")


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv, __doc__.splitlines()[0] if __doc__ else None)
    print(
        f"{options.people:,} people, {options.questions:,} questions, {options.answers:,} answers"
        f" over {HISTORY_DAYS} days; period {PERIOD_DAYS} whole UTC days up to "
        f"{NOW:%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    databases = [("sqlite", *prepare_sqlite(options))]
    print(f"sqlite: {databases[0][2].line()}", flush=True)
    try:
        if not options.skip_postgres:
            databases.append(("postgresql", *prepare_postgres(options)))
            print(f"postgresql: {databases[1][2].line()}", flush=True)
        results = [time_database(n, url, b, options.repeats) for n, url, b in databases]
        summary_rss = peak_rss_mb()
        for result, (_, url, _) in zip(results, databases, strict=True):
            print(f"{result.name}: timing the naive version", flush=True)
            result.naive, naive_correct = time_naive(url, options.repeats)
            result.checks.append(f"correct answers counted by the naive version: {naive_correct:,}")
            if naive_correct != result.floor_correct:
                result.problems.append(
                    f"naive correct count {naive_correct:,} != floor {result.floor_correct:,}"
                )
        naive_rss = peak_rss_mb()
    finally:
        if not options.skip_postgres and not options.keep_postgres:
            drop_postgres(options)
    for result in results:
        print_database(result)
    print_verdict(results, summary_rss, naive_rss)
    return 1 if any(r.problems for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
