"""The house rules that no single module's tests can see: no import cycles anywhere, and
importing any module changes nothing in the process. The layer contracts themselves are
checked by `lint-imports` (pyproject.toml), which scripts/test.sh runs.
"""

from __future__ import annotations

import subprocess
import sys

import grimp
import pytest

PACKAGES = ("bot", "questions", "storage")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_no_module_imports_itself_through_another(graph: grimp.ImportGraph) -> None:
    cycles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(module))
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []


def test_the_cycle_check_would_see_a_cycle(graph: grimp.ImportGraph) -> None:
    graph.add_import(importer="storage.models", imported="bot.slack.app")
    try:
        assert graph.chain_exists(importer="bot.slack.app", imported="storage.models")
        assert graph.chain_exists(importer="storage.models", imported="bot.slack.app")
    finally:
        graph.remove_import(importer="storage.models", imported="bot.slack.app")


IMPORT_EVERYTHING = """
import importlib, logging, os, pkgutil, sys
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

before = (sorted(os.listdir('.')), list(logging.getLogger().handlers), logging.getLogger().level)
for package in {packages!r}:
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + '.'):
        if '.migrations' in info.name:
            continue  # Alembic's env.py runs only under Alembic
        importlib.import_module(info.name)
after = (sorted(os.listdir('.')), list(logging.getLogger().handlers), logging.getLogger().level)
assert before == after, (before, after)
session_events = ('before_flush', 'after_flush', 'after_flush_postexec', 'before_commit',
                  'after_commit', 'after_begin', 'after_rollback')
session, engine = Session(), create_engine('sqlite://')
for name in session_events:
    assert len(getattr(session.dispatch, name)) == 0, ('Session', name)
for name in ('begin', 'commit', 'before_cursor_execute', 'after_cursor_execute'):
    assert len(getattr(engine.dispatch, name)) == 0, ('Engine', name)
print('imported', len(sys.modules))
"""


def test_importing_every_module_changes_nothing(tmp_path: pytest.TempPathFactory) -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING.format(packages=PACKAGES)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("imported")
