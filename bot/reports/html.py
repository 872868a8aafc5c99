"""The gap report as one self-contained HTML page: inline styles, the figures inline.

The page loads nothing from the network, so it opens offline, prints, and can be attached to
an email or an audit file as it is. Every text from files, Slack or the roster goes through
`html.escape`.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence

from bot.domain.summary.funnel import Z_998
from bot.reports import funnel_plot
from bot.reports.figures import (
    COUNT_COLUMNS,
    NOT_ENOUGH,
    QUALITY_HEADINGS,
    SPIEGELHALTER,
    analysis_label,
    gap_figures,
    gap_headings,
    gaps_shown,
    headline,
    how_to_read,
    model_facts,
    no_systemic_sentence,
    percent,
    period_label,
    practice_sentence,
    probability,
    quality_figures,
    scope_label,
    systemic_applies,
    systemic_sentence,
)
from bot.reports.heatmap import DPI, SIZE_INCHES, WIDE_INTERVAL, heatmap_png
from bot.services.summary.gap_report import Gap, GapReport

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1d1d1f; max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
.meta { color: #555; margin-top: 0; }
.headline { font-size: 1.1rem; background: #f3f5f8; border-left: 4px solid #3b5998;
            padding: .6rem .9rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .9rem; }
th, td { border: 1px solid #d0d0d0; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef0f3; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.grade { font-weight: 600; padding: .05rem .4rem; border-radius: .3rem; white-space: nowrap; }
.grade-major { background: #f8d7da; color: #6b1017; }
.grade-minor { background: #ffe8c2; color: #6a4000; }
.grade-observation { background: #dbe9f7; color: #123d66; }
.grade-not-enough-evidence { background: #eee; color: #444; font-style: italic; }
.grade-no-gap { background: #dff0e0; color: #1f4d24; }
.ne { color: #666; font-style: italic; }
.sure { color: #555; font-size: .85em; white-space: nowrap; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { color: #555; font-size: .85rem; }
dt { font-weight: 600; margin-top: .4rem; }
dd { margin-left: 1rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  table, figure { break-inside: avoid; }
  .headline { border-left-color: #000; }
}
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def element(tag: str, text: object, css: str | None = None) -> str:
    attribute = f' class="{esc(css)}"' if css else ""
    return f"<{tag}{attribute}>{esc(text)}</{tag}>"


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table; `rows` hold cells already rendered as <td> elements."""
    header = "".join(element("th", h) for h in head)
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def number(value: object) -> str:
    return element("td", value, "n")


def grade_badge(gap: Gap) -> str:
    """The grade, and beside it how sure it is."""
    css = "grade grade-" + str(gap.grade).replace(" ", "-")
    badge = element("span", gap.grade, css)
    if gap.enough_evidence and gap.sureness is not None:
        badge += " " + element("span", f"{probability(gap.sureness)} sure", "sure")
    return f"<td>{badge}</td>"


def gap_row(gap: Gap) -> list[str]:
    department, subject = element("td", gap.cell.department), element("td", gap.cell.subject)
    texts = gap_figures(gap)
    counts, figures = texts[:COUNT_COLUMNS], texts[COUNT_COLUMNS:]
    row = [grade_badge(gap), department, subject, *(number(c) for c in counts)]
    if not gap.enough_evidence:
        return [*row, f'<td class="ne" colspan="{len(figures)}">{esc(NOT_ENOUGH)}</td>']
    return [*row, *(number(f) for f in figures)]


def gap_table(report: GapReport, gaps: Sequence[Gap], subject: str) -> str:
    return table(gap_headings(subject, report.rules), (gap_row(g) for g in gaps))


def section(title: str, *parts: str) -> str:
    return f"<section>{element('h2', title)}{''.join(parts)}</section>"


def _summary(report: GapReport) -> str:
    rules = report.rules
    facts = (
        f"{len(report.procedures)} department × procedure cells; an auditor is assumed to "
        f"interview {rules.interviewed} people per department; a cell needs at least "
        f"{rules.min_people} people answering to be judged; a cell whose standardised share "
        f"is below {percent(rules.weak_below)} with probability {percent(rules.sure)} or more "
        "is a gap."
    )
    return section("Summary", element("p", headline(report), "headline"), element("p", facts))


def _top_gaps(report: GapReport) -> str:
    gaps, findings = gaps_shown(report)
    title = "Where an auditor would find gaps"
    if not gaps:
        return section(title, element("p", "No cell has enough evidence to judge."))
    lead = (
        "Likeliest finding first."
        if findings
        else ("No cell is graded as a likely finding. The cells closest to one:")
    )
    clauses = "".join(
        element(
            "li",
            f"{g.cell.department} / {g.cell.subject}: {', '.join(g.clauses) or 'none recorded'}",
        )
        for g in gaps
    )
    return section(
        title,
        element("p", lead),
        gap_table(report, gaps, "procedure"),
        element("p", "Clauses behind them:"),
        f"<ul>{clauses}</ul>",
    )


def _systemic(report: GapReport) -> str:
    if not systemic_applies(report):
        return ""
    title = "Systemic findings"
    if not report.systemic:
        return section(title, element("p", no_systemic_sentence(report)))
    items = "".join(
        f"<li><strong>Systemic</strong>: {esc(systemic_sentence(f.clause, f.departments))}</li>"
        for f in report.systemic
    )
    return section(title, f"<ul>{items}</ul>")


def figure_html(png: bytes, alt: str, size: tuple[float, float], caption: str) -> str:
    """A PNG inline as a data URL, with its alt text and caption."""
    source = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    width, height = (round(inches * DPI) for inches in size)
    image = f'<img src="{source}" alt="{esc(alt)}" width="{width}" height="{height}">'
    return f"<figure>{image}{element('figcaption', caption)}</figure>"


