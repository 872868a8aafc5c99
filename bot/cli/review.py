"""`auditready questions review`: go through drafted and flagged questions, or send them to
their owners in Slack."""

from __future__ import annotations

import getpass
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import click
import typer
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.cli.support import fail, load_settings, needs_token, open_uow, out, runtime_for
from bot.services.access import Caller
from bot.services.review.posting import ReviewPosting
from bot.services.review.results import (
    AlreadyDecided,
    ChangedSinceSent,
    Decision,
    PendingQuestion,
    ReviewRefused,
    UnknownQuestion,
)
from bot.services.review.service import ReviewService
from bot.slack.review.delivery import PostReport, post_pending

CHOICES = {"a": "approve", "e": "edit", "r": "reject", "s": "skip", "q": "quit"}


def register(app: typer.Typer) -> None:
    """Add `review` to the `questions` group."""
    app.command("review")(questions_review)


def questions_review(
    procedure: Annotated[
        str | None, typer.Argument(help="Only this procedure's questions, e.g. QP-08")
    ] = None,
    bank: Annotated[
        Path | None, typer.Option("--bank", help="Bank folder; default AUDITREADY_BANK")
    ] = None,
    in_slack: Annotated[
        bool,
        typer.Option(
            "--in-slack",
            help="Send each pending question to its procedure's owners in Slack instead; the "
            "app must serve the same bank folder",
        ),
    ] = False,
    reviewer: Annotated[
        str | None, typer.Option(help="Who the trail says decided; default your login name")
    ] = None,
) -> None:
    """Approve, edit or reject drafted questions and questions needing review, one at a time."""
    settings = load_settings()
    folder = bank or settings.bank
    if not folder.is_dir():
        fail(f"{folder} is not a folder of question files; give the bank with --bank")
    if in_slack:
        _send_to_slack(folder, procedure)
        return
    review = ReviewService(uow=open_uow(settings), bank=folder, admins=settings.admins, clock=_now)
    pending = review.pending(procedure=procedure)
    if not pending:
        which = f" for {procedure}" if procedure else ""
        out.print(f"Nothing awaits review{which} in {folder}.", markup=False, highlight=False)
        return
    caller = Caller(slack_user=None, on_behalf=reviewer or getpass.getuser())
    tally = _walk(review, caller, pending)
    _summary(tally)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Tally:
    decided: Counter[Decision]
    left: int = 0


def _walk(review: ReviewService, caller: Caller, pending: list[PendingQuestion]) -> Tally:
    tally = Tally(Counter())
    for number, question in enumerate(pending, start=1):
        out.print(f"\n[bold]{number} of {len(pending)}[/]")
        decisions, quit_now = _decide(review, caller, question)
        tally.decided.update(decisions)
        if quit_now:
            tally.left = len(pending) - number + 1
            break
    return tally


def _decide(
    review: ReviewService, caller: Caller, question: PendingQuestion
) -> tuple[list[Decision], bool]:
    """The reviewer's decisions on one question (an edit, then an approval), and whether they
    chose to quit."""
    done: list[Decision] = []
    while True:
        show(question)
        choice = _choice()
        if choice == "q":
            return done, True
        try:
            decided = _act(review, caller, question, choice)
        except ReviewRefused as refused:
            _problems(f"{question.question_id} can't be approved as it stands:", refused.problems)
            out.print("Press e to edit it, or s to leave it for later.")
            continue
        except ChangedSinceSent as changed:
            out.print("It was changed meanwhile; here it is as it stands now.")
            question = changed.current
            continue
        except (AlreadyDecided, UnknownQuestion) as error:
            out.print(f"{error}; moving on.", markup=False, highlight=False)
            return done, False
        if decided is None:
            continue
        done.append(decided[0])
        if decided[1] is None:
            return done, False
        question = decided[1]


def _choice() -> str:
    while True:
        try:
            answer = str(typer.prompt("[a]pprove, [e]dit, [r]eject, [s]kip, [q]uit"))
        except typer.Abort:
            # Ctrl-C, Ctrl-D or the end of piped input: stop here, and say what was done.
            out.print()
            return "q"
        answer = answer.strip().lower()
        if answer[:1] in CHOICES and answer in (answer[:1], CHOICES[answer[:1]]):
            return answer[:1]
        out.print("Type a, e, r, s or q.")


def _act(
    review: ReviewService, caller: Caller, question: PendingQuestion, choice: str
) -> tuple[Decision, PendingQuestion | None] | None:
    """Do the choice; the question as it stands when the reviewer goes on with it."""
    qid = question.question_id
    if choice == "a":
        review.approve(caller=caller, question_id=qid, seen=question.fingerprint)
        out.print(f"[green]Approved {qid}.[/]")
        return Decision.APPROVED, None
    if choice == "s":
        review.skip(caller=caller, question_id=qid)
        return Decision.SKIPPED, None
    if choice == "r":
        reason = typer.prompt("Why reject it? (kept in the bank so it is not drafted again)")
        review.reject(caller=caller, question_id=qid, reason=reason, seen=question.fingerprint)
        out.print(f"Rejected {qid}; the bank remembers why.", markup=False)
        return Decision.REJECTED, None
    edited = _edit(review, caller, question)
    return None if edited is None else (Decision.EDITED, edited)


