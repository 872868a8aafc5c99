"""Summary benchmark: a manager's /awareness over a million answers, on SQLite and PostgreSQL.

It builds a database of `--people` people, `--questions` questions and `--answers` answers (with
their deliveries and one answer_clause row per clause), spread over the last 180 days, by bulk
insert (SQLite) and COPY (PostgreSQL). The bulk load goes around the ORM, whose flush listener
keeps the running tallies, so the build then rebuilds them from the raw rows
(`storage.rebuild.rebuild`, what migration 0006 runs on an existing install; timed), ANALYZEs,
and stores the question analysis once (`GapService.refresh_analysis`, what the sweep runs).

It then times what `/awareness` computes for an admin, as `bot/slack/router.py` does:
`GapService.report` over the default period (whole UTC days, reading the tallies and the stored
analysis), then `AwarenessService.summary` since that period's start; separately and together
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
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    Table,
    case,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import bot.services.summary.counts
import bot.services.summary.gaps
import bot.services.summary.verdicts
import storage.analysis
import storage.queries
import storage.rebuild
import storage.rollups
import storage.tallies
import storage.verdicts
from bot.domain.summary.gaps import GapRules
from bot.services.access import OPERATOR, Access
from bot.services.summary.counts import AwarenessSummary, SummaryService
from bot.services.summary.gap_report import GapReport
from bot.services.summary.gaps import GapService
from storage import models
from storage.db import (
    MIGRATIONS,
    UnitOfWork,
    alembic_config,
    make_engine,
    make_session_factory,
    upgrade,
)
from storage.rebuild import rebuild
from storage.reports import Period, clause_cells, first_day, past_totals, procedure_cells
from storage.rollups import UNASSIGNED
from storage.schema import metadata as schema_metadata
from storage.tallies import CLAUSE, PROCEDURE

T = TypeVar("T")

# Bump when the generated data or the build changes, so a cached SQLite file is rebuilt.
# 2: the build rebuilds the running tallies and stores the question analysis.
DATA_VERSION = "2"
SEED = 20261126
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
HISTORY_DAYS = 180
PERIOD_DAYS = 90
UNANSWERED_SHARE = 0.05
SILENT_SHARE = 0.01
NO_DEPARTMENT_SHARE = 0.01
HARD_SHARE = 0.03
PRACTICE_SHARE = 0.05
BATCH = 10_000
PROCEDURES = 40
PROCEDURES_PER_DEPARTMENT = 24
COMMON_PROCEDURES = 6
DEFAULT_POSTGRES_URL = "postgresql+psycopg://auditready@127.0.0.1:55432/postgres"
BENCH_DATABASE = "bench_summary"
CACHE_DIR = Path("/tmp")
TARGET_RATIO = 3.0
TARGET_SPEEDUP = 10.0
TARGET_MEMORY_MB = 300.0
BULK_TABLES = ("delivery", "answer", "answer_clause")
ANALYSIS_TABLES = ("analysis_run", "verdict_cell", "verdict_practice", "verdict_question")
MIGRATION_VERSIONS = MIGRATIONS / "versions"
BUILT_FROM = tuple(
    Path(m.__file__ or "")
    for m in (storage.tallies, storage.rollups, storage.rebuild, storage.analysis, storage.verdicts)
)
SIZED_TABLES = (*BULK_TABLES, "daily_tally", "reach", "reach_day", *ANALYSIS_TABLES[1:])


@dataclass(frozen=True)
class Department:
    name: str
    weight: float
    skill: float
    roles: tuple[str, ...]


DEPARTMENTS = (
    Department("Production", 0.28, 0.74, ("operator", "operator", "operator", "supervisor")),
    Department("Warehouse", 0.14, 0.66, ("operator", "driver", "driver", "supervisor")),
    Department("Logistics", 0.11, 0.69, ("planner", "driver", "coordinator")),
    Department("Quality", 0.10, 0.88, ("inspector", "inspector", "engineer", "coordinator")),
    Department("Maintenance", 0.10, 0.77, ("technician", "technician", "engineer")),
    Department("Sales", 0.10, 0.70, ("coordinator", "account manager")),
    Department("IT", 0.06, 0.81, ("technician", "engineer", "administrator")),
    Department("Finance", 0.05, 0.79, ("accountant", "controller")),
)
NO_DEPARTMENT = Department(UNASSIGNED, 0.0, 0.70, ("contractor",))
CLAUSES = tuple(
    [f"ISO 9001:2015 {c}" for c in ("4.4", "5.1", "6.1", "7.1.5", "7.2", "7.3", "7.5.3")]
    + [f"ISO 9001:2015 {c}" for c in ("8.2", "8.4", "8.5.1", "8.5.2", "8.5.4", "8.6", "8.7")]
    + [f"ISO 9001:2015 {c}" for c in ("9.1.2", "9.2", "10.2")]
    + [f"ISO 14001:2015 {c}" for c in ("6.1.2", "8.1", "8.2")]
    + [f"ISO 45001:2018 {c}" for c in ("5.4", "6.1.2", "8.1.2", "8.2")]
)
TIME_ZONES = ("Europe/London", "Europe/Berlin", "Europe/Warsaw", "America/Chicago")
KEYS = ("a", "b", "c")


# -- options -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    people: int
    questions: int
    answers: int
    repeats: int
    skip_postgres: bool
    postgres_url: str
    keep_postgres: bool
    rebuild: bool


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=10_000, help="people (10000)")
    parser.add_argument("--questions", type=int, default=500, help="questions (500)")
    parser.add_argument("--answers", type=int, default=1_000_000, help="answers (1000000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs after a warm-up (3)")
    parser.add_argument("--skip-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help=f"a server to create `{BENCH_DATABASE}` on ({DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument(
        "--keep-postgres", action="store_true", help=f"leave `{BENCH_DATABASE}` for inspection"
    )
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached SQLite file")
    args = parser.parse_args(argv)
    if min(args.people, args.questions, args.answers, args.repeats) < 1:
        parser.error("--people, --questions, --answers and --repeats must be at least 1")
    return Options(
        people=args.people,
        questions=args.questions,
        answers=args.answers,
        repeats=args.repeats,
        skip_postgres=args.skip_postgres,
        postgres_url=args.postgres_url,
        keep_postgres=args.keep_postgres,
        rebuild=args.rebuild,
    )


# -- the generated organisation ----------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureSpec:
    id: int
    code: str
    revision: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    code: str
    procedure: ProcedureSpec
    correct: str
    difficulty: float
    # How wrong answers spread over the two wrong options (the first one's share).
    first_wrong_share: float

    @property
    def wrong(self) -> tuple[str, str]:
        first, second = (k for k in KEYS if k != self.correct)
        return first, second


@dataclass(frozen=True)
class PersonSpec:
    id: int
    department: Department
    role: str
    ability: float
    silent: bool

    @property
    def department_name(self) -> str | None:
        return None if self.department is NO_DEPARTMENT else self.department.name


@dataclass(frozen=True)
class World:
    procedures: list[ProcedureSpec]
    questions: list[QuestionSpec]
    people: list[PersonSpec]
    questions_for: dict[str, list[QuestionSpec]]


def make_world(people: int, questions: int, rng: random.Random) -> World:
    procedures = [
        ProcedureSpec(
            id=i + 1,
            code=f"QP-{i + 1:02d}",
            revision=rng.choice("BCDE"),
            clauses=tuple(rng.sample(CLAUSES, rng.choice((2, 2, 3)))),
        )
        for i in range(PROCEDURES)
    ]
    bank = [make_question(i, procedures[i % PROCEDURES], rng) for i in range(questions)]
    staff = [make_person(i, rng) for i in range(people)]
    questions_for = {
        d.name: relevant_questions(bank, procedures, rng) for d in (*DEPARTMENTS, NO_DEPARTMENT)
    }
    return World(procedures, bank, staff, questions_for)


def make_question(index: int, procedure: ProcedureSpec, rng: random.Random) -> QuestionSpec:
    draw = rng.random()
    if draw < HARD_SHARE:
        difficulty, first_wrong = -0.6, 0.5
    elif draw < HARD_SHARE + PRACTICE_SHARE:
        # A wrong answer most people agree on: practice differs from the procedure.
        difficulty, first_wrong = -0.3, 0.9
    else:
        difficulty, first_wrong = rng.gauss(0.0, 0.08), 0.5
    return QuestionSpec(
        id=index + 1,
        code=f"Q-{index + 1:04d}",
        procedure=procedure,
        correct=rng.choice(KEYS),
        difficulty=difficulty,
        first_wrong_share=first_wrong,
    )


def make_person(index: int, rng: random.Random) -> PersonSpec:
    if rng.random() < NO_DEPARTMENT_SHARE:
        department = NO_DEPARTMENT
    else:
        department = rng.choices(DEPARTMENTS, weights=[d.weight for d in DEPARTMENTS])[0]
    return PersonSpec(
        id=index + 1,
        department=department,
        role=rng.choice(department.roles),
        ability=rng.gauss(0.0, 0.07),
        silent=rng.random() < SILENT_SHARE,
    )


def relevant_questions(
    bank: list[QuestionSpec], procedures: list[ProcedureSpec], rng: random.Random
) -> list[QuestionSpec]:
    """A department is asked about the common procedures and a share of the others."""
    common = procedures[:COMMON_PROCEDURES]
    own = rng.sample(procedures[COMMON_PROCEDURES:], PROCEDURES_PER_DEPARTMENT - COMMON_PROCEDURES)
    codes = {p.code for p in (*common, *own)}
    return [q for q in bank if q.procedure.code in codes] or bank


# -- small tables ------------------------------------------------------------------------------


def procedure_rows(world: World) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "code": p.code,
            "title": f"Procedure {p.code}",
            "revision": p.revision,
            "owner": "Quality Manager",
            "clauses": list(p.clauses),
            "document": f"https://docs.example.com/{p.code}",
            "retired_at": None,
        }
        for p in world.procedures
    ]


def question_rows(world: World) -> list[dict[str, Any]]:
    return [
        {"id": q.id, "code": q.code, "procedure_id": q.procedure.id, "current_version": 1}
        for q in world.questions
    ]


def version_rows(world: World) -> list[dict[str, Any]]:
    return [
        {
            "id": q.id,
            "question_id": q.id,
            "version": 1,
            "content_hash": f"{q.id:064x}",
            "kind": "single",
            "prompt": f"Question {q.code} about {q.procedure.code}?",
            "options": [[k, f"Option {k} of {q.code}"] for k in KEYS],
            "correct": [q.correct],
            "explanation": "See the procedure.",
            "section": f"{q.procedure.code} section {q.id % 7 + 1}",
            "clauses": list(q.procedure.clauses),
            "audience_departments": [],
            "audience_roles": [],
            "created_at": NOW - timedelta(days=HISTORY_DAYS + 30),
        }
        for q in world.questions
    ]


def person_rows(world: World) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "slack_id": f"U{p.id:08d}",
            "name": f"Person {p.id}",
            "email": f"person{p.id}@example.com",
            "tz": TIME_ZONES[p.id % len(TIME_ZONES)],
            "department": p.department_name,
            "role": p.role,
            "is_manager": p.id % 40 == 0,
            "is_admin": p.id == 1,
            "is_active": True,
            "paused_until": None,
            "country": "GB",
            "synced_at": NOW - timedelta(days=1),
        }
        for p in world.people
    ]


# -- deliveries, answers and answer clauses ----------------------------------------------------

DELIVERY_COLUMNS = (
    "id",
    "round_id",
    "person_id",
    "question_version_id",
    "source",
    "question_code",
    "procedure_code",
    "department",
    "role",
    "delivered_at",
    "channel",
    "message_ts",
    "send_error",
    "claimed_at",
    "closes_at",
    "closed_at",
    "reminded_at",
)
ANSWER_COLUMNS = (
    "id",
    "delivery_id",
    "person_id",
    "question_version_id",
    "question_code",
    "question_version",
    "chosen",
    "choice",
    "is_correct",
    "answered_at",
    "seconds_taken",
    "department",
    "role",
    "procedure_code",
    "procedure_revision",
    "clauses",
)
CLAUSE_COLUMNS = (
    "id",
    "answer_id",
    "clause",
    "person_id",
    "department",
    "is_correct",
    "answered_at",
)
COLUMNS = {"delivery": DELIVERY_COLUMNS, "answer": ANSWER_COLUMNS, "answer_clause": CLAUSE_COLUMNS}
Rows = dict[str, list[tuple[Any, ...]]]


def history_days() -> list[date]:
    return [NOW.date() - timedelta(days=d) for d in range(HISTORY_DAYS, 0, -1)]


def per_day(total: int, days: list[date]) -> list[int]:
    """`total` split over the days, weekends at a tenth of a weekday, summing exactly."""
    weights = [1.0 if day.weekday() < 5 else 0.1 for day in days]
    whole = sum(weights)
    counts, running, given = [], 0.0, 0
    for weight in weights:
        running += weight
        upto = round(total * running / whole)
        counts.append(upto - given)
        given = upto
    return counts


def delivery_times(total: int, rng: random.Random) -> Iterator[datetime]:
    """`total` moments in time order over the history, in working hours (UTC)."""
    days = history_days()
    for day, count in zip(days, per_day(total, days), strict=True):
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        for second in sorted(rng.uniform(7 * 3600, 17 * 3600) for _ in range(count)):
            yield start + timedelta(seconds=second)


def answer_delay(delivered: datetime, rng: random.Random) -> timedelta:
    """Most answer within hours, a few the next day; nobody answers after NOW."""
    delay = timedelta(seconds=min(rng.expovariate(1 / (4 * 3600)), 47 * 3600))
    if delivered + delay >= NOW:
        delay = (NOW - delivered) * rng.random()
    return delay


@dataclass
class Activity:
    """Generates the deliveries, answers and clause rows in batches, in time order."""

    world: World
    answers: int
    rng: random.Random
    answer_id: int = 0
    clause_id: int = 0
    active: list[PersonSpec] = field(default_factory=list)
    silent: list[PersonSpec] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.active = [p for p in self.world.people if not p.silent] or self.world.people
        self.silent = [p for p in self.world.people if p.silent] or self.active

    def batches(self) -> Iterator[Rows]:
        unanswered = round(self.answers * UNANSWERED_SHARE)
        total = self.answers + unanswered
        skipped = set(self.rng.sample(range(total), unanswered))
        rows: Rows = {name: [] for name in COLUMNS}
        for index, delivered in enumerate(delivery_times(total, self.rng)):
            self.add(rows, index + 1, delivered, answered=index not in skipped)
            if len(rows["delivery"]) >= BATCH:
                yield rows
                rows = {name: [] for name in COLUMNS}
        if rows["delivery"]:
            yield rows

    def pick_person(self, answered: bool) -> PersonSpec:
        if not answered and self.rng.random() < 0.25:
            return self.rng.choice(self.silent)
        return self.rng.choice(self.active)

    def add(self, rows: Rows, delivery_id: int, delivered: datetime, *, answered: bool) -> None:
        rng = self.rng
        person = self.pick_person(answered)
        question = rng.choice(self.world.questions_for[person.department.name])
        closes = delivered + timedelta(hours=48)
        rows["delivery"].append(
            (
                delivery_id,
                None,
                person.id,
                question.id,
                "scheduled" if delivery_id % 10 else "quiz",
                question.code,
                question.procedure.code,
                person.department_name,
                person.role,
                delivered,
                f"D{person.id:08d}",
                f"{delivered.timestamp():.6f}",
                None,
                delivered,
                closes,
                None if answered or closes > NOW else closes,
                None,
            )
        )
        if answered:
            self.add_answer(rows, delivery_id, person, question, delivered)

    def add_answer(
        self,
        rows: Rows,
        delivery_id: int,
        person: PersonSpec,
        question: QuestionSpec,
        delivered: datetime,
    ) -> None:
        rng = self.rng
        skill = person.department.skill + person.ability + question.difficulty
        correct = rng.random() < min(0.98, max(0.03, skill))
        if correct:
            choice = question.correct
        else:
            first, second = question.wrong
            choice = first if rng.random() < question.first_wrong_share else second
        delay = answer_delay(delivered, rng)
        answered_at = delivered + delay
        self.answer_id += 1
        department = person.department_name
        procedure = question.procedure
        rows["answer"].append(
            (
                self.answer_id,
                delivery_id,
                person.id,
                question.id,
                question.code,
                1,
                [choice],
                choice,
                correct,
                answered_at,
                int(delay.total_seconds()),
                department,
                person.role,
                procedure.code,
                procedure.revision,
                list(procedure.clauses),
            )
        )
        for clause in procedure.clauses:
            self.clause_id += 1
            rows["answer_clause"].append(
                (
                    self.clause_id,
                    self.answer_id,
                    clause,
                    person.id,
                    department,
                    correct,
                    answered_at,
                )
            )


# -- building ----------------------------------------------------------------------------------


def schema_head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    return head or "none"


def built_from() -> str:
    """A digest of the code the cached file's contents come from, beyond the generator here.

    The migrations (a revision can change without a new head), the tallies and their rebuild,
    and the stored analysis.
    """
    digest = hashlib.sha256()
    for path in [*sorted(MIGRATION_VERSIONS.glob("*.py")), *BUILT_FROM]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def sqlite_cache_path(options: Options) -> Path:
    sizes = f"{options.people}p-{options.questions}q-{options.answers}a"
    key = f"v{DATA_VERSION}-{schema_head()}-{built_from()}-{sizes}"
    return CACHE_DIR / f"auditready-bench-summary-{key}.db"


def build_database(url: str, people: int, questions: int, answers: int, facts: str) -> None:
    """Migrate, fill, tally, ANALYZE and analyse one database; run in a child process.

    What the build measured goes to the JSON file `facts` (see `build_in_child`).
    """
    rng = random.Random(SEED)
    world = make_world(people, questions, rng)
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as connection:
        prepare_session(connection)
        with connection.begin():
            fill(connection, world, answers, rng)
    # The bulk load went around the ORM, so its flush listener kept no tallies: rebuild them
    # from the raw rows, as migration 0006 does on an existing install. A fresh connection,
    # so the load's settings (SQLite's big page cache, PostgreSQL's maintenance_work_mem) go.
    engine.dispose()
    started = time.perf_counter()
    with engine.connect() as connection, connection.begin():
        rebuild(connection)
    rebuild_seconds = time.perf_counter() - started
    analyze(engine)
    # The question analysis the gap report reads, stored once as the sweep would.
    started = time.perf_counter()
    services_for(lambda: UnitOfWork(make_session_factory(engine)))[1].refresh_analysis()
    refresh_seconds = time.perf_counter() - started
    finish(engine)
    found: dict[str, Any] = {
        "rebuild_seconds": rebuild_seconds,
        "first_refresh_seconds": refresh_seconds,
        "rows": table_rows(engine),
    }
    engine.dispose()
    Path(facts).write_text(json.dumps(found))


def table_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: int(connection.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar_one())
            for name in SIZED_TABLES
        }


def fill(connection: Connection, world: World, answers: int, rng: random.Random) -> None:
    """Every row, inside one transaction, with the plain indexes built once at the end."""
    indexes = drop_secondary_indexes(connection)
    insert_small_tables(connection, world)
    sqlite = connection.dialect.name == "sqlite"
    bulk = SqliteBulk(connection) if sqlite else PostgresBulk(connection)
    for rows in Activity(world, answers, rng).batches():
        for table, batch in rows.items():
            bulk.write(table, batch)
    for sql in indexes:
        connection.exec_driver_sql(sql)
    if not sqlite:
        reset_sequences(connection)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def prepare_session(connection: Connection) -> None:
    """Settings for the load only; they last as long as this connection, outside transactions."""
    driver = connection.connection.driver_connection
    assert driver is not None
    if connection.dialect.name == "sqlite":
        driver.execute("PRAGMA cache_size=-500000")
        driver.execute("PRAGMA synchronous=OFF")
    else:
        driver.execute("SET maintenance_work_mem = '512MB'")
        driver.commit()


def drop_secondary_indexes(connection: Connection) -> list[str]:
    """Drop the plain indexes of the bulk tables; return the SQL that recreates them as they were.

    Primary keys and unique constraints stay, so the load still checks them.
    """
    if connection.dialect.name == "sqlite":
        found = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN {BULK_TABLES!r}"
        ).all()
    else:
        found = connection.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            f" AND tablename IN {BULK_TABLES!r}"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).all()
    for name, _ in found:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [str(sql) for _, sql in found]


def insert_small_tables(connection: Connection, world: World) -> None:
    tables = schema_metadata.tables
    for name, rows in (
        ("procedure", procedure_rows(world)),
        ("question", question_rows(world)),
        ("question_version", version_rows(world)),
        ("person", person_rows(world)),
    ):
        connection.execute(insert(tables[name]), rows)


class SqliteBulk:
    """executemany on the driver, values converted by the columns' own SQLAlchemy types."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._converters = {
            name: column_converters(schema_metadata.tables[name], columns, connection)
            for name, columns in COLUMNS.items()
        }

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = COLUMNS[table]
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        convert = self._converters[table]
        driver = self._connection.connection.driver_connection
        assert driver is not None
        driver.executemany(sql, [convert(row) for row in rows])


