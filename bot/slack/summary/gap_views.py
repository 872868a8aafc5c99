"""Block Kit for gap summaries, drill-downs and the managers' Home tab."""

from __future__ import annotations

from typing import Any

from bot.domain.summary.gaps import Grade
from bot.reports.figures import interval_text, listed, p_text, probability
from bot.services.summary.gap_report import Drill, Gap, GapReport, PracticeFlag, QuestionQuality
from bot.slack.ids import GapAction
from questions import limits
from questions.text import escape_mrkdwn

Block = dict[str, Any]
TOP_GAPS = 5
PRACTICE_SHOWN = 3
QUALITY_SHOWN = 5
SYSTEMIC_SHOWN = 5
DRILL_SHOWN = 40
SILENCES_SHOWN = 10
GRADE_ICON = {
    Grade.MAJOR: ":red_circle:",
    Grade.MINOR: ":large_orange_circle:",
    Grade.OBSERVATION: ":large_yellow_circle:",
    Grade.NOT_ENOUGH_EVIDENCE: ":white_circle:",
    Grade.NO_GAP: ":large_green_circle:",
}
NOT_ENOUGH = "_Not enough evidence yet: too few people have answered to judge._"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _fit(text: str) -> str:
    """Text cut to Slack's section limit, never through an escaped `&amp;`, `&lt;` or `&gt;`."""
    if len(text) <= limits.SECTION_TEXT:
        return text
    cut = text[: limits.SECTION_TEXT - 1]
    entity = cut.rfind("&", len(cut) - len("&amp;"))
    if entity >= 0 and ";" not in cut[entity:]:
        cut = cut[:entity]
    return cut + "…"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _fit(text)}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _fit(text)}]}


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[: limits.HEADER_TEXT]}}


def sureness_text(gap: Gap) -> str:
    """The grade and how sure it is: "likely *minor*, 96% sure"."""
    if gap.grade is Grade.NOT_ENOUGH_EVIDENCE:
        return "*not enough evidence*"
    sure = "" if gap.sureness is None else f", {probability(gap.sureness)} sure"
    return f"likely *{gap.grade.value}*{sure}"


def _standardised(gap: Gap) -> str:
    interval = gap.interval
    spread = f" (95%: {interval_text(interval)})" if interval else ""
    return f"{pct(gap.estimate)} on the company's usual questions{spread}"


def _against_expected(gap: Gap) -> str | None:
    if gap.expected is None:
        return None
    return f"{gap.cell.correct} right where the others' level would give {gap.expected:.0f}"


def _trend(gap: Gap) -> str | None:
    if gap.trend is None:
        return None
    return f"{'+' if gap.trend >= 0 else '−'}{abs(gap.trend) * 100:.0f} pts on last period"


def evidence_line(gap: Gap, interviewed: int) -> str:
    """Counts, standardised share, observed vs expected, trend and the auditor's chance.

    A cell without enough evidence says so and shows no number: a figure from two answers
    would read as a finding.
    """
    if gap.grade is Grade.NOT_ENOUGH_EVIDENCE:
        return NOT_ENOUGH
    cell = gap.cell
    counts = f"{cell.correct} of {cell.answers} answers right, {cell.people_answered} people"
    parts = [counts, _standardised(gap), _against_expected(gap), _trend(gap)]
    return (
        "; ".join(p for p in parts if p)
        + f".\nAn auditor talking to {interviewed} people would meet someone who can't answer: "
        f"*{pct(gap.auditor_chance)}*"
    )


def gap_title(gap: Gap) -> str:
    subject = escape_mrkdwn(gap.cell.subject)
    return (
        f"{GRADE_ICON[gap.grade]} *{escape_mrkdwn(gap.cell.department)} × {subject}*: "
        f"{sureness_text(gap)}"
    )


def _gap_blocks(gap: Gap, *, can_quiz: bool, interviewed: int) -> list[Block]:
    buttons = [
        _button(gap.cell.department, GapAction.DEPARTMENT, gap.cell.department),
        _button(gap.cell.subject, GapAction.PROCEDURE, gap.cell.subject),
    ]
    if can_quiz:
        buttons.append(
            _button(
                f"Quiz {gap.cell.department} now",
                GapAction.QUIZ,
                gap.cell.department,
                style="primary",
            )
        )
    return [
        _section(f"{gap_title(gap)}\n{evidence_line(gap, interviewed)}"),
        {"type": "actions", "elements": buttons},
    ]


def _button(text: str, action: GapAction, value: str, style: str | None = None) -> Block:
    if len(text) > limits.BUTTON_TEXT:
        text = text[: limits.BUTTON_TEXT - 1] + "…"
    button: Block = {
        "type": "button",
        "action_id": action.value,
        "text": {"type": "plain_text", "text": text},
        "value": value[: limits.BUTTON_VALUE],
    }
    if style:
        button["style"] = style
    return button


def practice_line(flag: PracticeFlag) -> str:
    """One department's common wrong answer, as what they may be doing instead."""
    return (
        f"*{escape_mrkdwn(flag.department)}*, *{escape_mrkdwn(flag.question_code)}* "
        f"({flag.chosen} of {flag.answers} answers, q {p_text(flag.q_value)}): "
        f"people may be doing “{escape_mrkdwn(flag.wrong_text)}”, while "
        f"{escape_mrkdwn(flag.procedure_code)} says “{escape_mrkdwn(flag.right_text)}”."
    )