def _edit(
    review: ReviewService, caller: Caller, question: PendingQuestion
) -> PendingQuestion | None:
    """Edit in $EDITOR until the question is valid or the reviewer gives up; None for no edit."""
    text = question.yaml
    while True:
        changed = _in_editor(text)
        if changed is None or changed == question.yaml:
            out.print("No change made.")
            return None
        try:
            decided = review.edit(
                caller=caller,
                question_id=question.question_id,
                text=changed,
                seen=question.fingerprint,
            )
        except ReviewRefused as refused:
            _problems("That edit is not a valid question, so nothing was saved:", refused.problems)
            if not typer.confirm("Edit it again?", default=True):
                return None
            text = changed
            continue
        out.print(f"Saved; {question.question_id} stays {question.status} until approved.")
        return decided.question


def _in_editor(text: str) -> str | None:
    """The text as the reviewer left it in $EDITOR (vi without one); None if not saved."""
    try:
        # typer no longer re-exports click.edit; click itself finds and runs the editor.
        edited: str | None = click.edit(text, extension=".yaml", require_save=True)
    except click.ClickException as error:
        out.print(f"The editor did not run: {error.format_message()}", markup=False)
        return None
    return edited


def show(question: PendingQuestion) -> None:
    """The question as a reviewer needs it: where it comes from, what it asks, the answer."""
    q = question
    lines = [
        f"[bold]{escape(q.procedure)}[/] {escape(q.procedure_title)} (rev. {escape(q.revision)}),"
        f" owner {escape(q.owner)}",
        f"[bold]{escape(q.question_id)}[/] · {escape(q.status)} · section "
        f"{escape(q.section) if q.section else '[red]none yet[/]'}",
    ]
    if q.cites:
        lines.append(f"Drawn from: [italic]“{escape(q.cites)}”[/]")
    lines += ["", f"[bold]{escape(q.prompt)}[/]"]
    for key, text in q.options:
        right = key in q.correct
        mark = "[green]✓[/]" if right else " "
        label = "" if key in ("true", "false") else f"{escape(key)}) "
        lines.append(f" {mark} {label}{escape(text)}")
    lines += [f" • {escape(point)}" for point in q.key_points]
    explanation = escape(q.explanation) if q.explanation else "[red]none yet[/]"
    lines += ["", f"Explanation: {explanation}"]
    # Wrapped inside the panel: the console's soft wrap would cut long lines at its edge.
    out.print(Panel("\n".join(lines), expand=False), highlight=False, soft_wrap=False)


def _problems(heading: str, problems: list[str]) -> None:
    out.print(f"[red]{escape(heading)}[/]", highlight=False)
    for problem in problems:
        out.print(f"  {problem}", markup=False, highlight=False)


def _summary(tally: Tally) -> None:
    counts = tally.decided
    out.print(
        f"\napproved {counts[Decision.APPROVED]}, edited {counts[Decision.EDITED]}, "
        f"rejected {counts[Decision.REJECTED]}, skipped {counts[Decision.SKIPPED]}, "
        f"left {tally.left}",
        highlight=False,
    )
    out.print(
        "Run `auditready questions sync` to load the approved questions for staff.",
        markup=False,
        highlight=False,
    )


def _send_to_slack(folder: Path, procedure: str | None) -> None:
    settings = load_settings()
    needs_token(settings)
    runtime = runtime_for(settings)
    posting = ReviewPosting(uow=runtime.uow, bank=folder, clock=_now)
    postings = posting.to_post(procedure=procedure)
    if not postings:
        which = f" for {procedure}" if procedure else ""
        out.print(f"Nothing awaits review{which} in {folder}.", markup=False, highlight=False)
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out) as progress:
        task = progress.add_task("Asking owners to review", total=len(postings))
        report = post_pending(
            runtime.client, posting, postings, on_post=lambda: progress.advance(task)
        )
    _slack_summary(report)


def _slack_summary(report: PostReport) -> None:
    out.print(
        f"sent {report.sent}, already asked {report.already}, failed {report.failed}",
        highlight=False,
    )
    for code in sorted(report.unowned):
        out.print(
            f"{code}: nobody to ask; set owner_slack_id in its procedure block, or give its "
            "owner's role to someone in the staff roster",
            markup=False,
            highlight=False,
        )
    if report.failed:
        fail(f"{report.failed} message(s) could not be sent; run the command again to retry them")