def column_converters(
    table: Table, columns: Sequence[str], connection: Connection
) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in columns]

    def convert(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            p(v) if p is not None and v is not None else v
            for p, v in zip(processors, row, strict=True)
        )

    return convert


class PostgresBulk:
    """COPY FROM STDIN through psycopg; JSON columns written as JSON text."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        tables = schema_metadata.tables
        self._json = {
            name: [i for i, c in enumerate(columns) if isinstance(tables[name].c[c].type, JSON)]
            for name, columns in COLUMNS.items()
        }

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        driver = self._connection.connection.driver_connection
        assert driver is not None
        json_at = self._json[table]
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy,
        ):
            for row in rows:
                if json_at:
                    values = list(row)
                    for i in json_at:
                        values[i] = json.dumps(values[i])
                    row = tuple(values)
                copy.write_row(row)


def reset_sequences(connection: Connection) -> None:
    for table in schema_metadata.sorted_tables:
        if "id" in table.c and table.name != "apscheduler_jobs":
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                f" coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )


def analyze(engine: Engine) -> None:
    if is_sqlite(engine):
        with engine.connect() as connection:
            # On the driver, in autocommit: ANALYZE is no part of a transaction here.
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.execute("ANALYZE")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def finish(engine: Engine) -> None:
    """Statistics for the stored analysis too; SQLite's write-ahead log folded into the file."""
    if is_sqlite(engine):
        with engine.connect() as connection:
            # A checkpoint can't run inside a transaction.
            driver = connection.connection.driver_connection
            assert driver is not None
            for table in ANALYSIS_TABLES:
                driver.execute(f"ANALYZE {table}")
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"ANALYZE {', '.join(ANALYSIS_TABLES)}")


