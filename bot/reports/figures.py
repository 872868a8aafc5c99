"""The figures every gap report shows, worded and rounded the same way in every format.

A cell without enough evidence shows its counts but no share, interval or chance: a number
drawn from two answers would look like a finding when it is only chance.
"""

from __future__ import annotations

from bot.domain.gaps import Grade, Interval
from bot.services.gaps import Gap, GapReport, PracticeFlag

NOT_ENOUGH = "not enough evidence"
NOT_ENOUGH_SHORT = "n/e"
NO_FIGURE = "–"
PLACES = 4
TOP_GAPS = 5


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


def percent(share: float | None) -> str:
    return NO_FIGURE if share is None else f"{share * 100:.0f}%"


def points(change: float | None) -> str:
    """A change in share correct as percentage points, signed."""
    if change is None:
        return NO_FIGURE
    value = round(change * 100)
    return "±0 pts" if value == 0 else f"{value:+d} pts"


def interval_text(interval: Interval | None) -> str:
    if interval is None:
        return NO_FIGURE
    return f"{interval.low * 100:.0f}–{interval.high * 100:.0f}%"


def shown(gap: Gap, value: float | None) -> float | None:
    """A figure of the gap, or None where the evidence doesn't support showing one."""
    return value if gap.enough_evidence else None


def share_text(gap: Gap) -> str:
    return NOT_ENOUGH if not gap.enough_evidence else percent(gap.share)


def range_text(gap: Gap) -> str:
    return NOT_ENOUGH_SHORT if not gap.enough_evidence else interval_text(gap.interval)


def chance_text(gap: Gap) -> str:
    return NOT_ENOUGH_SHORT if not gap.enough_evidence else percent(gap.auditor_chance)


def trend_text(gap: Gap) -> str:
    return NOT_ENOUGH_SHORT if not gap.enough_evidence else points(gap.trend)


GAP_HEADINGS = (
    "grade",
    "department",
    "{subject}",
    "people answered / asked",
    "answers",
    "correct",
    "share correct",
    "95% interval",
    "trend",
    "auditor finds a gap",
)


def gap_headings(subject: str) -> list[str]:
    return [h.format(subject=subject) for h in GAP_HEADINGS]


def gap_figures(gap: Gap) -> list[str]:
    """The columns after grade, department and subject, as text that needs no escaping."""
    cell = gap.cell
    return [
        f"{cell.people_answered} / {cell.people_asked}",
        str(cell.answers),
        str(cell.correct),
        share_text(gap),
        range_text(gap),
        trend_text(gap),
        chance_text(gap),
    ]


def scope_label(report: GapReport) -> str:
    departments = report.scope.departments
    if departments is None:
        return "all departments"
    return ", ".join(departments) if departments else "no departments"


def period_label(report: GapReport) -> str:
    return f"{report.period.start:%Y-%m-%d} to {report.period.end:%Y-%m-%d}"


def analysis_label(report: GapReport) -> str | None:
    """When the practice flags and question quality were computed, and from which answers."""
    period, as_of = report.analysis_period, report.analysis_as_of
    if period is None or as_of is None:
        return None
    return (
        f"Practice flags and question quality: answers from {period.start:%Y-%m-%d} to "
        f"{period.end:%Y-%m-%d}, computed {as_of:%Y-%m-%d %H:%M} UTC."
    )


def grade_counts(report: GapReport) -> dict[Grade, int]:
    """How many department × procedure cells got each grade."""
    counts = dict.fromkeys(Grade, 0)
    for gap in report.procedures:
        counts[gap.grade] += 1
    return counts


def headline(report: GapReport) -> str:
    """One sentence a manager reads first."""
    cells = len(report.procedures)
    if not cells:
        return "No questions were sent in this period, so there is nothing to judge yet."
    counts = grade_counts(report)
    unsure = counts[Grade.NOT_ENOUGH_EVIDENCE]
    tail = f"; {unsure} with not enough evidence to judge" if unsure else ""
    where = f"in {cells} department × procedure cell(s){tail}."
    if not any(counts[g] for g in (Grade.MAJOR, Grade.MINOR, Grade.OBSERVATION)):
        return f"No likely findings {where}"
    return (
        f"{counts[Grade.MAJOR]} likely major, {counts[Grade.MINOR]} minor and "
        f"{counts[Grade.OBSERVATION]} observation(s) {where}"
    )


def practice_sentence(flag: PracticeFlag) -> str:
    """The wrong answer most people chose, as what they may be doing instead."""
    return (
        f"people may be doing “{flag.wrong_text}”, while the procedure says “{flag.right_text}” "
        f"({flag.chosen} of {flag.answers} answers)"
    )


HOW_TO_READ = (
    (
        "Grades",
        "major: most people can't answer, or the same clause is weak in several departments; "
        "minor: a gap in one department and procedure that the evidence shows; "
        "observation: borderline, the evidence doesn't settle it yet; "
        "not enough evidence: too few people answered to judge.",
    ),
    (
        "Share correct and interval",
        "the share of answers that were right, with the 95% Wilson interval: the range the "
        "department's real share very likely lies in. Few answers give a wide interval.",
    ),
    (
        "Auditor finds a gap",
        "the chance that an auditor interviewing {k} people of the department about the "
        "procedure meets at least one who can't answer.",
    ),
    (
        "Trend",
        "change in share correct against the period of the same length before, in percentage "
        "points.",
    ),
)


def how_to_read(report: GapReport) -> list[tuple[str, str]]:
    terms = [(term, text.format(k=report.rules.interviewed)) for term, text in HOW_TO_READ]
    missing = (
        f"fewer than {report.rules.min_people} people answered: the counts are shown, but no "
        "share, interval, trend or chance, and no grade."
    )
    return [*terms, (f"{NOT_ENOUGH} ({NOT_ENOUGH_SHORT})", missing)]
