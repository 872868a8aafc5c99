"""`auditready demo`: the real app, a local stand-in for Slack, and simulated staff.

Simulated people answer through signed HTTP requests shaped exactly like Slack's, over a
90-day history driven by the app's own clock. What the simulation plants, and what the report
should find and nothing else:

- departments that differ (Quality knows its procedures best, Warehouse least), all of them
  above the 70% an auditor would accept;
- one real gap: Warehouse × EP-03 (waste and spills), known by about one in three;
- one drifted practice: in Production, most people answer QP-08 (nonconforming output) the way
  the work is really done, the same wrong way each time: they would deburr a burred batch
  themselves (QP-08-001, option a) instead of tagging and quarantining it;
- feedback that works: a person told the right answer usually knows it the next time.
"""

from __future__ import annotations

import random
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from rich.console import Console
from rich.progress import Progress

from bot.cli.console import print_report, print_summary
from bot.sandbox import SandboxUser, SlackSandbox
from bot.sandbox.requests import (
    SlackSender,
    block_actions,
    checkbox_state,
    element_action,
    slash_command,
)
from bot.services.access import person
from bot.services.bank import sync_bank
from bot.services.departments import load_departments
from bot.services.staff import import_roster, read_roster, sync_staff
from bot.services.summary.counts import AwarenessSummary
from bot.settings import Settings
from bot.slack.app import Runtime, create_app
from bot.slack.directory import WebDirectory
from bot.slack.ids import ActionId, delivery_from_block_id
from bot.slack.server import serve_in_background
from questions.loader import load_bank, sample_bank_path
from storage import models
from storage.db import make_engine, upgrade

KNOWLEDGE = {
    "Quality": 0.95,
    "IT": 0.92,
    "Production": 0.9,
    "Sales": 0.9,
    "Maintenance": 0.88,
    "Warehouse": 0.86,
}
PLANTED_GAP = ("Warehouse", "EP-03")
GAP_KNOWLEDGE = 0.3
# In Production, QP-08's practice has drifted: on its single-choice questions most people give
# the same wrong answer (the first wrong option; on QP-08-001 that is "deburr it yourself").
PLANTED_DRIFT = ("Production", "QP-08")
DRIFT_SHARE = 0.9
DRIFTED = "drifted"
# After being told the right answer, a person knows it next time with this chance.
LEARNED = 0.85
IGNORE_SHARE = 0.1
HISTORY_DAYS = 90
TIME_ZONES = ["Europe/London", "Europe/Berlin", "America/Chicago", "Asia/Singapore"]
SECRET = "demo-signing-secret"
TOKEN = "xoxb-demo-token"


@dataclass(frozen=True)
class Colleague:
    slack_id: str
    handle: str
    department: str


