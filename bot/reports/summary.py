"""The awareness summary as Markdown and JSON, for the command line and the demo."""

from __future__ import annotations

import json
from typing import Any

from bot.reports.revisions import revision_figures, revision_json
from bot.services.summary.counts import AwarenessSummary, Tally

# 2: `weakest` dropped; the gap report's ranked cells replace it.
JSON_SCHEMA_VERSION = 2


def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def scope_label(summary: AwarenessSummary) -> str:
    departments = summary.scope.departments
    if departments is None:
        return "all departments"
    return ", ".join(departments) if departments else "no departments"


def _tally_json(tally: Tally, names: tuple[str, ...]) -> dict[str, Any]:
    return {
        **dict(zip(names, tally.key, strict=True)),
        "people_reached": tally.people_reached,
        "people_answered": tally.people_answered,
        "deliveries": tally.deliveries,
        "answers": tally.answers,
        "correct": tally.correct,
        "participation": _rounded(tally.participation),
        "share_correct": _rounded(tally.share_correct),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def summary_json(summary: AwarenessSummary) -> str:
    """The summary as JSON; the shape is documented in the README."""
    counts = summary.counts
    document = {
        "schema": JSON_SCHEMA_VERSION,
        "scope": {"departments": summary.scope.departments},
        "since": summary.since.isoformat() if summary.since else None,
        "overall": _tally_json(counts.overall, ()),
        "by_department": [_tally_json(t, ("department",)) for t in counts.by_department],
        "by_procedure": [
            _tally_json(t, ("procedure",)) | revision_json(counts.revisions.get(t.key[0]))
            for t in counts.by_procedure
        ],
    }
    return json.dumps(document, indent=2)


def _md_row(label: str, tally: Tally) -> str:
    return (
        f"| {label} | {tally.people_reached} | {tally.people_answered} | {tally.deliveries} "
        f"| {tally.answers} | {percent(tally.participation)} | {tally.correct} "
        f"| {percent(tally.share_correct)} |"
    )


_MD_HEAD = (
    "| {what} | people reached | people answered | questions sent | answers "
    "| participation | correct | share correct |\n|---|---:|---:|---:|---:|---:|---:|---:|"
)
_MD_PROCEDURE_HEAD = (
    "| procedure | people reached | people answered | questions sent | answers "
    "| participation | correct | share correct | current revision | share correct, current "
    "| share correct, earlier |\n|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
)


def _md_procedure_row(summary: AwarenessSummary, tally: Tally) -> str:
    split = summary.counts.revisions.get(tally.key[0])
    return f"{_md_row(tally.key[0], tally)} {' | '.join(revision_figures(split))} |"


def summary_markdown(summary: AwarenessSummary) -> str:
    """The summary as a Markdown report."""
    counts = summary.counts
    overall = counts.overall
    lines = [
        f"# Awareness summary: {scope_label(summary)}",
        "",
        f"- People reached: {overall.people_reached}, of whom {overall.people_answered} answered",
        f"- Participation: {percent(overall.participation)} "
        f"({overall.answers} of {overall.deliveries} questions answered)",
        f"- Answered correctly: {percent(overall.share_correct)} "
        f"({overall.correct} of {overall.answers})",
        "",
        "## By department",
        "",
        _MD_HEAD.format(what="department"),
        *(_md_row(t.key[0], t) for t in counts.by_department),
        "",
        "## By procedure",
        "",
        "Share correct under each procedure's current revision, beside the share under the "
        "revisions before it (right/answers; 95% Wilson interval).",
        "",
        _MD_PROCEDURE_HEAD,
        *(_md_procedure_row(summary, t) for t in counts.by_procedure),
    ]
    return "\n".join(lines) + "\n"
