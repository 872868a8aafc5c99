"""The whole app on a loopback port, a fake Slack Web API, and a fresh database per test."""

from __future__ import annotations

import functools
import logging
import operator
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import time_machine
from pydantic import SecretStr
from typer.testing import CliRunner

from bot.cli.main import app as cli_app
from bot.sandbox import SandboxUser, SlackSandbox
from bot.sandbox.requests import SlackSender
from bot.services.bank import sync_bank
from bot.services.departments import declare_departments, load_departments
from bot.services.staff import import_roster, read_roster, sync_staff
from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.directory import WebDirectory
from bot.slack.server import serve_in_background
from questions.loader import sample_bank_path
from storage.db import make_engine, upgrade
from tests.conftest import Clock
from tests.e2e.harness import E2E, ListenerTracker, choose, question_code
from tests.e2e.workspace import (
    MOCK_PRODUCTION,
    MOCK_QUESTIONS,
    MOCK_SALES,
    PEOPLE,
    ROSTER,
    mock_roster,
    sample_bank,
    write_roster,
)

SECRET = "e2e-signing-secret"
TOKEN = "xoxb-e2e-token"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def sandbox() -> Iterator[SlackSandbox]:
    with SlackSandbox(users=PEOPLE, bot_token=TOKEN) as running:
        yield running
        # Block Kit over Slack's limits fails every test, whatever the test itself checked.
        assert running.rejected == [], f"Slack would reject: {running.rejected}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    folder = tmp_path / "db"
    folder.mkdir()
    return f"sqlite:///{folder / 'auditready.db'}"


def make_settings(*, api_url: str, database_url: str) -> Settings:
    # Every value is explicit (and .env is off) so the developer's environment can't leak in.
    return Settings(
        _env_file=None,
        slack_bot_token=SecretStr(TOKEN),
        slack_signing_secret=SecretStr(SECRET),
        slack_app_token=None,
        slack_api_url=api_url,
        database_url=database_url,
        bank=sample_bank_path(),
        admins=[],
    )


@pytest.fixture
def settings(sandbox: SlackSandbox, database_url: str) -> Settings:
    return make_settings(api_url=sandbox.base_url, database_url=database_url)


@pytest.fixture
def e2e(settings: Settings, sandbox: SlackSandbox, tmp_path: Path) -> Iterator[E2E]:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    clock = Clock(START)
    listeners = ListenerTracker(ThreadPoolExecutor(max_workers=8))
    work = ListenerTracker(ThreadPoolExecutor(max_workers=4))
    runtime = create_app(
        settings, engine=engine, clock=clock, listener_executor=listeners, work_executor=work
    )
    uow = runtime.uow
    sync_bank(uow=uow, bank=sample_bank(), now=clock())
    directory = WebDirectory(runtime.client)
    sync_staff(uow=uow, directory=directory, include_guests=False, now=clock())
    roster_csv = write_roster(tmp_path / "roster.csv")
    roster = import_roster(
        uow=uow,
        rows=read_roster(roster_csv),
        departments=load_departments(roster=roster_csv, setting=None),
    )
    assert (roster.matched, roster.unmatched, roster.problems) == (len(ROSTER), [], [])
    server = serve_in_background(runtime.web)
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        slack = SlackSender(http, SECRET)
        harness = E2E(runtime, sandbox, slack, listeners, clock, tmp_path, work=work)
        logging.getLogger().addHandler(harness.errors)
        try:
            yield harness
            harness.settle()
        finally:
            logging.getLogger().removeHandler(harness.errors)
            server.stop()
            engine.dispose()
    failures = [r.getMessage() for r in harness.errors.records]
    assert failures == [], f"errors were logged while the app ran: {failures}"


# -- a bigger company, planted answers and the command line, for the gap-report tests ----------

Enrol = Callable[[Sequence[SandboxUser], list[dict[str, str]]], None]
# For each question id in turn: who answers it and which option keys they click ("a" or "a,d").
Plan = Sequence[tuple[str, Sequence[tuple[SandboxUser, str]]]]
# Settings the command line would otherwise take from the developer's environment.
REPORT_SETTINGS = (
    "AUDITREADY_REPORT_DAYS", "AUDITREADY_INTERVIEWED", "AUDITREADY_MIN_PEOPLE", "AUDITREADY_ADMINS"
)  # fmt: skip


@pytest.fixture
def enrol(e2e: E2E) -> Enrol:
    """Add members to Slack, sync them as staff and import their roster rows, as an admin would."""

    def add(users: Sequence[SandboxUser], rows: list[dict[str, str]]) -> None:
        for user in users:
            e2e.sandbox.add_user(user)
        uow, directory = e2e.runtime.uow, WebDirectory(e2e.runtime.client)
        sync_staff(uow=uow, directory=directory, include_guests=False, now=e2e.clock())
        # As an admin would have declared them: every department the rows name.
        declared = declare_departments({r["department"] for r in rows if r["department"]})
        report = import_roster(uow=uow, rows=rows, departments=declared)
        assert (report.matched, report.unmatched, report.problems) == (len(rows), [], [])

    return add


@pytest.fixture
def plant(e2e: E2E) -> Callable[[Plan], None]:
    """Answers given through Slack: each question becomes the only one in the bank, then each
    person asks with `/quiz` and clicks the options the plan gives them."""

    def answer(plan: Plan) -> None:
        for code, answers in plan:
            e2e.keep_only(functools.partial(operator.eq, code))
            for user, keys in answers:
                dm = e2e.quiz(user)
                assert question_code(e2e, dm) == code
                choose(e2e, dm, keys.split(","))

    return answer


@pytest.fixture
def cli(e2e: E2E, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """`auditready ARGS` on the app's database at the app's clock time; returns its stdout."""
    monkeypatch.chdir(e2e.workdir)  # away from any developer's .env
    monkeypatch.setenv("DATABASE_URL", e2e.runtime.settings.database_url)
    for name in (*REPORT_SETTINGS, "AUDITREADY_MODEL_URL"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> str:
        with time_machine.travel(e2e.clock(), tick=False):
            result = CliRunner().invoke(cli_app, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    return run


# -- a company for the mock audit tests ----------------------------------------------------------


@pytest.fixture
def mock_company(e2e: E2E, enrol: Enrol) -> E2E:
    """Production and Sales teams enrolled, and a bank cut down to one interview question per
    stage (INT-01-006 for Production's problems stage, INT-01-010 for Sales')."""
    enrol([*MOCK_PRODUCTION, *MOCK_SALES], mock_roster())
    e2e.keep_only(MOCK_QUESTIONS.__contains__)
    return e2e


@pytest.fixture
def slack_env(e2e: E2E, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's Slack settings in the environment, for commands that build the Slack app."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_API_URL", e2e.sandbox.base_url)
