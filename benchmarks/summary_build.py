"""Building the benchmark's database in a child process: migrate, load, rebuild the tallies,
ANALYZE, store the question analysis. The SQLite file is cached; PostgreSQL is built afresh."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from summary_company import SEED, make_world
from summary_load import BULK_TABLES, fill, tune_for_load
from summary_options import BENCH_DATABASE, Options
from summary_services import services_for

import storage.analysis
import storage.rebuild
import storage.rollups
import storage.tallies
import storage.verdicts
from storage.db import (
    MIGRATIONS,
    UnitOfWork,
    alembic_config,
    make_engine,
    make_session_factory,
    upgrade,
)
from storage.rebuild import rebuild

# Bump when the generated data or the build changes, so a cached SQLite file is rebuilt.
# 2: the build rebuilds the running tallies and stores the question analysis.
DATA_VERSION = "2"
CACHE_DIR = Path("/tmp")
ANALYSIS_TABLES = ("analysis_run", "verdict_cell", "verdict_practice", "verdict_question")
SIZED_TABLES = (*BULK_TABLES, "daily_tally", "reach", "reach_day", *ANALYSIS_TABLES[1:])
MIGRATION_VERSIONS = MIGRATIONS / "versions"
BUILT_FROM = tuple(
    Path(m.__file__ or "")
    for m in (storage.tallies, storage.rollups, storage.rebuild, storage.analysis, storage.verdicts)
)


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
        tune_for_load(connection)
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


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


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
