"""Write cost of the running tallies: one round opened and answered, with and without them.

`storage.rollups` keeps the summary's tallies (daily_tally, reach, reach_day) current from an
`after_flush` listener that `storage.db.make_session_factory` registers on the app's session
factory, in the same transaction as each new delivery and answer. This benchmark measures what
that costs the two writes that happen at scale:

1. opening one round for `--people` people, one question each (`RoundService.open`), which
   writes every delivery in one transaction;
2. recording one answer to each of those deliveries, one `QuizService.record_answer` call (one
   transaction) per answer, as the answer buttons do.

Each trial starts from a fresh database (`make_engine`, `upgrade`), syncs the sample bank, and
creates the people through the Slack stand-in (`bot.sandbox.SlackSandbox`, no latency) and a
roster, as `benchmarks/fanout.py` does; the app is built with `create_app`. Nothing is mocked
but Slack, which these two writes do not call. The baseline is the same trial with the app built
on a session factory configured as `make_session_factory`'s but without the listener
(`without_tallies`, handed to `create_app` as its session factory; the product trial hands it
`make_session_factory`'s).
Trials alternate (baseline, product, product, baseline, ...) on SQLite and on PostgreSQL, where
a fresh `bench_writes` database is created for each trial and dropped after it.

After every trial all answers must be on record; after a product trial the tallies must agree
with the raw rows (`storage.rebuild.differences`), and after a baseline trial they must be
empty. The exit status is 1 otherwise. The last lines are `write cost ratio, open round
(sqlite): N.NN`, `write cost ratio, answers (sqlite): N.NN` and the same for PostgreSQL: the
product's best time over the baseline's best time.

    python benchmarks/writes.py                               # 2,000 people, both databases
    python benchmarks/writes.py --people 200 --skip-postgres  # a quick run
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from company import (
    every_day_schedules,
    everyone_plan,
    load_people,
    quiet_logging,
    sandbox_users,
)
from pydantic import SecretStr
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker
from writes_databases import BENCH_DATABASE, Database, PostgresDatabase, SqliteDatabase

from bot.sandbox import SandboxUser, SlackSandbox
from bot.services.quiz.service import AnswerOutcome
from bot.settings import Settings
from bot.slack.app import Runtime, create_app
from storage import models, rebuild, rollups
from storage.db import make_engine, make_session_factory, upgrade
from storage.tallies import DailyTally, Reach, ReachDay

T = TypeVar("T")

TOKEN = "xoxb-writes-benchmark"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://auditready@127.0.0.1:55432/postgres"
BASELINE = "baseline"
PRODUCT = "product"
WARM_UP_PEOPLE = 20


@dataclass(frozen=True)
class Options:
    people: int
    repeats: int
    skip_postgres: bool
    postgres_url: str


@dataclass(frozen=True)
class Trial:
    """One fresh database: the round opened, then every delivery answered."""

    mode: str
    open_seconds: float
    answer_seconds: float
    # CPU time of this process (Python, SQLAlchemy, the SQLite library; not the PostgreSQL
    # server): steadier than wall time on a shared machine.
    open_cpu: float
    answer_cpu: float
    open_statements: int
    answer_statements: int
    problems: tuple[str, ...]


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=2000, help="people in the round (2000)")
    parser.add_argument(
        "--repeats",
        type=int,
        default=2,
        help="trials per mode and database (2); the order alternates, baseline first",
    )
    parser.add_argument("--skip-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help=f"server to create `{BENCH_DATABASE}` on ({DEFAULT_POSTGRES_URL})",
    )
    args = parser.parse_args(argv)
    if args.people < 1 or args.repeats < 1:
        parser.error("--people and --repeats must be at least 1")
    return Options(
        people=args.people,
        repeats=args.repeats,
        skip_postgres=args.skip_postgres,
        postgres_url=args.postgres_url,
    )


# -- people and the round (as benchmarks/fanout.py) --------------------------------------------


def build_runtime(sandbox: SlackSandbox, url: str, mode: str) -> tuple[Runtime, bool]:
    """The app as `create_app` builds it, on the mode's session factory; and whether that
    factory keeps the tallies."""
    settings = Settings(
        slack_bot_token=SecretStr(TOKEN),
        slack_signing_secret=SecretStr("x"),
        slack_api_url=sandbox.base_url,
        database_url=url,
    )
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine) if mode == PRODUCT else without_tallies(engine)
    runtime = create_app(
        settings, engine=engine, schedules=every_day_schedules(), session_factory=factory
    )
    return runtime, rollups.keeps_tallies(factory)


def answers_to_give(runtime: Runtime, round_id: int) -> list[tuple[int, str, list[str]]]:
    """(delivery id, Slack user, options to choose) per delivery: every other one right."""
    with runtime.uow() as work:
        rows = work.session.execute(
            select(
                models.Delivery.id,
                models.Person.slack_id,
                models.QuestionVersion.options,
                models.QuestionVersion.correct,
            )
            .join(models.Person, models.Person.id == models.Delivery.person_id)
            .join(
                models.QuestionVersion,
                models.QuestionVersion.id == models.Delivery.question_version_id,
            )
            .where(models.Delivery.round_id == round_id)
            .order_by(models.Delivery.id)
        ).all()
    given = []
    for index, (delivery_id, slack_user, options, correct) in enumerate(rows):
        wrong = [key for key, _text in options if key not in correct][:1]
        chosen = list(correct) if index % 2 == 0 or not wrong else wrong
        given.append((delivery_id, slack_user, chosen))
    return given


# -- the listener --------------------------------------------------------------------------------


def without_tallies(engine: Engine) -> sessionmaker[Session]:
    """The product's session factory, configured the same, but whose sessions keep no tallies.

    A new sessionmaker has a Session class of its own, so the listener on the product's
    factory does not reach it.
    """
    return sessionmaker(**make_session_factory(engine).kw)


class StatementCounter:
    """SQL statements the engine sends (executemany counts once)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """The value, wall seconds and this process's CPU seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    value = action()
    return value, time.perf_counter() - started, time.process_time() - cpu


# -- one trial -----------------------------------------------------------------------------------


def run_trial(runtime: Runtime, users: list[SandboxUser], mode: str) -> Trial:
    load_people(runtime, users)
    counter = StatementCounter(runtime.engine)
    problems: list[str] = []
    before = counter.count
    rounds = runtime.services.rounds
    opened, open_seconds, open_cpu = timed(lambda: rounds.open(everyone_plan()))
    open_statements = counter.count - before
    if opened.created != len(users):
        raise SystemExit(
            f"{mode}: the round created {opened.created} deliveries for {len(users)} people"
            f" (skipped {dict(opened.skipped)})"
        )
    given = answers_to_give(runtime, opened.round_id)
    quiz = runtime.services.quiz

    def answer_all() -> int:
        recorded = 0
        for delivery_id, slack_user, chosen in given:
            outcome = quiz.record_answer(
                slack_user=slack_user, delivery_id=delivery_id, chosen=chosen
            )
            if isinstance(outcome, AnswerOutcome) and not outcome.already_answered:
                recorded += 1
        return recorded

    before = counter.count
    recorded, answer_seconds, answer_cpu = timed(answer_all)
    answer_statements = counter.count - before
    if recorded != len(given):
        problems.append(f"{mode}: {recorded} of {len(given)} answers recorded")
    problems.extend(check_database(runtime.engine, opened.round_id, len(given), mode))
    return Trial(
        mode=mode,
        open_seconds=open_seconds,
        answer_seconds=answer_seconds,
        open_cpu=open_cpu,
        answer_cpu=answer_cpu,
        open_statements=open_statements,
        answer_statements=answer_statements,
        problems=tuple(problems),
    )


def check_database(engine: Engine, round_id: int, expected: int, mode: str) -> list[str]:
    """Every answer on record; tallies equal to the raw rows (product) or untouched (baseline)."""
    problems = []
    with engine.connect() as connection, connection.begin():
        answers = connection.execute(
            select(func.count(models.Answer.id))
            .join(models.Delivery, models.Delivery.id == models.Answer.delivery_id)
            .where(models.Delivery.round_id == round_id)
        ).scalar_one()
        if answers != expected:
            problems.append(f"{mode}: {answers} answers in the database, expected {expected}")
        if mode == PRODUCT:
            problems.extend(f"{mode}: {line}" for line in rebuild.differences(connection))
            counted = connection.execute(
                select(func.sum(DailyTally.deliveries), func.sum(DailyTally.answers)).where(
                    DailyTally.kind == "procedure"
                )
            ).one()
            if tuple(counted) != (expected, expected):
                problems.append(f"{mode}: procedure tallies count {tuple(counted)}")
        else:
            rows = sum(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (DailyTally, Reach, ReachDay)
            )
            if rows:
                problems.append(f"{mode}: {rows} tally rows written without the listener")
    return problems


# -- databases -----------------------------------------------------------------------------------


def trial_on(database: Database, users: list[SandboxUser], mode: str) -> Trial:
    with SlackSandbox(users=users, bot_token=TOKEN) as sandbox, database.fresh() as url:
        runtime, keeps = build_runtime(sandbox, url, mode)
        try:
            if keeps != (mode == PRODUCT):
                raise SystemExit(f"{mode}: the tally listener is in the wrong state")
            return run_trial(runtime, users, mode)
        finally:
            runtime.engine.dispose()


def trial_order(repeats: int) -> list[str]:
    """Baseline, product, product, baseline, ...: neither mode always goes first."""
    order: list[str] = []
    for index in range(repeats):
        order += [BASELINE, PRODUCT] if index % 2 == 0 else [PRODUCT, BASELINE]
    return order


def run_database(
    database: Database, users: list[SandboxUser], options: Options
) -> tuple[list[Trial], list[str]]:
    print(f"\n== {database.name}: {database.version()}", flush=True)
    # Untimed: imports, first-use compilation and the server's caches.
    warm = trial_on(database, users[:WARM_UP_PEOPLE], PRODUCT)
    problems = list(warm.problems)
    trials = []
    for mode in trial_order(options.repeats):
        trial = trial_on(database, users, mode)
        print(
            f"  {mode:8}  open round {trial.open_seconds:7.3f} s (CPU {trial.open_cpu:6.3f} s)"
            f"   answers {trial.answer_seconds:7.3f} s (CPU {trial.answer_cpu:6.3f} s,"
            f" {trial.answer_seconds / len(users) * 1000:5.2f} ms each)"
            + (f"   PROBLEMS: {len(trial.problems)}" if trial.problems else ""),
            flush=True,
        )
        trials.append(trial)
        problems.extend(trial.problems)
    return trials, problems


# -- output --------------------------------------------------------------------------------------


MEASURES = (
    # label, seconds field, CPU field, statements field, per what
    ("open round", "open_seconds", "open_cpu", "open_statements", "person"),
    ("answers", "answer_seconds", "answer_cpu", "answer_statements", "answer"),
)


def samples_of(trials: list[Trial], mode: str, field: str) -> list[float]:
    return [float(getattr(trial, field)) for trial in trials if trial.mode == mode]


def print_database(name: str, trials: list[Trial], people: int) -> None:
    lines = []
    ratios = {}
    for label, seconds, cpu, statements, per in MEASURES:
        lines.append(f"{label} ({name}), {people} people:")
        best, middle = {}, {}
        for mode in (BASELINE, PRODUCT):
            samples = samples_of(trials, mode, seconds)
            best[mode], middle[mode] = min(samples), statistics.median(samples)
            count = int(samples_of(trials, mode, statements)[0])
            lines.append(
                f"  {mode:8}  min {best[mode]:7.3f} s  median {middle[mode]:7.3f} s"
                f"   per {per} {best[mode] / people * 1000:6.2f} ms (min)"
                f"   SQL statements {count} ({count / people:.1f} per {per})"
            )
            cpus = samples_of(trials, mode, cpu)
            lines.append(
                f"  {'':8}  CPU of this process: min {min(cpus):7.3f} s"
                f"  median {statistics.median(cpus):7.3f} s"
            )
        ratios[label] = best[PRODUCT] / best[BASELINE]
        lines.append(f"  ratio of medians: {middle[PRODUCT] / middle[BASELINE]:.2f}")
    for label, ratio in ratios.items():
        lines.append(f"write cost ratio, {label} ({name}): {ratio:.2f}")
    print("\n" + "\n".join(lines), flush=True)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    quiet_logging()
    users = sandbox_users(options.people, domain="writes.example")
    databases: list[Database] = [SqliteDatabase()]
    if not options.skip_postgres:
        databases.append(PostgresDatabase(options.postgres_url))
    print(
        f"{options.people} people, one question each; {options.repeats} trials per mode,"
        f" order {', '.join(trial_order(options.repeats))}",
        flush=True,
    )
    results: list[tuple[str, list[Trial]]] = []
    problems: list[str] = []
    for database in databases:
        try:
            trials, found = run_database(database, users, options)
        finally:
            database.finish()
        results.append((database.name, trials))
        problems.extend(found)
    for name, trials in results:
        print_database(name, trials, options.people)
    for line in problems:
        print(f"PROBLEM {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
