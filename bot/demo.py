"""`auditready demo`: the real app, a local stand-in for Slack, and simulated staff.

Simulated people answer through signed HTTP requests shaped exactly like Slack's. How
well they know their procedures depends on their department, with a few planted gaps,
so the summary at the end shows departments that differ the way the simulation meant.
"""

from __future__ import annotations

import random
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from bot.app import Runtime, create_app
from bot.http_server import serve_in_background
from bot.ids import ActionId, delivery_from_block_id
from bot.report import percent
from bot.sandbox import SandboxUser, SlackSandbox
from bot.services.awareness import AwarenessSummary
from bot.services.bank import sync_bank
from bot.services.staff import import_roster, read_roster, sync_staff
from bot.settings import Settings
from bot.simulated_slack import (
    block_actions,
    button_action,
    checkbox_state,
    signed_headers,
    slash_command,
)
from bot.slack_directory import WebDirectory
from questions.loader import load_bank, sample_bank_path
from storage import models
from storage.db import make_engine, upgrade

KNOWLEDGE = {
    "Quality": 0.92,
    "IT": 0.85,
    "Production": 0.78,
    "Sales": 0.72,
    "Maintenance": 0.62,
    "Warehouse": 0.5,
}
PLANTED_GAPS = {
    ("Warehouse", "EP-03"): 0.15,
    ("Production", "QP-05"): 0.3,
    ("Maintenance", "SP-04"): 0.25,
}
IGNORE_SHARE = 0.1
TIME_ZONES = ["Europe/London", "Europe/Berlin", "America/Chicago", "Asia/Singapore"]
SECRET = "demo-signing-secret"
TOKEN = "xoxb-demo-token"


@dataclass(frozen=True)
class Colleague:
    slack_id: str
    handle: str
    department: str


def run_demo(*, console: Console, rounds: int, seed: int, database: Path) -> None:
    """Build the demo database, run the simulation and print the manager summary."""
    database.unlink(missing_ok=True)
    roster = read_roster(sample_bank_path() / "roster.csv")
    users = [
        SandboxUser(id=row["slack_id"], name=row["name"], email=row["email"], tz=TIME_ZONES[i % 4])
        for i, row in enumerate(roster)
    ]
    with SlackSandbox(users=users, bot_token=TOKEN) as sandbox:
        runtime = _runtime(database, sandbox.base_url)
        _prepare(console, runtime, roster)
        server = serve_in_background(runtime.web)
        try:
            staff = [
                Colleague(r["slack_id"], r["email"].split("@")[0], r["department"]) for r in roster
            ]
            with httpx.Client(base_url=server.base_url, timeout=30) as http:
                _simulate(console, http, sandbox, runtime, staff, rounds, seed)
                manager = next(r for r in roster if "Warehouse" in r["oversees"])
                scoped = _ask_for_summary(http, sandbox, runtime, manager["slack_id"])
                admin = next(r for r in roster if r["admin"] == "yes")
                summary = _ask_for_summary(http, sandbox, runtime, admin["slack_id"])
        finally:
            server.stop()
    console.print(
        f"/awareness from {manager['name']} (manager): a DM covering only "
        f"{', '.join(scoped.scope.departments or [])}."
    )
    _print_summary(console, summary, f"{admin['name']} (quality manager)")
    console.print(
        f"\nDemo database: {database} (open it with `DATABASE_URL=sqlite:///{database}"
        " auditready report`)",
        highlight=False,
    )


def _runtime(database: Path, api_url: str) -> Runtime:
    settings = Settings(
        slack_bot_token=SecretStr(TOKEN),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=api_url,
        database_url=f"sqlite:///{database}",
    )
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return create_app(settings, engine=engine)


def _prepare(console: Console, runtime: Runtime, roster: list[dict[str, str]]) -> None:
    uow = runtime.uow
    bank = load_bank(sample_bank_path())
    report = sync_bank(uow=uow, bank=bank, now=datetime.now(UTC))
    console.print(
        f"Loaded the sample bank: {len(report.added)} questions from {len(bank.files)} procedures."
    )
    staff = sync_staff(
        uow=uow, directory=WebDirectory(runtime.client), include_guests=False, now=datetime.now(UTC)
    )
    roles = import_roster(uow=uow, rows=roster)
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
    rounds: int,
    seed: int,
) -> None:
    def one_person(person: Colleague) -> int:
        rng = random.Random(seed * 1_000_003 + zlib.crc32(person.slack_id.encode()))
        return sum(_quiz_once(http, sandbox, runtime, person, rng) for _ in range(rounds))

    status = f"{len(staff)} simulated people are answering {rounds} questions each…"
    with console.status(status), ThreadPoolExecutor(max_workers=4) as pool:
        answered = sum(pool.map(one_person, staff))
    console.print(
        f"{len(staff)} people got {len(staff) * rounds} questions by DM "
        f"and clicked {answered} answers, all through signed requests."
    )