def quality_line(quality: QuestionQuality) -> str:
    interval = quality.facility_interval
    return (
        f"*{escape_mrkdwn(quality.question_code)}*: {escape_mrkdwn(', '.join(quality.flags))} "
        f"({pct(quality.facility)} right, 95%: {interval_text(interval)}; "
        f"{quality.people} people)"
    )


def systemic_blocks(report: GapReport) -> list[Block]:
    """Company-level findings: the service fills them only in an admin's whole-company view."""
    if not report.systemic:
        return []
    lines = [
        f"{GRADE_ICON[Grade.MAJOR]} *{escape_mrkdwn(f.clause)}* established weak in "
        f"{escape_mrkdwn(listed(f.departments))} — a major nonconformity at company level"
        for f in report.systemic[:SYSTEMIC_SHOWN]
    ]
    return [_section("*Systemic*\n" + "\n".join(lines))]


def _analysis_context(report: GapReport) -> list[Block]:
    if report.analysis_as_of is None:
        return []
    text = f"Grades and question analysis as of {report.analysis_as_of:%d %b %H:%M} UTC"
    false_discovery = report.parameters.get("false_discovery")
    if false_discovery is not None:
        text += (
            f" · of the cells graded minor or major, about {probability(false_discovery)} "
            "may be false alarms"
        )
    return [_context(text)]


def gaps_message(report: GapReport, *, can_quiz: bool, overview: list[Block]) -> dict[str, Any]:
    """The top gaps a manager or admin gets from `/awareness`, with buttons to drill in."""
    top = report.top_gaps(TOP_GAPS)
    gaps: list[Block] = [{"type": "divider"}, _section("*Where an auditor would find gaps*")]
    if not top:
        gaps.append(_section(_no_gaps_text(report)))
    for gap in top:
        gaps += _gap_blocks(gap, can_quiz=can_quiz, interviewed=report.rules.interviewed)
    rest = [*gaps, *systemic_blocks(report), *_findings_blocks(report)]
    head = [_header("Awareness summary"), _context(_scope_line(report))]
    # The overview comes from elsewhere; it gives way so the gaps always fit.
    room = limits.MESSAGE_BLOCKS - len(head) - len(rest)
    blocks = [*head, *overview[: max(room, 0)], *rest]
    return {"text": "Awareness summary: where an auditor would find gaps", "blocks": blocks}


def _findings_blocks(report: GapReport) -> list[Block]:
    blocks: list[Block] = []
    if report.practice:
        lines = [practice_line(f) for f in report.practice[:PRACTICE_SHOWN]]
        heading = "*Practice may differ from the procedure* (strongest first)"
        blocks.append(_section(heading + "\n" + "\n".join(lines)))
    flagged = [q for q in report.quality if q.flags]
    if flagged:
        lines = [quality_line(q) for q in flagged[:QUALITY_SHOWN]]
        blocks.append(_section("*Check these questions before blaming staff*\n" + "\n".join(lines)))
    return blocks + _analysis_context(report)


def _scope_line(report: GapReport) -> str:
    departments = report.scope.departments
    scope = "all departments" if departments is None else ", ".join(departments) or "none"
    period = f"{report.period.start:%d %b %Y} – {report.period.end:%d %b %Y}"
    return escape_mrkdwn(f"{scope} · {period}")


def _no_gaps_text(report: GapReport) -> str:
    if not report.procedures:
        return "_No answers in this period yet._"
    if not any(g.enough_evidence for g in report.procedures):
        return "_Not enough evidence yet: no cell has enough people answering to judge._"
    return "_No gaps on the evidence so far: no cell is likely below the line._"


def drill_message(drill: Drill) -> dict[str, Any]:
    """Every cell for one department, procedure or clause, likeliest finding first."""
    kind, name, cells, report = drill.kind, drill.name, drill.cells, drill.report
    title = f"{kind.capitalize()} {name}"
    blocks: list[Block] = [_header(title), _context(_scope_line(report))]
    if not cells:
        blocks.append(_section(f"_No answers for {escape_mrkdwn(name)} in what you may see._"))
    for gap in cells[:DRILL_SHOWN]:
        other = gap.cell.subject if kind == "department" else gap.cell.department
        blocks.append(
            _section(
                f"{GRADE_ICON[gap.grade]} *{escape_mrkdwn(other)}*: {sureness_text(gap)}\n"
                f"{evidence_line(gap, report.rules.interviewed)}"
            )
        )
    if len(cells) > DRILL_SHOWN:
        blocks.append(_context(f"{len(cells) - DRILL_SHOWN} more not shown; the export has all."))
    return {"text": escape_mrkdwn(title), "blocks": blocks}


def manager_home(report: GapReport) -> list[Block]:
    """The Home tab blocks for a manager: the dashboard of their departments."""
    blocks: list[Block] = [_header("Your departments"), _context(_scope_line(report))]
    top = report.top_gaps(TOP_GAPS)
    for gap in top:
        blocks.append(_section(f"{gap_title(gap)}\n{evidence_line(gap, report.rules.interviewed)}"))
    if not top:
        blocks.append(_section(_no_gaps_text(report)))
    blocks += systemic_blocks(report)
    for silence in report.silences[:SILENCES_SHOWN]:
        blocks.append(
            _context(
                f"{escape_mrkdwn(silence.department)}: {silence.unanswered} questions unanswered, "
                f"{silence.silent_people} people who never answered"
            )
        )
    return blocks
