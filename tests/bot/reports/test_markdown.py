from __future__ import annotations

import re
from dataclasses import replace

from bot.reports.markdown import gap_report_markdown, md
from bot.services.gaps import GapReport
from tests.bot.reports.sample import empty_report


def section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def rows(text: str) -> list[list[str]]:
    """Table rows below the header, split on unescaped pipes."""
    lines = [line for line in text.splitlines() if line.startswith("| ")][1:]
    return [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]


def test_the_headline_names_scope_period_and_findings(report: GapReport) -> None:
    text = gap_report_markdown(report)
    first, _, headline = text.splitlines()[:3]
    assert first == "# Gap report: all departments, 2026-10-01 to 2026-11-01"
    assert headline.startswith("1 likely major, 1 minor and 0 observation(s) in 4 department")
    assert "1 with not enough evidence" in headline


def test_top_gaps_show_the_evidence_and_the_auditor_chance_as_a_percentage(
    report: GapReport,
) -> None:
    top = rows(section(gap_report_markdown(report), "Where an auditor would find gaps"))
    assert top == [
        ["major", "Production", "QP-08", "6 / 7", "12", "3", "25%", "5–40%", "–", "98%"],
        ["minor", "Warehouse", "QP-08", "5 / 6", "12", "7", "58%", "38–73%", "+8 pts", "81%"],
    ]


def test_practice_reads_as_doing_x_while_the_procedure_says_y(report: GapReport) -> None:
    practice = section(gap_report_markdown(report), "Where practice may differ from the procedure")
    assert (
        "people may be doing “Put it back on the line”, while the procedure says "
        "“Tag it and move it to quarantine” (7 of 12 answers)"
    ) in practice
    assert r"\<script\>" in practice and "<script>" not in practice
    assert (
        "_Practice flags and question quality: answers from 2026-10-01 to 2026-11-01, "
        "computed 2026-11-01 00:00 UTC._"
    ) in practice


def test_only_flagged_questions_are_listed_for_review(report: GapReport) -> None:
    quality = rows(section(gap_report_markdown(report), "Questions to review"))
    assert quality == [["QP-08-001", "12", "15%", "-0.20", "almost everyone fails it"]]


def test_participation_and_every_cell_are_tabled(report: GapReport) -> None:
    text = gap_report_markdown(report)
    assert rows(section(text, "Participation")) == [
        ["Production", "4", "1"],
        ["Warehouse", "2", "0"],
    ]
    procedures = rows(section(text, "Every department × procedure"))
    assert [(r[1], r[2], r[0]) for r in procedures] == [
        ("Production", "QP-08", "major"),
        ("Production", "QP-09", "no gap"),
        ("Warehouse", "QP-08", "minor"),
        ("Warehouse", "EP-03", "not enough evidence"),
    ]
    assert len(rows(section(text, "Every department × clause"))) == 2


def test_not_enough_evidence_shows_counts_but_no_figures(report: GapReport) -> None:
    procedures = rows(section(gap_report_markdown(report), "Every department × procedure"))
    thin = next(r for r in procedures if r[2] == "EP-03")
    assert thin[3:6] == ["2 / 3", "2", "0"]
    assert thin[6] == "not enough evidence"
    assert thin[7:] == ["n/e", "n/e", "n/e"]
    assert not any(re.search(r"\d", figure) for figure in thin[6:])


def test_a_pipe_in_a_department_does_not_break_the_table(report: GapReport) -> None:
    gap = report.procedures[0]
    odd = replace(gap, cell=replace(gap.cell, department="Ops | *Night*"))
    report.procedures = [odd]
    procedures = rows(section(gap_report_markdown(report), "Every department × procedure"))
    assert len(procedures[0]) == 10
    assert procedures[0][1] == r"Ops \| \*Night\*"


def test_markdown_escaping_keeps_text_inert() -> None:
    assert md("[click](http://x) <b>") == r"\[click\](http://x) \<b\>"
    assert md("two\nlines") == "two lines"


def test_a_report_without_findings_says_so(report: GapReport) -> None:
    report.procedures = [g for g in report.procedures if g.grade.value == "no gap"]
    headline = gap_report_markdown(report).splitlines()[2]
    assert headline == "No likely findings in 1 department × procedure cell(s)."


def test_an_empty_report_says_so() -> None:
    text = gap_report_markdown(empty_report())
    assert text.startswith("# Gap report: Warehouse, ")
    assert "nothing to judge yet" in text
    assert "No question is flagged." in text