def _heatmap(report: GapReport) -> str:
    title = "Standardised share by department and procedure"
    png = heatmap_png(report)
    if png is None:
        return section(title, element("p", "Nothing to plot: no questions were sent."))
    wide = f"{WIDE_INTERVAL * 100:.0f}"
    alt = (
        f"Heatmap of the standardised share for {len(report.procedures)} department × "
        f"procedure cells, {scope_label(report)}, {period_label(report)}; faded dotted cells "
        f"have a 95% interval wider than {wide} points; hatched grey cells marked n/e have not "
        "enough evidence. The full table below holds the same figures."
    )
    caption = (
        "Colour: the standardised share, the share the cell would score on the company's usual "
        f"questions; below it its 95% credible interval. Faded and dotted: an interval wider than "
        f"{wide} points, so the colour is only a rough guide. n: answers; n/e: not enough "
        "evidence to show a share."
    )
    return section(title, figure_html(png, alt, SIZE_INCHES, caption))


def _funnel(report: GapReport) -> str:
    title = "Funnel plot: right answers against the others' level"
    funnel = funnel_plot.funnel_of(report)
    if funnel is None:
        return section(title, element("p", "Nothing to plot: no cell has enough evidence."))
    outside = funnel.outside(Z_998)
    named = "; ".join(p.label for p in outside) or "none"
    alt = (
        "Funnel plot of observed ÷ expected right answers against the number of answers for "
        f"{len(funnel.points)} department × procedure cells, with 95% and 99.8% control limits; "
        f"{len(outside)} outside the 99.8% limits: {named}."
    )
    if funnel.phi > 1.0:
        spread = (
            f"The limits are widened by the overdispersion factor φ = {funnel.phi:.2f}, "
            "estimated from the cells, because they vary more than chance alone would."
        )
    else:
        spread = (
            "The cells vary no more than chance would, so the limits are not widened "
            "(overdispersion factor φ = 1)."
        )
    caption = (
        "Each point is a department × procedure cell with enough evidence: its right answers "
        "divided by those expected if it did as the other departments do on the very questions "
        "it was asked (O/E; 1 is the others' level), against its number of answers. Dashed: "
        "95% control limits; solid: 99.8%, around the company's level of "
        f"{percent(funnel.share)} on these questions. Cells outside the 99.8% limits are "
        f"named: below the funnel is weaker than chance and the usual spread explain. {spread} "
        "After "
        f"{SPIEGELHALTER}."
    )
    png = funnel_plot.rendered(report, funnel)
    return section(title, figure_html(png, alt, funnel_plot.SIZE_INCHES, caption))


def _practice(report: GapReport) -> str:
    title = "Where practice may differ from the procedure"
    label = analysis_label(report)
    note = element("p", label, "meta") if label else ""
    if not report.practice:
        empty = "No wrong answer is chosen more often than guessing explains."
        return section(title, note, element("p", empty))
    items = "".join(
        f"<li><strong>{esc(f.department)}</strong>, <strong>{esc(f.question_code)}</strong> "
        f"({esc(f.procedure_code)}), “{esc(f.prompt)}”: {esc(practice_sentence(f))}</li>"
        for f in report.practice
    )
    return section(title, note, element("p", "Strongest first."), f"<ul>{items}</ul>")


def _quality(report: GapReport) -> str:
    title = "Questions to review"
    flagged = [q for q in report.quality if q.flags]
    if not flagged:
        return section(title, element("p", "No question is flagged."))
    rows = (
        [
            element("td", q.question_code),
            *(number(f) for f in quality_figures(q)),
            element("td", "; ".join(q.flags)),
        ]
        for q in flagged
    )
    return section(title, table(QUALITY_HEADINGS, rows))


def _participation(report: GapReport) -> str:
    title = "Participation"
    if not report.silences:
        return section(title, element("p", "No questions were sent in this period."))
    rows = (
        [element("td", s.department), number(s.unanswered), number(s.silent_people)]
        for s in report.silences
    )
    head = ("department", "questions unanswered", "people who answered none")
    return section(title, table(head, rows))


def _full_tables(report: GapReport) -> str:
    procedures = report.procedures
    clauses = report.clauses
    return section(
        "Every department × procedure",
        gap_table(report, procedures, "procedure") if procedures else "<p>None.</p>",
    ) + section(
        "Every department × clause",
        gap_table(report, clauses, "clause") if clauses else "<p>None.</p>",
    )


def _model(report: GapReport) -> str:
    facts = model_facts(report)
    if not facts:
        return ""
    entries = "".join(element("dt", term) + element("dd", text) for term, text in facts)
    return section("The model", f"<dl>{entries}</dl>")


def _how_to_read(report: GapReport) -> str:
    terms = how_to_read(report)
    entries = "".join(element("dt", term) + element("dd", text) for term, text in terms)
    return section("How to read this", f"<dl>{entries}</dl>")


def gap_report_html(report: GapReport) -> str:
    """The gap report as a single printable HTML page with the heatmap and funnel plot inline."""
    title = f"Gap report: {scope_label(report)}, {period_label(report)}"
    body = "".join(
        (
            element("h1", "Gap report"),
            element("p", f"{scope_label(report)}, {period_label(report)}", "meta"),
            _summary(report),
            _top_gaps(report),
            _systemic(report),
            _heatmap(report),
            _funnel(report),
            _practice(report),
            _quality(report),
            _participation(report),
            _full_tables(report),
            _model(report),
            _how_to_read(report),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{element('title', title)}<style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
