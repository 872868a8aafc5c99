"""Building the benchmark database by bulk insert (SQLite) and COPY (PostgreSQL), cached."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    Table,
    create_engine,
    insert,
)
from sqlalchemy.engine import make_url
from summary_activity import COLUMNS, Activity
from summary_company import (
    ANALYSIS_TABLES,
    BENCH_DATABASE,
    BUILT_FROM,
    BULK_TABLES,
    CACHE_DIR,
    DATA_VERSION,
    MIGRATION_VERSIONS,
    NOW,
    PERIOD_DAYS,
    SEED,
    SIZED_TABLES,
    World,
    make_world,
    person_rows,
    procedure_rows,
    question_rows,
    version_rows,
)
from summary_options import Options

from bot.domain.summary.gaps import GapRules
from bot.services.access import OPERATOR, Access
from bot.services.summary.counts import SummaryService
from bot.services.summary.gaps import GapService
from storage.db import (
    UnitOfWork,
    alembic_config,
    make_engine,
    make_session_factory,
    upgrade,
)
from storage.rebuild import rebuild
from storage.schema import metadata as schema_metadata

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


ADMIN = OPERATOR


def services_for(uow: Callable[[], UnitOfWork]) -> tuple[SummaryService, GapService]:
    access = Access(uow=uow, admins=[])
    return (
        SummaryService(uow=uow, access=access),
        GapService(uow=uow, access=access, rules=GapRules(), clock=lambda: NOW, days=PERIOD_DAYS),
    )


def no_database() -> UnitOfWork:
    raise RuntimeError("working out the period needs no database")