@dataclass(frozen=True)
class Built:
    """How a database was prepared, for the report."""

    how: str
    seconds: float | None
    rebuild_seconds: float
    first_refresh_seconds: float
    rows: dict[str, int]

    def line(self) -> str:
        rows = ", ".join(f"{n:,} {t}" for t, n in self.rows.items())
        took = f" in {self.seconds:.1f} s" if self.seconds is not None else ""
        return (
            f"{self.how}{took}; tallies rebuilt in {self.rebuild_seconds:.1f} s, analysis first "
            f"stored in {self.first_refresh_seconds:.1f} s; {rows}"
        )


def build_in_child(url: str, options: Options, facts: Path) -> float:
    """Build in a separate process, so its memory does not count in this one's peak."""
    facts.unlink(missing_ok=True)
    started = time.perf_counter()
    child = multiprocessing.get_context("spawn").Process(
        target=build_database,
        args=(url, options.people, options.questions, options.answers, str(facts)),
    )
    child.start()
    child.join()
    if child.exitcode != 0 or not facts.exists():
        raise SystemExit(f"building {make_url(url).render_as_string()} failed")
    return time.perf_counter() - started


def built(how: str, seconds: float | None, facts: Path) -> Built:
    found = json.loads(facts.read_text())
    return Built(
        how=how,
        seconds=seconds,
        rebuild_seconds=float(found["rebuild_seconds"]),
        first_refresh_seconds=float(found["first_refresh_seconds"]),
        rows={str(k): int(v) for k, v in found["rows"].items()},
    )