def _post(http: httpx.Client, body: str, content_type: str) -> None:
    headers = {"Content-Type": content_type, **signed_headers(SECRET, body)}
    response = http.post("/slack/events", content=body, headers=headers)
    response.raise_for_status()


def _quiz_once(
    http: httpx.Client,
    sandbox: SlackSandbox,
    runtime: Runtime,
    person: Colleague,
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
        "application/x-www-form-urlencoded",
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
    correct, procedure = _answer_key(runtime, delivery_id)
    knows = rng.random() < _knowledge(person.department, procedure)
    body = _click(person, channel, message, controls, correct, knows, rng)
    _post(http, body, "application/x-www-form-urlencoded")
    sandbox.wait_for(
        "chat.update", 1, timeout=30, where=lambda call: call.params.get("ts") == message["ts"]
    )
    return 1


def _knowledge(department: str, procedure: str) -> float:
    return PLANTED_GAPS.get((department, procedure), KNOWLEDGE.get(department, 0.6))


def _answer_key(runtime: Runtime, delivery_id: int | None) -> tuple[list[str], str]:
    # The simulation peeks at the answer key only to decide what a person who knows would click.
    with runtime.uow() as work:
        delivery = work.session.get_one(models.Delivery, delivery_id)
        return list(delivery.question_version.correct), delivery.procedure_code


def _click(
    person: Colleague,
    channel: str,
    message: dict[str, Any],
    controls: dict[str, Any],
    correct: list[str],
    knows: bool,
    rng: random.Random,
) -> str:
    elements = controls["elements"]
    common: dict[str, Any] = {
        "user_id": person.slack_id,
        "user_name": person.handle,
        "message": message,
        "channel_id": channel,
    }
    if elements[0]["type"] == "checkboxes":
        options = elements[0]["options"]
        picked = [
            o
            for o in options
            if (o["value"] in correct) == knows or (not knows and rng.random() < 0.3)
        ] or options[:1]
        state = checkbox_state(controls["block_id"], ActionId.PICK, picked)
        return block_actions(
            **common, action=button_action(controls["block_id"], elements[1]), state=state
        )
    right = [e for e in elements if e["value"] in correct]
    wrong = [e for e in elements if e["value"] not in correct]
    button = rng.choice(right if knows or not wrong else wrong)
    return block_actions(**common, action=button_action(controls["block_id"], button))


def _ask_for_summary(
    http: httpx.Client, sandbox: SlackSandbox, runtime: Runtime, manager: str
) -> AwarenessSummary:
    channel = sandbox.dm_channel(manager)
    before = len(sandbox.messages(channel))
    _post(
        http,
        slash_command(
            command="/awareness", text="", user_id=manager, user_name="manager", channel_id=channel
        ),
        "application/x-www-form-urlencoded",
    )
    sandbox.wait_for(
        "chat.postMessage",
        1,
        timeout=30,
        where=lambda call: (
            call.params.get("channel") == manager
            and "Awareness summary" in str(call.params.get("text"))
        ),
    )
    assert len(sandbox.messages(channel)) == before + 1
    summary = runtime.services.awareness.summary_for(slack_user=manager)
    assert isinstance(summary, AwarenessSummary)
    return summary


def _print_summary(console: Console, summary: AwarenessSummary, manager: str) -> None:
    console.print(f"/awareness from {manager}: the whole company.\n")
    overall = summary.counts.overall
    console.print(
        f"People reached {overall.people_reached}, participation "
        f"{percent(overall.participation)}, answered correctly "
        f"{percent(overall.share_correct)} ({overall.correct} of {overall.answers})"
    )
    console.print(_table("By department", summary.counts.by_department))
    console.print(_table("Weakest department × procedure", summary.weakest))


def _table(title: str, tallies: list[Any]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("", "reached", "answers", "participation", "correct"):
        table.add_column(column, justify="left" if not column else "right")
    for tally in tallies:
        table.add_row(
            " × ".join(tally.key),
            str(tally.people_reached),
            str(tally.answers),
            percent(tally.participation),
            f"{percent(tally.share_correct)} ({tally.correct}/{tally.answers})",
        )
    return table
