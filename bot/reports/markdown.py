"""The gap report as Markdown, for the command line, a wiki page or a pull request."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.reports.figures import (
    QUALITY_HEADINGS,
    analysis_label,
    gap_figures,
    gap_headings,
    gaps_shown,
    grade_label,
    headline,
    how_to_read,
    model_facts,
    no_systemic_sentence,
    period_label,
    practice_sentence,
    quality_figures,
    scope_label,
    systemic_applies,
    systemic_sentence,
)
from bot.reports.revisions import REVISION_HEADINGS, revision_figures
from bot.services.summary.gap_report import Gap, GapReport

# Text from question files and the staff roster must not become links, HTML or table cells.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$])")


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
    return [
        md(grade_label(gap)),
        md(gap.cell.department),
        md(gap.cell.subject),
        *(md(f) for f in gap_figures(gap)),
    ]


def gap_table(report: GapReport, gaps: Sequence[Gap], subject: str) -> list[str]:
    head = [md(h) for h in gap_headings(subject, report.rules)]
    return table(head, "lll" + "r" * (len(head) - 3), (gap_row(g) for g in gaps))


def _top_gaps(report: GapReport) -> list[str]:
    lines = ["## Where an auditor would find gaps", ""]
    gaps, findings = gaps_shown(report)
    if not gaps:
        return [*lines, "No department × procedure cell has enough evidence to judge.", ""]
    if not findings:
        lines += ["No cell is graded as a likely finding. The cells closest to one:", ""]
    else:
        lines += ["Likeliest finding first.", ""]
    lines += gap_table(report, gaps, "procedure")
    lines += ["", "Clauses behind them:", ""]
    for gap in gaps:
        clauses = ", ".join(md(c) for c in gap.clauses) or "none recorded"
        lines.append(f"- {md(gap.cell.department)} / {md(gap.cell.subject)}: {clauses}")
    return [*lines, ""]


def _systemic(report: GapReport) -> list[str]:
    if not systemic_applies(report):
        return []
    lines = ["## Systemic findings", ""]
    if not report.systemic:
        return [*lines, md(no_systemic_sentence(report)), ""]
    for finding in report.systemic:
        lines.append(
            f"- **Systemic**: {md(systemic_sentence(finding.clause, finding.departments))}"
        )
    return [*lines, ""]


def _practice(report: GapReport) -> list[str]:
    lines = ["## Where practice may differ from the procedure", ""]
    label = analysis_label(report)
    if label:
        lines += [f"_{md(label)}_", ""]
    if not report.practice:
        return [*lines, "No wrong answer is chosen more often than guessing explains.", ""]
    lines += ["Strongest first.", ""]
    for flag in report.practice:
        lines.append(
            f"- **{md(flag.department)}**, **{md(flag.question_code)}** "
            f"({md(flag.procedure_code)}), “{md(flag.prompt)}”: {md(practice_sentence(flag))}"
        )
    return [*lines, ""]


def _quality(report: GapReport) -> list[str]:
    lines = ["## Questions to review", ""]
    flagged = [q for q in report.quality if q.flags]
    if not flagged:
        return [*lines, "No question is flagged.", ""]
    rows = ([md(q.question_code), *quality_figures(q), md("; ".join(q.flags))] for q in flagged)
    return [*lines, *table(QUALITY_HEADINGS, "lrrrrl", rows), ""]


def _participation(report: GapReport) -> list[str]:
    lines = ["## Participation", ""]
    if not report.silences:
        return [*lines, "No questions were sent in this period.", ""]
    rows = ([md(s.department), str(s.unanswered), str(s.silent_people)] for s in report.silences)
    head = ("department", "questions unanswered", "people who answered none")
    return [*lines, *table(head, "lrr", rows), ""]


def _revisions(report: GapReport) -> list[str]:
    lines = ["## Current revision against earlier ones", ""]
    split = [g for g in report.procedures if g.revisions is not None]
    if not split:
        return [*lines, "No answers in this period.", ""]
    lines += [
        "Share correct under each procedure's current revision, beside the share under the "
        "revisions before it (right/answers; 95% Wilson interval). A cell with not enough "
        "evidence shows its counts only.",
        "",
    ]
    rows = (
        [
            md(g.cell.department),
            md(g.cell.subject),
            *(md(f) for f in revision_figures(g.revisions, shares=g.enough_evidence)),
        ]
        for g in split
    )
    head = ["department", "procedure", *REVISION_HEADINGS]
    return [*lines, *table(head, "lllrr", rows), ""]


def _full_tables(report: GapReport) -> list[str]:
    lines = ["## Every department × procedure", ""]
    procedures = report.procedures
    lines += gap_table(report, procedures, "procedure") if procedures else ["None."]
    lines += ["", "## Every department × clause", ""]
    lines += gap_table(report, report.clauses, "clause") if report.clauses else ["None."]
    return [*lines, ""]


def _model(report: GapReport) -> list[str]:
    facts = model_facts(report)
    if not facts:
        return []
    lines = ["## The model", ""]
    lines += [f"- **{md(term)}**: {md(text)}" for term, text in facts]
    return [*lines, ""]


def _how_to_read(report: GapReport) -> list[str]:
    lines = ["## How to read this", ""]
    lines += [f"- **{md(term)}**: {md(text)}" for term, text in how_to_read(report)]
    return [*lines, ""]


def gap_report_markdown(report: GapReport) -> str:
    """The gap report as Markdown: headline, top gaps, systemic, practice, quality, tables."""
    lines = [
        f"# Gap report: {md(scope_label(report))}, {period_label(report)}",
        "",
        md(headline(report)),
        "",
        *_top_gaps(report),
        *_systemic(report),
        *_practice(report),
        *_quality(report),
        *_participation(report),
        *_revisions(report),
        *_full_tables(report),
        *_model(report),
        *_how_to_read(report),
    ]
    return "\n".join(lines).rstrip() + "\n"