def prepare_sqlite(options: Options) -> tuple[str, Built]:
    """The cached SQLite file's URL, building it first if needed; and how it was prepared."""
    path = sqlite_cache_path(options)
    facts = path.with_suffix(".json")
    if path.exists() and facts.exists() and not options.rebuild:
        return f"sqlite:///{path}", built(
            f"cached at {path} (build facts from when built)", None, facts
        )
    building = path.with_suffix(".building")
    building_facts = path.with_suffix(".building.json")
    for stale in (building, Path(f"{building}-wal"), Path(f"{building}-shm"), facts):
        stale.unlink(missing_ok=True)
    seconds = build_in_child(f"sqlite:///{building}", options, building_facts)
    os.replace(building, path)
    os.replace(building_facts, facts)
    return f"sqlite:///{path}", built(f"built at {path}", seconds, facts)


def admin_engine(options: Options) -> Engine:
    return create_engine(options.postgres_url, isolation_level="AUTOCOMMIT")


def prepare_postgres(options: Options) -> tuple[str, Built]:
    url = make_url(options.postgres_url).set(database=BENCH_DATABASE)
    drop_postgres(options)
    admin = admin_engine(options)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {BENCH_DATABASE}")
    admin.dispose()
    rendered = url.render_as_string(hide_password=False)
    with tempfile.TemporaryDirectory() as folder:
        facts = Path(folder) / "facts.json"
        seconds = build_in_child(rendered, options, facts)
        return rendered, built(f"built in database {BENCH_DATABASE}", seconds, facts)


