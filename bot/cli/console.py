"""The gap report printed to a terminal with rich: what the demo shows at its end."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.reports.figures import probability
from bot.reports.summary import percent
from bot.services.summary.counts import AwarenessSummary
from bot.services.summary.gap_report import Gap, GapReport

TOP = 5


def print_summary(console: Console, summary: AwarenessSummary) -> None:
    overall = summary.counts.overall
    console.print(
        f"People reached {overall.people_reached}, participation "
        f"{percent(overall.participation)}, answered correctly "
        f"{percent(overall.share_correct)} ({overall.correct} of {overall.answers})"
    )
    table = Table(title="By department", title_justify="left")
    for column in ("", "reached", "answers", "participation", "correct"):
        table.add_column(column, justify="left" if not column else "right")
    for tally in summary.counts.by_department:
        table.add_row(
            escape(" × ".join(tally.key)),
            str(tally.people_reached),
            str(tally.answers),
            percent(tally.participation),
            f"{percent(tally.share_correct)} ({tally.correct}/{tally.answers})",
        )
    console.print(table)


def print_report(console: Console, report: GapReport) -> None:
    """Top gaps by rank with how sure each is, practice flags, systemic findings, checks."""
    console.print(_gaps_table(report))
    for flag in report.practice[:TOP]:
        console.print(
            f"Practice may differ: {flag.department} × {flag.question_code}: "
            f"{flag.chosen} of {flag.answers} answers chose “{flag.wrong_text}” "
            f"(q = {flag.q_value:.3f})",
            highlight=False,
            markup=False,
        )
    for finding in report.systemic:
        console.print(
            f"Systemic: {finding.clause} established weak in {', '.join(finding.departments)}",
            highlight=False,
            markup=False,
        )
    flagged = [q for q in report.quality if q.flags]
    for question in flagged[:TOP]:
        console.print(
            f"Check question {question.question_code}: {', '.join(question.flags)}",
            markup=False,
        )
    if not report.practice and not report.systemic and not flagged:
        console.print("No practice flags, no systemic findings, no questions to check.")


def _gaps_table(report: GapReport) -> Table:
    table = Table(
        title="Where an auditor would find gaps (most likely finding first)", title_justify="left"
    )
    for column in ("", "grade", "standardised share (95%)", "right / answers", "auditor finds"):
        table.add_column(column, justify="left" if column in ("", "grade") else "right")
    top = report.top_gaps(TOP)
    for gap in top:
        table.add_row(*_row(gap))
    if not top:
        table.add_row("no gap on the evidence so far", "", "", "", "")
    return table


def _row(gap: Gap) -> tuple[str, str, str, str, str]:
    cell = gap.cell
    sure = f", {probability(gap.sureness)} sure" if gap.sureness is not None else ""
    interval = gap.interval
    share = percent(gap.estimate)
    if interval is not None:
        share += f" ({percent(interval.low)}–{percent(interval.high)})"
    return (
        escape(f"{cell.department} × {cell.subject}"),
        f"{gap.grade.value}{sure}",
        share,
        f"{cell.correct} / {cell.answers}",
        percent(gap.auditor_chance),
    )
