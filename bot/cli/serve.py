"""Serving Slack: the app manifest, `run`, and the `demo` against a local stand-in."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import err, fail, load_settings, out, runtime_for
from bot.services.bank import bank_is_empty
from bot.slack.jobs import start_scheduler
from bot.slack.manifest import manifest


def register_serve(app: typer.Typer) -> None:
    app.command("manifest")(print_manifest)
    app.command("run")(run)
    app.command("demo")(demo)


def print_manifest(
    url: Annotated[str | None, typer.Option(help="Public URL of POST /slack/events")] = None,
    socket_mode: Annotated[bool, typer.Option(help="Socket Mode instead of HTTP")] = False,
) -> None:
    """Print the Slack app manifest to paste into api.slack.com/apps."""
    print(json.dumps(manifest(request_url=url, socket_mode=socket_mode), indent=2))


def run() -> None:
    """Serve Slack over HTTP on PORT, or over Socket Mode when SLACK_APP_TOKEN is set."""
    settings = load_settings()
    missing = settings.missing_for_http()
    if missing:
        fail(f"set {' and '.join(missing)} (see the README, 'Creating the Slack app').")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    runtime = runtime_for(settings)
    if bank_is_empty(runtime.uow):
        err.print(
            "warning: the question bank is empty, so /quiz has nothing to ask. "
            "Run `auditready questions sync [PATH]`.",
            highlight=False,
        )
    scheduler = start_scheduler(
        engine=runtime.engine,
        schedules=runtime.schedules,
        services=runtime.services,
        sender=runtime.sender,
        clock=runtime.clock,
    )
    runtime.readiness.watch_scheduler(lambda: bool(scheduler.running))
    out.print(f"Scheduler started: {len(scheduler.get_jobs())} jobs.")
    if settings.slack_app_token is not None:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        out.print("Connecting to Slack over Socket Mode…")
        handler = SocketModeHandler(runtime.bolt, settings.slack_app_token.get_secret_value())
        handler.start()  # type: ignore[no-untyped-call]  # slack_bolt leaves start() unannotated
        return
    import uvicorn

    uvicorn.run(runtime.web, host=settings.host, port=settings.port, log_level="info")


def demo(
    questions: Annotated[int, typer.Option(help="Questions each simulated person gets")] = 25,
    seed: Annotated[int, typer.Option(help="Seed for the simulated staff")] = 7,
    database: Annotated[Path, typer.Option(help="SQLite file to build")] = Path(
        "auditready-demo.db"
    ),
) -> None:
    """Run the real app against a local stand-in for Slack, with simulated staff."""
    if not database.parent.is_dir():
        fail(f"cannot build the demo database: the folder {database.parent} does not exist")
    from bot.cli.demo import run_demo

    run_demo(console=out, rounds=questions, seed=seed, database=database)