def drop_postgres(options: Options) -> None:
    admin = admin_engine(options)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    admin.dispose()


# -- timing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    samples: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def line(self) -> str:
        return f"min {self.best:8.3f} s   median {self.median:8.3f} s"


def measure(action: Callable[[], T], repeats: int) -> tuple[Timing, T]:
    """One warm-up run, then `repeats` timed runs."""
    result = action()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        samples.append(time.perf_counter() - started)
    return Timing(tuple(samples)), result


def current_period() -> Period:
    """The report's default period, as GapService works it out with the clock at NOW.

    Whole UTC days: it starts at midnight of its first day.
    """
    return services_for(no_database)[1].default_period()


def previous_days(period: Period) -> tuple[date, date]:
    """The days [start, end) the gap report compares the period with, as GapService does."""
    since = first_day(period)
    midnight = datetime(since.year, since.month, since.day, tzinfo=UTC)
    days = (period.end - midnight).days + 1
    return since - timedelta(days=days), since


def no_database() -> UnitOfWork:
    raise RuntimeError("working out the period needs no database")


def services_for(uow: Callable[[], UnitOfWork]) -> tuple[SummaryService, GapService]:
    access = Access(uow=uow, admins=[])
    return (
        SummaryService(uow=uow, access=access),
        GapService(uow=uow, access=access, rules=GapRules(), clock=lambda: NOW, days=PERIOD_DAYS),
    )


