from __future__ import annotations

import re
from dataclasses import replace

from bot.domain.summary.gaps import Grade
from bot.reports.markdown import gap_report_markdown, md
from bot.services.summary.gap_report import GapReport
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


def test_top_gaps_in_rank_order_with_sureness_probabilities_and_intervals(
    report: GapReport,
) -> None:
    top = section(gap_report_markdown(report), "Where an auditor would find gaps")
    head = next(line for line in top.splitlines() if line.startswith("| "))
    assert "P(below 70%) | P(below 50%)" in head
    assert "standardised share (95% credible)" in head
    assert rows(top) == [
        [
            "minor, 96% sure",
            "Warehouse",
            "QP-08",
            "5 / 6",
            "12",
            "7",
            "58%",
            "57% (38–70%)",
            "9.0",
            "0.78",
            "96%",
            "22%",
            "+8 pts",
            "91%",
        ],
        [
            "major, 97% sure",
            "Production",
            "QP-08",
            "6 / 7",
            "12",
            "3",
            "25%",
            "31% (15–50%)",
            "9.2",
            "0.32",
            r"\>99%",
            "97%",
            "–",
            "84%",
        ],
    ]
    assert [r[1] for r in rows(top)] == [g.cell.department for g in report.top_gaps()]


def test_without_findings_the_closest_cells_are_shown(report: GapReport) -> None:
    report.procedures = [g for g in report.procedures if g.grade.value in ("no gap", "minor")]
    report.procedures = [replace(g, grade=Grade.NO_GAP) for g in report.procedures]
    top = section(gap_report_markdown(report), "Where an auditor would find gaps")
    assert "No cell is graded as a likely finding. The cells closest to one:" in top
    assert [r[1] for r in rows(top)] == ["Warehouse", "Production"]


def test_systemic_findings_have_their_own_section(report: GapReport) -> None:
    systemic = section(gap_report_markdown(report), "Systemic findings")
    assert (
        "ISO 14001:2015 8.1 established weak in Production and Warehouse — "
        "a major nonconformity at company level"
    ) in systemic
    report.systemic = []
    none = section(gap_report_markdown(report), "Systemic findings")
    assert "No clause is established weak in 2 or more departments." in none
    assert "## Systemic findings" not in gap_report_markdown(empty_report())


def test_practice_reads_as_doing_x_while_the_procedure_says_y(report: GapReport) -> None:
    practice = section(gap_report_markdown(report), "Where practice may differ from the procedure")
    assert (
        "- **Production**, **QP-08-001** (QP-08), “Who signs \\<script\\>alert(1)\\</script\\> "
        "off?”: people may be doing “Put it back on the line”, while the procedure says "
        "“Tag it and move it to quarantine” (7 of 12 answers; p \\< 0.001, q = 0.002)"
    ) in practice
    assert "<script>" not in practice
    assert (
        "_Grades, practice flags and question checks: answers from 2026-10-01 to 2026-11-01, "
        "computed 2026-11-01 00:00 UTC._"
    ) in practice


def test_practice_keeps_the_order_of_strength_not_the_alphabet(report: GapReport) -> None:
    practice = section(gap_report_markdown(report), "Where practice may differ from the procedure")
    named = re.findall(r"^- \*\*(\w+)\*\*", practice, flags=re.MULTILINE)
    assert named == ["Warehouse", "Production", "Assembly", "Dispatch"]


def test_only_flagged_questions_are_listed_for_review(report: GapReport) -> None:
    quality = rows(section(gap_report_markdown(report), "Questions to review"))
    assert quality == [
        [
            "QP-08-001",
            "11",
            "12",
            "15% (4–40%)",
            "-0.20 (-0.68 to +0.39)",
            "almost everyone fails it",
        ]
    ]


def test_participation_and_every_cell_are_tabled(report: GapReport) -> None:
    text = gap_report_markdown(report)
    assert rows(section(text, "Participation")) == [
        ["Production", "4", "1"],
        ["Warehouse", "2", "0"],
    ]
    procedures = rows(section(text, "Every department × procedure"))
    assert [(r[1], r[2], r[0]) for r in procedures] == [
        ("Production", "QP-08", "major, 97% sure"),
        ("Production", "QP-09", "no gap, 98% sure"),
        ("Warehouse", "QP-08", "minor, 96% sure"),
        ("Warehouse", "EP-03", "not enough evidence"),
    ]
    assert len(rows(section(text, "Every department × clause"))) == 2


def test_not_enough_evidence_shows_counts_but_no_figures(report: GapReport) -> None:
    procedures = rows(section(gap_report_markdown(report), "Every department × procedure"))
    thin = next(r for r in procedures if r[2] == "EP-03")
    assert thin[3:6] == ["2 / 3", "2", "0"]
    assert thin[6] == "not enough evidence"
    assert thin[7:] == ["n/e"] * 7
    assert not any(re.search(r"\d", figure) for figure in thin[6:])


def test_a_pipe_in_a_department_does_not_break_the_table(report: GapReport) -> None:
    gap = report.procedures[0]
    odd = replace(gap, cell=replace(gap.cell, department="Ops | *Night*"))
    report.procedures = [odd]
    procedures = rows(section(gap_report_markdown(report), "Every department × procedure"))
    assert len(procedures[0]) == 14
    assert procedures[0][1] == r"Ops \| \*Night\*"


def test_markdown_escaping_keeps_text_inert() -> None:
    assert md("[click](http://x) <b>") == r"\[click\](http://x) \<b\>"
    assert md("two\nlines") == "two lines"
    assert md("R&D $x$") == r"R&D \$x\$"


def test_the_model_section_gives_the_companys_estimates(report: GapReport) -> None:
    model = section(gap_report_markdown(report), "The model")
    assert "**Spread between cells**: 0.62" in model
    assert "**False alarms expected**: 2% of the cells graded minor or major" in model
    how = section(gap_report_markdown(report), "How to read this")
    assert "docs/statistics.md" in how and "Wilson" not in how


def test_a_report_without_findings_says_so(report: GapReport) -> None:
    report.procedures = [g for g in report.procedures if g.grade.value == "no gap"]
    headline = gap_report_markdown(report).splitlines()[2]
    assert headline == "No likely findings in 1 department × procedure cell(s)."


def test_an_empty_report_says_so() -> None:
    text = gap_report_markdown(empty_report())
    assert text.startswith("# Gap report: Warehouse, ")
    assert "nothing to judge yet" in text
    assert "No question is flagged." in text


def test_each_procedure_cell_shows_the_current_revision_beside_earlier_ones(
    report: GapReport,
) -> None:
    text = gap_report_markdown(report)
    section = text.split("## Current revision against earlier ones")[1].split("\n## ")[0]
    assert "| Warehouse | QP-08 | D | 33% (2/6; 95% 10–70%) | 83% (5/6; 95% 44–97%) |" in section
    # Not enough evidence: the counts alone, as everywhere else in the report.
    assert "| Warehouse | EP-03 | B | 0/2 right | no answers |" in section
    # A cell without revision rows is left out rather than shown as empty.
    assert "| Production | QP-09 |" not in section
    assert "No answers in this period." in gap_report_markdown(empty_report())
