"""The gap report as Markdown, for the command line, a wiki page or a pull request."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.reports.figures import (
    TOP_GAPS,
    analysis_label,
    gap_figures,
    gap_headings,
    headline,
    how_to_read,
    percent,
    period_label,
    practice_sentence,
    scope_label,
)
from bot.services.gaps import Gap, GapReport

# Text from question files and the staff roster must not become links, HTML or table cells.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Text safe inside a Markdown paragraph or table cell."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def table(head: Sequence[str], align: str, rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table; `align` holds one of l or r per column."""
    rule = "|".join("---:" if a == "r" else "---" for a in align)
    lines = [f"| {' | '.join(head)} |", f"|{rule}|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return lines


def gap_row(gap: Gap) -> list[str]:
    return [md(str(gap.grade)), md(gap.cell.department), md(gap.cell.subject), *gap_figures(gap)]


def gap_table(gaps: Sequence[Gap], subject: str) -> list[str]:
    return table(gap_headings(subject), "lllrrrrrrr", (gap_row(g) for g in gaps))


def _top_gaps(report: GapReport) -> list[str]:
    lines = ["## Where an auditor would find gaps", ""]
    top = report.top_gaps(TOP_GAPS)
    if not top:
        return [*lines, "No department × procedure cell is graded as a likely finding.", ""]
    lines += gap_table(top, "procedure")
    lines += ["", "Clauses behind them:", ""]
    for gap in top:
        clauses = ", ".join(md(c) for c in gap.clauses) or "none recorded"
        lines.append(f"- {md(gap.cell.department)} / {md(gap.cell.subject)}: {clauses}")
    return [*lines, ""]


def _practice(report: GapReport) -> list[str]:
    lines = ["## Where practice may differ from the procedure", ""]
    label = analysis_label(report)
    if label:
        lines += [f"_{md(label)}_", ""]
    if not report.practice:
        return [*lines, "No wrong answer is common enough to suggest it.", ""]
    for flag in report.practice:
        lines.append(
            f"- **{md(flag.question_code)}** ({md(flag.procedure_code)}), "
            f"“{md(flag.prompt)}”: {md(practice_sentence(flag))}"
        )
    return [*lines, ""]


def _quality(report: GapReport) -> list[str]:
    lines = ["## Questions to review", ""]
    flagged = [q for q in report.quality if q.flags]
    if not flagged:
        return [*lines, "No question is flagged.", ""]
    rows = (
        [
            md(q.question_code),
            str(q.answers),
            percent(q.facility),
            "–" if q.discrimination is None else f"{q.discrimination:+.2f}",
            md("; ".join(q.flags)),
        ]
        for q in flagged
    )
    head = ("question", "answers", "answered right", "discrimination", "why")
    return [*lines, *table(head, "lrrrl", rows), ""]


def _participation(report: GapReport) -> list[str]:
    lines = ["## Participation", ""]
    if not report.silences:
        return [*lines, "No questions were sent in this period.", ""]
    rows = ([md(s.department), str(s.unanswered), str(s.silent_people)] for s in report.silences)
    head = ("department", "questions unanswered", "people who answered none")
    return [*lines, *table(head, "lrr", rows), ""]


def _full_tables(report: GapReport) -> list[str]:
    lines = ["## Every department × procedure", ""]
    lines += gap_table(report.procedures, "procedure") if report.procedures else ["None."]
    lines += ["", "## Every department × clause", ""]
    lines += gap_table(report.clauses, "clause") if report.clauses else ["None."]
    return [*lines, ""]


def _how_to_read(report: GapReport) -> list[str]:
    lines = ["## How to read this", ""]
    lines += [f"- **{md(term)}**: {md(text)}" for term, text in how_to_read(report)]
    return [*lines, ""]


def gap_report_markdown(report: GapReport) -> str:
    """The gap report as Markdown: headline, top gaps, practice, quality, participation, tables."""
    lines = [
        f"# Gap report: {md(scope_label(report))}, {period_label(report)}",
        "",
        md(headline(report)),
        "",
        *_top_gaps(report),
        *_practice(report),
        *_quality(report),
        *_participation(report),
        *_full_tables(report),
        *_how_to_read(report),
    ]
    return "\n".join(lines).rstrip() + "\n"
