"""Mock audit findings as Markdown, JSON and a self-contained HTML page. Names nobody.

A manager's report also says which small departments it withholds (`MockReport.withheld`).
"""

from __future__ import annotations

import html
import json
from typing import Any

from bot.services.mock_audit.findings import MockReport

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#1b1f24}"
    "table{border-collapse:collapse;width:100%;margin:1rem 0}"
    "th,td{border:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f4f6}.major{color:#a40e26;font-weight:600}"
    ".minor{color:#9a6700;font-weight:600}@media print{body{margin:0}}"
)


def mock_report_document(report: MockReport) -> dict[str, Any]:
    """The findings as plain data; the same content every format shows."""
    return {
        "kind": "mock_audit",
        "round": report.round_id,
        "status": report.status,
        "opened_at": report.opened_at.isoformat(),
        "closes_at": report.closes_at.isoformat(),
        "standards": report.standards,
        "sampled": [
            {"department": d, "role": r, "people": n}
            for (d, r), n in sorted(report.sampled.items())
        ],
        "interviews": report.interviews,
        "completed": report.completed,
        "not_available": report.unavailable,
        "awaiting_review": report.awaiting_review,
        "min_people": report.min_people,
        "withheld": report.withheld,
        "findings": [
            {
                "reference": f.reference,
                "standard": f.standard,
                "clause": f.clause,
                "requirement": f.requirement,
                "evidence": f.evidence,
                "statement": f.statement,
                "grade": f.grade.value,
                "reason": f.reason,
            }
            for f in report.findings
        ],
        "strengths": [
            {"standard": s.standard, "clause": s.clause, "topic": s.topic, "evidence": s.evidence}
            for s in report.strengths
        ],
    }


def mock_report_json(report: MockReport) -> str:
    return json.dumps(mock_report_document(report), indent=2)


def mock_report_markdown(report: MockReport) -> str:
    lines = [
        f"# Mock audit #{report.round_id}: findings",
        "",
        f"{report.interviews} people sampled, {report.completed} completed their interview, "
        f"{report.unavailable} not available for interview."
        + (
            f" {report.awaiting_review} answers await an admin's grade."
            if report.awaiting_review
            else ""
        ),
        "",
        *(f"- {note}" for note in report.withheld_notes()),
        *([""] if report.withheld else []),
        "| ref | standard | clause | requirement | evidence | statement | grade | reason |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {f.reference} | {f.standard} | {f.clause} | {_cell(f.requirement)} | "
        f"{_cell(f.evidence)} | {_cell(f.statement)} | {f.grade.value} | {_cell(f.reason)} |"
        for f in report.findings
    ]
    lines += ["", "## Strengths", ""]
    lines += [f"- {s.standard} {s.clause}: {s.topic}. {s.evidence}" for s in report.strengths]
    if not report.strengths:
        lines.append("None yet.")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def mock_report_html(report: MockReport) -> str:
    e = html.escape
    rows = (
        "".join(
            f"<tr><td>{e(f.reference)}</td><td>{e(f.standard)} {e(f.clause)}</td>"
            f"<td>{e(f.requirement)}</td><td>{e(f.evidence)}</td><td>{e(f.statement)}</td>"
            f'<td class="{e(f.grade.value.split()[0])}">{e(f.grade.value)}</td>'
            f"<td>{e(f.reason)}</td></tr>"
            for f in report.findings
        )
        or f'<tr><td colspan="7">{report.no_findings()}</td></tr>'
    )
    strengths = (
        "".join(
            f"<li>{e(s.standard)} {e(s.clause)}: {e(s.topic)}. {e(s.evidence)}</li>"
            for s in report.strengths
        )
        or "<li>None yet.</li>"
    )
    withheld = "".join(f'<p class="withheld">{e(note)}</p>' for note in report.withheld_notes())
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Mock audit #{report.round_id}</title><style>{STYLE}</style></head><body>"
        f"<h1>Mock audit #{report.round_id}: findings</h1>"
        f"<p>{report.interviews} people sampled; {report.completed} completed; "
        f"{report.unavailable} not available for interview.</p>"
        f"{withheld}<table><tr><th>Ref</th><th>Standard and clause</th><th>Requirement</th>"
        "<th>Evidence</th><th>Statement</th><th>Grade</th><th>Why this grade</th></tr>"
        f"{rows}</table><h2>Strengths</h2><ul>{strengths}</ul></body></html>\n"
    )