class SimulatedClock:
    """The app's clock during the demo: a day of the history, a second later at each reading."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment

    def __call__(self) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=1)
            return self._now


@dataclass
class Memory:
    """What one simulated person has been told: the questions they got wrong before."""

    corrected: set[str] = field(default_factory=set)


def run_demo(*, console: Console, rounds: int, seed: int, database: Path) -> None:
    """Build the demo database, run the 90-day simulation and print the manager summary."""
    database.unlink(missing_ok=True)
    roster = read_roster(sample_bank_path() / "roster.csv")
    users = [
        SandboxUser(id=row["slack_id"], name=row["name"], email=row["email"], tz=TIME_ZONES[i % 4])
        for i, row in enumerate(roster)
    ]
    today = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    clock = SimulatedClock(today - timedelta(days=HISTORY_DAYS))
    with SlackSandbox(users=users, bot_token=TOKEN) as sandbox:
        runtime = _runtime(database, sandbox.base_url, clock)
        _prepare(console, runtime, roster)
        server = serve_in_background(runtime.web)
        try:
            staff = [
                Colleague(r["slack_id"], r["email"].split("@")[0], r["department"]) for r in roster
            ]
            with httpx.Client(base_url=server.base_url, timeout=30) as http:
                days = [today - timedelta(days=HISTORY_DAYS - 1 - d) for d in range(HISTORY_DAYS)]
                _simulate(console, http, sandbox, runtime, staff, clock, days, rounds, seed)
                clock.set(datetime.now(UTC))
                manager = next(r for r in roster if "Warehouse" in r["oversees"])
                scoped = _ask_for_summary(http, sandbox, manager["slack_id"])
                admin = next(r for r in roster if r["admin"] == "yes")
                _ask_for_summary(http, sandbox, admin["slack_id"])
                summary = runtime.services.summary.summary(caller=person(admin["slack_id"]))
                report = runtime.services.gaps.report(caller=person(admin["slack_id"]))
        finally:
            server.stop()
    assert isinstance(summary, AwarenessSummary)
    console.print(
        f"/awareness from {manager['name']} (manager): a DM covering only {', '.join(scoped)}.",
        markup=False,
    )
    console.print(
        f"/awareness from {admin['name']} (quality manager): the whole company.\n", markup=False
    )
    print_summary(console, summary)
    print_report(console, report)
    console.print(
        f"\nDemo database: {database} (open it with `DATABASE_URL=sqlite:///{database}"
        " auditready report`)",
        highlight=False,
        markup=False,
    )


def _runtime(database: Path, api_url: str, clock: SimulatedClock) -> Runtime:
    settings = Settings(
        slack_bot_token=SecretStr(TOKEN),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=api_url,
        database_url=f"sqlite:///{database}",
    )
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return create_app(settings, engine=engine, clock=clock)


def _prepare(console: Console, runtime: Runtime, roster: list[dict[str, str]]) -> None:
    uow = runtime.uow
    bank = load_bank(sample_bank_path())
    report = sync_bank(uow=uow, bank=bank, now=runtime.clock())
    console.print(
        f"Loaded the sample bank: {len(report.added)} questions from {len(bank.files)} procedures."
    )
    staff = sync_staff(
        uow=uow, directory=WebDirectory(runtime.client), include_guests=False, now=runtime.clock()
    )
    departments = load_departments(roster=sample_bank_path() / "roster.csv", setting=None)
    roles = import_roster(uow=uow, rows=roster, departments=departments)
    skipped = ", ".join(f"{n} {why}" for why, n in staff.skipped.items())
    console.print(
        f"Synced {len(staff.added)} people from the Slack stand-in (skipped {skipped}); "
        f"roster matched {roles.matched}."
    )


def _simulate(
    console: Console,
    http: httpx.Client,
    sandbox: SlackSandbox,
    runtime: Runtime,
    staff: list[Colleague],
    clock: SimulatedClock,
    days: list[datetime],
    rounds: int,
    seed: int,
) -> None:
    """Each person answers about `rounds` questions, on days spread over the history."""
    rng = random.Random(seed)
    plan = {p.slack_id: set(rng.sample(range(len(days)), min(rounds, len(days)))) for p in staff}
    memory = {p.slack_id: Memory() for p in staff}
    answered = 0
    with Progress(console=console, transient=True) as progress, ThreadPoolExecutor(1) as pool:
        task = progress.add_task(f"{len(days)} days of questions and answers", total=len(days))
        for index, day in enumerate(days):
            clock.set(day)
            today = [p for p in staff if index in plan[p.slack_id]]

            def one(person: Colleague, index: int = index) -> int:
                rng = random.Random(seed * 1_000_003 + zlib.crc32(person.slack_id.encode()) + index)
                return _quiz_once(http, sandbox, runtime, person, memory[person.slack_id], rng)

            answered += sum(pool.map(one, today))
            progress.advance(task)
    asked = sum(len(days_) for days_ in plan.values())
    console.print(
        f"{len(staff)} people got {asked} questions by DM over {len(days)} days "
        f"and clicked {answered} answers, all through signed requests."
    )


def _post(http: httpx.Client, body: str) -> None:
    SlackSender(http, SECRET).form(body).raise_for_status()


def _quiz_once(
    http: httpx.Client,
    sandbox: SlackSandbox,
    runtime: Runtime,
    person: Colleague,
    memory: Memory,
    rng: random.Random,
) -> int:
    channel = sandbox.dm_channel(person.slack_id)
    before = len(sandbox.messages(channel))
    _post(
        http,
        slash_command(
            command="/quiz",
            text="",
            user_id=person.slack_id,
            user_name=person.handle,
            channel_id=channel,
        ),
    )
    sandbox.wait_for(
        "chat.postMessage",
        before + 1,
        timeout=30,
        where=lambda call: call.params.get("channel") == person.slack_id,
    )
    message = sandbox.messages(channel)[-1]
    if rng.random() < IGNORE_SHARE:
        return 0
    controls = next(b for b in message["blocks"] if b["type"] == "actions")
    delivery_id = delivery_from_block_id(controls["block_id"])
    correct, procedure, question = _answer_key(runtime, delivery_id)
    choice = _choose(person, procedure, question, memory, rng)
    if choice is None:
        memory.corrected.add(question)
    body = _click(person, channel, message, controls, correct, choice, rng)
    _post(http, body)
    sandbox.wait_for(
        "chat.update", 1, timeout=30, where=lambda call: call.params.get("ts") == message["ts"]
    )
    return 1


RIGHT = "right"


def _choose(
    person: Colleague, procedure: str, question: str, memory: Memory, rng: random.Random
) -> str | None:
    """RIGHT, a planted wrong option, or None for an honest mistake."""
    if (person.department, procedure) == PLANTED_DRIFT and rng.random() < DRIFT_SHARE:
        return DRIFTED
    if (person.department, procedure) == PLANTED_GAP:
        # Being told one answer doesn't teach a procedure nobody has trained them on.
        return RIGHT if rng.random() < GAP_KNOWLEDGE else None
    if question in memory.corrected and rng.random() < LEARNED:
        return RIGHT
    return RIGHT if rng.random() < KNOWLEDGE.get(person.department, 0.85) else None


def _answer_key(runtime: Runtime, delivery_id: int | None) -> tuple[list[str], str, str]:
    # The simulation peeks at the answer key only to decide what a person who knows would click.
    with runtime.uow() as work:
        delivery = work.session.get_one(models.Delivery, delivery_id)
        return (
            list(delivery.question_version.correct),
            delivery.procedure_code,
            delivery.question_code,
        )


def _click(
    person: Colleague,
    channel: str,
    message: dict[str, Any],
    controls: dict[str, Any],
    correct: list[str],
    choice: str | None,
    rng: random.Random,
) -> str:
    elements = controls["elements"]
    common: dict[str, Any] = {
        "user_id": person.slack_id,
        "user_name": person.handle,
        "message": message,
        "channel_id": channel,
    }
    knows = choice == RIGHT
    if elements[0]["type"] == "checkboxes":
        options = elements[0]["options"]
        picked = [
            o
            for o in options
            if (o["value"] in correct) == knows or (not knows and rng.random() < 0.3)
        ] or options[:1]
        state = checkbox_state(controls["block_id"], ActionId.PICK, picked)
        return block_actions(
            **common, action=element_action(controls["block_id"], elements[1]), state=state
        )
    right = [e for e in elements if e["value"] in correct]
    wrong = [e for e in elements if e["value"] not in correct]
    planted = wrong[:1] if choice == DRIFTED else []
    button = rng.choice(right if knows or not wrong else planted or wrong)
    return block_actions(**common, action=element_action(controls["block_id"], button))


def _ask_for_summary(http: httpx.Client, sandbox: SlackSandbox, manager: str) -> list[str]:
    """Type `/awareness` as this person; the departments their DM covers."""
    channel = sandbox.dm_channel(manager)
    before = len(sandbox.messages(channel))
    _post(
        http,
        slash_command(
            command="/awareness", text="", user_id=manager, user_name="manager", channel_id=channel
        ),
    )
    sandbox.wait_for(
        "chat.postMessage",
        1,
        timeout=60,
        where=lambda call: (
            call.params.get("channel") == manager
            and "Awareness summary" in str(call.params.get("text"))
        ),
    )
    assert len(sandbox.messages(channel)) == before + 1
    message = sandbox.messages(channel)[-1]
    scope = next(b for b in message["blocks"] if b["type"] == "context")
    line = scope["elements"][0]["text"].split(" · ")[0]
    return [] if line == "all departments" else line.split(", ")
