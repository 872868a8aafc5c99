"""Block Kit for gap summaries, drill-downs and the managers' Home tab."""

from __future__ import annotations

from typing import Any

from bot.domain.gaps import Grade
from bot.ids import GapAction
from bot.services.gaps import Gap, GapReport, PracticeFlag
from questions import limits
from questions.text import escape_mrkdwn

Block = dict[str, Any]
TOP_GAPS = 5
PRACTICE_SHOWN = 3
GRADE_ICON = {
    Grade.MAJOR: ":red_circle:",
    Grade.MINOR: ":large_orange_circle:",
    Grade.OBSERVATION: ":large_yellow_circle:",
    Grade.NOT_ENOUGH_EVIDENCE: ":white_circle:",
    Grade.NO_GAP: ":large_green_circle:",
}


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _section(text: str) -> Block:
    if len(text) > limits.SECTION_TEXT:
        text = text[: limits.SECTION_TEXT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[: limits.HEADER_TEXT]}}


def evidence_line(gap: Gap, interviewed: int) -> str:
    """Counts, interval, trend and the auditor's chance, or 'not enough evidence'."""
    cell = gap.cell
    counts = f"{cell.correct} of {cell.answers} answers right, {cell.people_answered} people"
    if gap.grade is Grade.NOT_ENOUGH_EVIDENCE:
        return f"{counts}: not enough evidence"
    interval = gap.interval
    spread = f" (95% interval {pct(interval.low)}–{pct(interval.high)})" if interval else ""
    trend = ""
    if gap.trend is not None:
        trend = f", {'+' if gap.trend >= 0 else '−'}{abs(gap.trend) * 100:.0f} pts on last period"
    return (
        f"{pct(gap.share)} correct{spread}; {counts}{trend}. "
        f"An auditor talking to {interviewed} people would meet someone who can't answer: "
        f"*{pct(gap.auditor_chance)}*"
    )


def gap_title(gap: Gap) -> str:
    subject = escape_mrkdwn(gap.cell.subject)
    return (
        f"{GRADE_ICON[gap.grade]} *{escape_mrkdwn(gap.cell.department)} × {subject}*: "
        f"likely *{gap.grade.value}*"
    )


def _gap_blocks(gap: Gap, *, can_quiz: bool, interviewed: int) -> list[Block]:
    buttons = [
        _button(f"{gap.cell.department}", GapAction.DEPARTMENT, gap.cell.department),
        _button(f"{gap.cell.subject}", GapAction.PROCEDURE, gap.cell.subject),
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
    button: Block = {
        "type": "button",
        "action_id": action.value,
        "text": {"type": "plain_text", "text": text[: limits.BUTTON_TEXT]},
        "value": value[:2000],
    }
    if style:
        button["style"] = style
    return button


def practice_line(flag: PracticeFlag) -> str:
    return (
        f"*{escape_mrkdwn(flag.question_code)}* ({flag.chosen} of {flag.answers} answers): "
        f"people may be doing “{escape_mrkdwn(flag.wrong_text)}”, while "
        f"{escape_mrkdwn(flag.procedure_code)} says “{escape_mrkdwn(flag.right_text)}”."
    )


def gaps_message(report: GapReport, *, can_quiz: bool, overview: list[Block]) -> dict[str, Any]:
    """The top gaps a manager or admin gets from `/awareness`, with buttons to drill in."""
    top = report.top_gaps(TOP_GAPS)
    blocks: list[Block] = [
        _header("Awareness summary"),
        _context(_scope_line(report)),
        *overview,
        {"type": "divider"},
        _section("*Where an auditor would find gaps*"),
    ]
    if not top:
        blocks.append(_section(_no_gaps_text(report)))
    for gap in top:
        blocks += _gap_blocks(gap, can_quiz=can_quiz, interviewed=report.rules.interviewed)
    if report.practice:
        lines = [practice_line(f) for f in report.practice[:PRACTICE_SHOWN]]
        blocks.append(_section("*Practice may differ from the procedure*\n" + "\n".join(lines)))
    flagged = [q for q in report.quality if q.flags]
    if flagged:
        lines = [f"*{escape_mrkdwn(q.question_code)}*: {', '.join(q.flags)}" for q in flagged[:5]]
        blocks.append(_section("*Check these questions before blaming staff*\n" + "\n".join(lines)))
    if (report.practice or flagged) and report.analysis_as_of is not None:
        blocks.append(_context(f"Question analysis as of {report.analysis_as_of:%d %b %H:%M} UTC"))
    return {"text": "Awareness summary: where an auditor would find gaps", "blocks": blocks}


def _scope_line(report: GapReport) -> str:
    departments = report.scope.departments
    scope = "all departments" if departments is None else ", ".join(departments) or "none"
    period = f"{report.period.start:%d %b %Y} – {report.period.end:%d %b %Y}"
    return escape_mrkdwn(f"{scope} · {period}")


def _no_gaps_text(report: GapReport) -> str:
    if not report.procedures:
        return "_No answers in this period yet._"
    return "_No gaps on the evidence so far: every cell with enough answers is strong._"


def drill_message(report: GapReport, *, kind: str, name: str) -> dict[str, Any]:
    """Every cell for one department, procedure or clause, weakest first."""
    cells = _cells_for(report, kind, name)
    title = f"{kind.capitalize()} {name}"
    blocks: list[Block] = [_header(title), _context(_scope_line(report))]
    if not cells:
        blocks.append(_section(f"_No answers for {escape_mrkdwn(name)} in what you may see._"))
    for gap in cells[:40]:
        other = gap.cell.subject if kind == "department" else gap.cell.department
        blocks.append(
            _section(
                f"{GRADE_ICON[gap.grade]} *{escape_mrkdwn(other)}*: {gap.grade.value}\n"
                f"{evidence_line(gap, report.rules.interviewed)}"
            )
        )
    return {"text": title, "blocks": blocks}


def _cells_for(report: GapReport, kind: str, name: str) -> list[Gap]:
    wanted = name.casefold()
    if kind == "department":
        cells = [g for g in report.procedures if g.cell.department.casefold() == wanted]
    elif kind == "procedure":
        cells = [g for g in report.procedures if g.cell.subject.casefold() == wanted]
    else:
        cells = [g for g in report.clauses if g.cell.subject.casefold() == wanted]
    return sorted(cells, key=lambda g: (g.estimate, -g.cell.answers))


def manager_home(report: GapReport) -> list[Block]:
    """The Home tab blocks for a manager: the dashboard of their departments."""
    blocks: list[Block] = [_header("Your departments"), _context(_scope_line(report))]
    top = report.top_gaps(TOP_GAPS)
    for gap in top:
        blocks.append(_section(f"{gap_title(gap)}\n{evidence_line(gap, report.rules.interviewed)}"))
    if not top:
        blocks.append(_section(_no_gaps_text(report)))
    for silence in report.silences[:10]:
        blocks.append(
            _context(
                f"{escape_mrkdwn(silence.department)}: {silence.unanswered} questions unanswered, "
                f"{silence.silent_people} people who never answered"
            )
        )
    return blocks