ADMIN = OPERATOR


@dataclass
class Summary:
    """What /awareness computes for an admin (bot/slack/summary/listeners.py `post_summary`).

    The gap report over the default period, with the stored question analysis; then the
    awareness summary since that period's start, given the report's department x procedure
    cells so that it does not read them again.
    """

    uow: Callable[[], UnitOfWork]
    awareness_seconds: list[float] = field(default_factory=list)
    report_seconds: list[float] = field(default_factory=list)

    def run(self) -> tuple[GapReport, AwarenessSummary]:
        awareness, gaps = services_for(self.uow)
        started = time.perf_counter()
        report = gaps.report(caller=ADMIN)
        middle = time.perf_counter()
        summary = awareness.summary(
            caller=ADMIN, since=report.period.start, cells=[g.cell for g in report.procedures]
        )
        self.report_seconds.append(middle - started)
        self.awareness_seconds.append(time.perf_counter() - middle)
        return report, summary


# What the breakdown times: (module, function, label). Each call is timed from the call to its
# return, so fetching the rows and building the results counts too. Calls made inside another
# timed call are shown under it and not added to the total twice.
TIMED_CALLS = (
    (bot.services.summary.gaps, "clause_cells", "clause_cells"),
    (bot.services.summary.gaps, "past_totals", "past_totals"),
    (bot.services.summary.gaps, "procedure_cells", "procedure_cells"),
    (bot.services.summary.gaps, "_procedure_clauses", "_procedure_clauses"),
    (bot.services.summary.gaps, "silences", "silences"),
    (storage.verdicts, "read", "verdicts.read"),
    (bot.services.summary.verdicts, "refresh", "verdicts.refresh (recompute)"),
    (bot.services.summary.gaps, "_practice_flags", "_practice_flags"),
    (bot.services.summary.counts, "awareness_counts", "awareness_counts"),
    (storage.queries, "procedure_cells", "procedure_cells"),
    (storage.queries, "_department_people", "_department_people"),
    (storage.queries, "_overall", "_overall"),
)


@dataclass(frozen=True)
class Call:
    label: str
    depth: int
    seconds: float
    statements: int


@dataclass
class CallClock:
    """Times each product query function during one run, and counts its SQL statements."""

    engine: Engine
    calls: list[Call] = field(default_factory=list)
    statements: int = 0
    _depth: int = 0
    _patches: list[Any] = field(default_factory=list)

    def __enter__(self) -> CallClock:
        event.listen(self.engine, "before_cursor_execute", self._count)
        for module, name, label in TIMED_CALLS:
            patch = mock.patch.object(module, name, self._timed(getattr(module, name), label))
            patch.start()
            self._patches.append(patch)
        return self

    def __exit__(self, *_: object) -> None:
        for patch in reversed(self._patches):
            patch.stop()
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _connection: object, _cursor: object, statement: str, *_: object) -> None:
        # SQLite's BEGIN IMMEDIATE (one per unit of work) is not one of the report's queries.
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.statements += 1

    def _timed(self, function: Callable[..., T], label: str) -> Callable[..., T]:
        def timed(*args: Any, **kwargs: Any) -> T:
            before, depth = self.statements, self._depth
            # Reserve this call's place, so nested calls are listed after it.
            index = len(self.calls)
            self.calls.append(Call(label, depth, 0.0, 0))
            self._depth += 1
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                self._depth -= 1
            elapsed = time.perf_counter() - started
            name = _call_name(label, kwargs)
            self.calls[index] = Call(name, depth, elapsed, self.statements - before)
            return result

        return timed

    def names(self) -> list[str]:
        return [c.label for c in self.calls]


