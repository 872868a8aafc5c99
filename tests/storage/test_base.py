"""Storage's structure: the table modules apart, no side effects on import, tallies kept by the
factory (tests/test_architecture.py checks every package for cycles).

The tally listener lives on the sessions `make_session_factory` makes, never on SQLAlchemy's
`Session` class, so importing storage changes no session in the process.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from itertools import permutations

import grimp
import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import models, rollups, tallies, verdicts
from storage.base import Base
from storage.db import make_session_factory
from storage.schema import metadata
from storage.tallies import PROCEDURE, DailyTally, Reach, ReachDay
from tests.storage.tally_world import VERSIONS, new_delivery, seed_reference

MOMENT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("storage", cache_dir=None)


def test_each_table_module_stands_on_the_base_alone(graph: grimp.ImportGraph) -> None:
    table_modules = ("storage.models", "storage.tallies", "storage.verdicts")
    for importer, imported in permutations(table_modules, 2):
        assert not graph.chain_exists(importer=importer, imported=imported), (importer, imported)
    for module in table_modules:
        assert graph.direct_import_exists(importer=module, imported="storage.base")


def test_the_schema_holds_every_table_module() -> None:
    mapped = {mapper.local_table for mapper in Base.registry.mappers}
    assert set(metadata.tables.values()) == mapped
    for module in (models, tallies, verdicts):
        tables = {
            value.__table__
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Base) and value is not Base
        }
        assert tables and tables <= set(metadata.tables.values()), module.__name__


def _in_a_fresh_interpreter(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_importing_storage_adds_no_listener_to_sqlalchemy_sessions() -> None:
    # In a fresh interpreter: here, other tests have imported everything long ago.
    found = _in_a_fresh_interpreter(
        "import importlib, pkgutil, storage\n"
        "from sqlalchemy import event\n"
        "from sqlalchemy.orm import Session\n"
        "for m in pkgutil.iter_modules(storage.__path__):\n"
        "    importlib.import_module(f'storage.{m.name}')\n"
        "from storage import rollups\n"
        "print(event.contains(Session, 'after_flush', rollups._gather),"
        " len(Session().dispatch.after_flush))\n"
    )
    assert found == "False 0"
    assert not event.contains(Session, "after_flush", rollups._gather)


def test_the_table_modules_import_alone_and_the_schema_has_them_all() -> None:
    found = _in_a_fresh_interpreter(
        "import sys\n"
        "import storage.tallies\n"
        "print('storage.models' in sys.modules)\n"
        "import storage.schema\n"
        "print(sorted(storage.schema.metadata.tables))\n"
    )
    tallies_alone, tables = found.splitlines()
    assert tallies_alone == "False"
    assert tables == repr(sorted(metadata.tables))


def _tally_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return sum(
            connection.scalar(select(func.count()).select_from(table)) or 0
            for table in (DailyTally, Reach, ReachDay)
        )


def _deliveries_counted(engine: Engine) -> int:
    with engine.connect() as connection:
        return (
            connection.scalar(
                select(func.sum(DailyTally.deliveries)).where(DailyTally.kind == PROCEDURE)
            )
            or 0
        )


def _deliver(factory: sessionmaker[Session] | None, engine: Engine) -> None:
    with factory() if factory else Session(engine) as session:
        session.add(new_delivery(1, VERSIONS[0], "Production", MOMENT))
        session.commit()


def test_sessions_from_the_factory_keep_the_tallies_and_bare_ones_do_not(engine: Engine) -> None:
    seed_reference(engine)
    _deliver(None, engine)
    assert _tally_rows(engine) == 0

    factory = make_session_factory(engine)
    assert rollups.keeps_tallies(factory)
    _deliver(factory, engine)
    assert _deliveries_counted(engine) == 1
    # Another factory of the same engine is untouched by this one's listener.
    assert not rollups.keeps_tallies(sessionmaker(engine))
    _deliver(sessionmaker(engine), engine)
    assert _deliveries_counted(engine) == 1


def test_keeping_tallies_twice_on_one_factory_counts_once(engine: Engine) -> None:
    seed_reference(engine)
    factory = make_session_factory(engine)
    rollups.keep_tallies(factory)
    rollups.keep_tallies(factory)
    _deliver(factory, engine)
    assert _deliveries_counted(engine) == 1


def test_a_new_factory_keeps_tallies_after_earlier_ones_are_gone(engine: Engine) -> None:
    # A new factory's Session class may reuse a dead one's id(), under which SQLAlchemy still
    # files the old listener: registration must not be skipped for it.
    seed_reference(engine)
    for _ in range(50):
        make_session_factory(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        assert len(session.dispatch.after_flush) == 1
    _deliver(factory, engine)
    assert _deliveries_counted(engine) == 1
    assert not rollups.keeps_tallies(sessionmaker(engine))
