"""`auditready schedule …` and `auditready round send`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.cli.support import fail, load_settings, needs_token, out, runtime_for
from bot.services.access import OPERATOR, NotAllowed
from bot.services.schedules import UnknownSchedule
from bot.slack.rounds.delivery import deliver

schedule_app = typer.Typer(help="The schedules: list, pause, resume.", no_args_is_help=True)
round_app = typer.Typer(help="Send a round now.", no_args_is_help=True)


@schedule_app.command("list")
def schedule_list() -> None:
    """Every schedule in the schedules file, and whether it is paused."""
    runtime = runtime_for(load_settings())
    table = Table("id", "name", "days", "local time", "audience", "questions", "open", "state")
    for state in runtime.services.schedules.states(caller=OPERATOR):
        s = state.schedule
        audience = ", ".join(s.audience.departments + s.audience.roles) or "everyone"
        # Cells are rich markup; every one of these comes from the schedules file.
        cells = (s.id, s.name, ", ".join(s.days), s.time, audience, str(s.questions))
        table.add_row(
            *map(escape, cells),
            f"{s.answer_window_hours} h",
            "paused" if state.paused else "active",
        )
    out.print(table)


def _set_paused(key: str, paused: bool) -> None:
    runtime = runtime_for(load_settings())
    try:
        state = runtime.services.schedules.set_paused(caller=OPERATOR, key=key, paused=paused)
    except UnknownSchedule as error:
        fail(str(error))
    out.print(f"{state.schedule.id}: {'paused' if paused else 'active'}", markup=False)


@schedule_app.command("pause")
def schedule_pause(key: Annotated[str, typer.Argument(help="schedule id")]) -> None:
    """Stop a schedule's rounds until it is resumed."""
    _set_paused(key, True)


@schedule_app.command("resume")
def schedule_resume(key: Annotated[str, typer.Argument(help="schedule id")]) -> None:
    """Start a paused schedule's rounds again."""
    _set_paused(key, False)


@round_app.command("send")
def round_send(
    department: Annotated[str, typer.Option(help="The department to quiz now")],
    questions: Annotated[int, typer.Option(min=1, max=3, help="Questions per person")] = 1,
    window_hours: Annotated[int, typer.Option(min=1, help="How long answers stay open")] = 48,
) -> None:
    """Send a department a round now, paced within Slack's limits, with a progress bar."""
    settings = load_settings()
    needs_token(settings)
    runtime = runtime_for(settings)
    rounds = runtime.services.rounds
    try:
        name, opened = rounds.open_for_department(
            caller=OPERATOR, department=department, questions=questions, window_hours=window_hours
        )
    except NotAllowed:
        fail(f"no department {department!r} in the staff roster")
    pending = rounds.unsent(round_id=opened.round_id)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=out) as progress:
        task = progress.add_task(f"Round {opened.round_id} to {escape(name)}", total=len(pending))
        report = deliver(runtime.sender, pending, on_outcome=lambda _: progress.advance(task))
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(opened.skipped.items())) or "none"
    failed = ", ".join(f"{n} {why}" for why, n in sorted(report.failed.items())) or "none"
    out.print(
        f"sent {report.sent}, skipped {skipped}, failed {failed}, "
        f"retrying later {report.retry_later}",
        markup=False,
    )
    if pending and report.sent == 0:
        fail("nothing was delivered; the deliveries are kept and the sweep tries them again")