def _call_name(label: str, kwargs: dict[str, Any]) -> str:
    if label == "past_totals":
        return f"past_totals ({kwargs.get('kind')}, previous period)"
    if label in ("procedure_cells", "clause_cells", "silences"):
        return f"{label} (period)"
    return label


# -- the measured parts ------------------------------------------------------------------------


def floor_query(session: Session, period: Period) -> int:
    """One pass over every answer in the period: the least any report over it must read."""
    statement = select(func.sum(case((models.Answer.is_correct, 1), else_=0))).where(
        models.Answer.answered_at >= period.start
    )
    return int(session.execute(statement).scalar_one() or 0)


@dataclass
class NaiveCell:
    answers: int = 0
    correct: int = 0
    people: set[int] = field(default_factory=set)


def naive_cells(session: Session, period: Period) -> dict[tuple[str, str], NaiveCell]:
    """Every answer in the period loaded into Python, counted per department x procedure."""
    answer = models.Answer
    rows = session.execute(
        select(answer.department, answer.procedure_code, answer.is_correct, answer.person_id).where(
            answer.answered_at >= period.start, answer.answered_at < period.end
        )
    ).all()
    cells: dict[tuple[str, str], NaiveCell] = {}
    for department, procedure, correct, person in rows:
        key = (department or UNASSIGNED, procedure)
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = NaiveCell()
        cell.answers += 1
        cell.correct += 1 if correct else 0
        cell.people.add(person)
    return cells


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


def in_session(factory: Any, action: Callable[[Session], T]) -> Callable[[], T]:
    def run() -> T:
        with factory() as session:
            return action(session)

    return run


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
        with CallClock(engine) as clock:
            started = time.perf_counter()
            summary.run()
            profiled = time.perf_counter() - started
        tracemalloc.start()
        summary.run()
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
        gaps.refresh_analysis()
        refresh_traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
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


# -- checks: the tallies against the raw rows --------------------------------------------------


def _correct(column: Any) -> Any:
    return func.coalesce(func.sum(case((column, 1), else_=0)), 0)


CellCounts = dict[tuple[str, str], tuple[int, ...]]
Counts = Mapping[Any, tuple[int, ...]]


def raw_procedure_cells(session: Session, start: date, end: date | None) -> CellCounts:
    """Deliveries, answers, correct per department x procedure, delivered on days [start, end)."""
    delivery, answer = models.Delivery, models.Answer
    department = func.coalesce(delivery.department, UNASSIGNED)
    statement = (
        select(
            department,
            delivery.procedure_code,
            func.count(delivery.id),
            func.count(answer.id),
            _correct(answer.is_correct),
        )
        .select_from(delivery)
        .outerjoin(answer, answer.delivery_id == delivery.id)
        .where(delivery.send_error.is_(None), delivery.delivered_at >= midnight(start))
        .group_by(department, delivery.procedure_code)
    )
    if end is not None:
        statement = statement.where(delivery.delivered_at < midnight(end))
    return {(d, p): (int(n), int(a), int(c)) for d, p, n, a, c in session.execute(statement)}


def raw_clause_cells(session: Session, start: date, end: date | None) -> CellCounts:
    """Answers and correct per department x clause, answered on days [start, end)."""
    clause = models.AnswerClause
    department = func.coalesce(clause.department, UNASSIGNED)
    statement = (
        select(department, clause.clause, func.count(clause.id), _correct(clause.is_correct))
        .where(clause.answered_at >= midnight(start))
        .group_by(department, clause.clause)
    )
    if end is not None:
        statement = statement.where(clause.answered_at < midnight(end))
    return {(d, c): (int(a), int(k)) for d, c, a, k in session.execute(statement)}


def raw_people(session: Session, start: date) -> dict[str, tuple[int, int]]:
    """Per department ("" for everyone), people sent and people answering, delivered since."""
    delivery, answer = models.Delivery, models.Answer
    department = func.coalesce(delivery.department, UNASSIGNED)
    base = (
        select(
            func.count(func.distinct(delivery.person_id)),
            func.count(func.distinct(answer.person_id)),
        )
        .select_from(delivery)
        .outerjoin(answer, answer.delivery_id == delivery.id)
        .where(delivery.send_error.is_(None), delivery.delivered_at >= midnight(start))
    )
    sent, answering = session.execute(base).one()
    found = {"": (int(sent), int(answering))}
    for n, a, d in session.execute(base.add_columns(department).group_by(department)):
        found[str(d)] = (int(n), int(a))
    return found


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def compare(what: str, tallied: Counts, raw: Counts) -> list[str]:
    """One line per key whose counts differ (the first ten, then how many)."""
    differ = [key for key in sorted(set(tallied) | set(raw)) if tallied.get(key) != raw.get(key)]
    problems = [f"{what} {k}: tallies {tallied.get(k)}, raw rows {raw.get(k)}" for k in differ[:10]]
    if len(differ) > 10:
        problems.append(f"{what}: {len(differ)} differ in all")
    return problems


