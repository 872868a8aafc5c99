"""`auditready questions grading-report`: the open-answer grader against the admins' grades."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.cli.support import fail, load_settings, open_uow, out
from bot.services.access import OPERATOR, Access
from bot.services.mock_audit.errors import UnknownMockRound
from bot.services.mock_audit.grading_report import (
    ACCEPT_WORDS,
    PHRASING_LETTERS,
    BankSuggestion,
    GradingReport,
    GradingReportService,
)

GRADER_VERDICTS = ("pass", "fail", "unsure")


def register_grading_report(questions: typer.Typer) -> None:
    questions.command("grading-report")(grading_report)


def grading_report(
    round_id: Annotated[
        int | None, typer.Option("--round", help="Only the replies of this mock audit round")
    ] = None,
    suggest: Annotated[
        bool, typer.Option("--suggest", help="Print the disagreements as YAML for the bank")
    ] = False,
) -> None:
    """Per question, the grader's verdicts against the admins' grades, and what was learnt."""
    settings = load_settings()
    uow = open_uow(settings)
    service = GradingReportService(uow=uow, access=Access(uow=uow, admins=settings.admins))
    try:
        if suggest:
            suggestions = service.suggestions(caller=OPERATOR, round_id=round_id)
            sys.stdout.write(suggestions_yaml(suggestions, round_id))
            return
        report = service.report(caller=OPERATOR, round_id=round_id)
    except UnknownMockRound as error:
        fail(str(error))
    print_grading_report(out, report)


def print_grading_report(console: Console, report: GradingReport) -> None:
    where = "every mock audit" if report.round_id is None else f"mock audit #{report.round_id}"
    if not report.questions:
        console.print(f"No open answer graded by an admin or learnt in {where} yet.", markup=False)
        return
    table = Table(
        title=f"The grader against the admins' grades, {where}",
        title_justify="left",
        caption="Replies an admin graded, by the grader's first verdict and the admin's.\n"
        "Learnt: graded like a reply an admin graded; changed: an admin regraded it later.",
        caption_justify="left",
    )
    for column in ("question", "grader", "admin pass", "admin fail", "learnt", "changed"):
        table.add_column(column, justify="left" if column in ("question", "grader") else "right")
    for question in report.questions:
        learnt = (str(question.learnt), str(question.learnt_regraded))
        for row, grader in enumerate(GRADER_VERDICTS):
            table.add_row(
                Text(question.question_code if row == 0 else ""),
                grader,
                str(question.count(grader, "pass")),
                str(question.count(grader, "fail")),
                *(learnt if row == 0 else ("", "")),
                end_section=grader == GRADER_VERDICTS[-1],
            )
    console.print(table)
    if report.learnt:
        console.print(_learnt_table(report))


def _learnt_table(report: GradingReport) -> Table:
    table = Table(title="Replies graded like a confirmed reply", title_justify="left")
    for column in ("question", "reply", "learnt", "now", "like this graded reply", "its grade"):
        table.add_column(column)
    for learnt in report.learnt:
        # Text, not markup: a reply is what a person typed.
        table.add_row(
            Text(learnt.question_code),
            Text(learnt.reply),
            learnt.learnt_verdict,
            learnt.verdict_now,
            Text(learnt.confirmed_reply),
            learnt.confirmed_verdict,
        )
    return table


def suggestions_yaml(suggestions: list[BankSuggestion], round_id: int | None) -> str:
    """The suggestions as YAML an author can read and paste from, with why each is there."""
    where = "every mock audit" if round_id is None else f"mock audit #{round_id}"
    lines = [
        f"# Replies the grader got wrong, by the admins' grades ({where}); only replies to",
        "# each question's current version.",
        f"# accept: an admin passed them, the grader did not (at most {ACCEPT_WORDS} words).",
        "#   An accept form belongs to one key point: the author chooses which, and moves it",
        "#   under that key point's `accept:`.",
        "# contradicts: an admin failed them, the grader passed them or was unsure. Cut each",
        "#   down to the wrong claim it makes before adding it to the question's `contradicts:`.",
    ]
    if not suggestions:
        lines.append("# Nothing to suggest: the grader agreed with every admin's grade.")
    for suggestion in suggestions:
        lines.append(f"{suggestion.question_code}:")
        if suggestion.accept:
            lines.append("  accept:")
            lines += [
                f"    - {_quoted(text)}  # key point: the author chooses"
                for text in suggestion.accept
            ]
        if suggestion.contradicts:
            lines.append("  contradicts:")
            lines += [f"    - {_quoted(text)}" for text in suggestion.contradicts]
        if suggestion.too_long:
            lines.append(
                f"  # {suggestion.too_long} more left out: longer than {ACCEPT_WORDS} words"
                f" (accept) or {PHRASING_LETTERS} characters (a phrasing's limit)"
            )
        if suggestion.disputed:
            lines.append(
                f"  # {suggestion.disputed} more left out: admins passed one copy and failed"
                " another"
            )
        if not suggestion.accept and not suggestion.contradicts:
            lines.append("  {}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar, whatever quotes or colons the reply holds.
    return json.dumps(text, ensure_ascii=False)