def totals(cells: Counts) -> tuple[int, ...]:
    return tuple(sum(values) for values in zip(*cells.values(), strict=True))


def tally_problems(
    session: Session, period: Period, awareness: AwarenessSummary, report: GapReport
) -> list[str]:
    """Every count the summary read from the tallies, recounted from the raw rows."""
    since = first_day(period)
    before = previous_days(period)
    procedures = {
        (c.department, c.subject): (c.deliveries, c.answers, c.correct)
        for c in procedure_cells(session, departments=None, since=since)
    }
    clauses = {
        (c.department, c.subject): (c.answers, c.correct)
        for c in clause_cells(session, departments=None, since=since)
    }
    raw_procedures = raw_procedure_cells(session, since, None)
    raw_clauses = raw_clause_cells(session, since, None)
    problems = compare("procedure cell", procedures, raw_procedures)
    problems += compare("clause cell", clauses, raw_clauses)
    for kind, raw in (
        (PROCEDURE, {k: v[1:] for k, v in raw_procedure_cells(session, *before).items() if v[1]}),
        (CLAUSE, {k: v for k, v in raw_clause_cells(session, *before).items() if v[0]}),
    ):
        past = past_totals(session, kind=kind, departments=None, start=before[0], end=before[1])
        problems += compare(f"previous-period {kind} cell", past, raw)
    people = raw_people(session, since)
    overall = awareness.counts.overall
    summary_people: dict[str, tuple[int, int]] = {
        "": (overall.people_reached, overall.people_answered)
    }
    summary_people |= {
        t.key[0]: (t.people_reached, t.people_answered) for t in awareness.counts.by_department
    }
    problems += compare("people (sent, answering) in department", summary_people, people)
    report_cells = {
        (g.cell.department, g.cell.subject): (g.cell.deliveries, g.cell.answers, g.cell.correct)
        for g in report.procedures
    }
    problems += compare("gap report procedure cell", report_cells, raw_procedures)
    print(
        f"  raw recount: {len(raw_procedures)} procedure cells, {totals(raw_procedures)} "
        f"(deliveries, answers, correct); {len(raw_clauses)} clause cells, "
        f"{totals(raw_clauses)} (answers, correct); {people['']} people (sent, answering)",
        flush=True,
    )
    return problems


def cells_problems(
    uow: Callable[[], UnitOfWork], report: GapReport, given: AwarenessSummary
) -> list[str]:
    """The awareness summary given the report's cells says what it says reading its own."""
    awareness, _ = services_for(uow)
    read = awareness.summary(caller=ADMIN, since=report.period.start)
    if read.counts != given.counts:
        return ["the awareness summary differs when it reads the cells itself"]
    return []


def analysis_problems(stored: GapReport, fresh: GapReport, clock: CallClock) -> list[str]:
    """The stored verdicts were the ones read, and they say what a recomputation says."""
    problems = []
    names = clock.names()
    if "verdicts.read" not in names or "verdicts.refresh (recompute)" in names:
        problems.append(f"the gap report did not read the stored verdicts: {names}")
    if verdicts_of(stored) != verdicts_of(fresh):
        problems.append("cell verdicts differ between the stored and the recomputed ones")
    if stored.analysis_as_of != NOW:
        problems.append(f"stored analysis as of {stored.analysis_as_of}, expected {NOW}")
    if flags_of(stored) != flags_of(fresh):
        problems.append("practice flags differ between the stored and the live analysis")
    if quality_of(stored) != quality_of(fresh):
        problems.append("question quality differs between the stored and the live analysis")
    return problems


def verdicts_of(report: GapReport) -> list[tuple[Any, ...]]:
    return [
        (
            g.cell.department,
            g.cell.subject,
            g.grade,
            None if g.p_weak is None else round(g.p_weak, 9),
        )
        for g in report.procedures
    ]


def flags_of(report: GapReport) -> list[tuple[Any, ...]]:
    return [(f.question_code, f.wrong_choice, f.chosen, f.answers) for f in report.practice]


def quality_of(report: GapReport) -> list[tuple[Any, ...]]:
    return [
        (
            q.question_code,
            q.answers,
            round(q.facility, 9),
            None if q.discrimination is None else round(q.discrimination, 9),
            q.flags,
        )
        for q in report.quality
    ]


def time_naive(url: str, repeats: int) -> tuple[Timing, int]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    period = current_period()
    try:
        timing, cells = measure(in_session(factory, lambda s: naive_cells(s, period)), repeats)
    finally:
        engine.dispose()
    return timing, sum(c.correct for c in cells.values())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- report ------------------------------------------------------------------------------------


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
    options = parse_options(argv)
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
