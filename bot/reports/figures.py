"""The figures every gap report shows, worded and rounded the same way in every format.

A cell without enough evidence shows its counts but no share, interval or chance: a number
drawn from two answers would look like a finding when it is only chance.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.summary.gaps import FINDINGS, GapRules, Grade, Interval
from bot.services.summary.gap_report import Gap, GapReport, PracticeFlag, QuestionQuality

NOT_ENOUGH = "not enough evidence"
NOT_ENOUGH_SHORT = "n/e"
NO_FIGURE = "–"
PLACES = 4
SIGNIFICANT = 4
TOP_GAPS = 5
STATISTICS_DOC = "docs/statistics.md"
SPIEGELHALTER = (
    "Spiegelhalter, “Funnel plots for comparing institutional performance”, "
    "Statistics in Medicine 24 (2005) 1185–1202"
)
MODEL_KEYS = ("cell_spread", "person_spread", "false_discovery")


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


def significant(value: float | None) -> float | None:
    """To 4 significant figures: p-values far below 0.0001 still say how far."""
    return None if value is None else float(f"{value:.{SIGNIFICANT}g}")


def percent(share: float | None) -> str:
    return NO_FIGURE if share is None else f"{share * 100:.0f}%"


def probability(value: float | None) -> str:
    """A probability as a percentage that never rounds to a certainty it isn't."""
    if value is None:
        return NO_FIGURE
    if value > 0.995:
        return ">99%"
    if value < 0.005:
        return "<1%"
    return f"{value * 100:.0f}%"


def p_text(value: float) -> str:
    """A p- or q-value after its name: "< 0.001" or "= 0.004"."""
    return "< 0.001" if value < 0.001 else f"= {value:.3f}"


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


def observed_over_expected(gap: Gap) -> float | None:
    """Right answers over those the others' level predicts on the same questions."""
    if not gap.enough_evidence or gap.expected is None or gap.expected <= 0:
        return None
    return gap.cell.correct / gap.expected


def grade_label(gap: Gap) -> str:
    """The grade with how sure it is, such as "minor, 96% sure"."""
    if not gap.enough_evidence or gap.sureness is None:
        return str(gap.grade)
    return f"{gap.grade}, {probability(gap.sureness)} sure"


def share_text(gap: Gap) -> str:
    return NOT_ENOUGH if not gap.enough_evidence else percent(gap.share)


def standardised_text(gap: Gap) -> str:
    """The standardised share with its 95% credible interval, such as "62% (48–74%)"."""
    if not gap.enough_evidence:
        return NOT_ENOUGH_SHORT
    if gap.interval is None:
        return percent(gap.estimate)
    return f"{percent(gap.estimate)} ({interval_text(gap.interval)})"


def expected_text(gap: Gap) -> str:
    if not gap.enough_evidence:
        return NOT_ENOUGH_SHORT
    return NO_FIGURE if gap.expected is None else f"{gap.expected:.1f}"


def ratio_text(gap: Gap) -> str:
    if not gap.enough_evidence:
        return NOT_ENOUGH_SHORT
    ratio = observed_over_expected(gap)
    return NO_FIGURE if ratio is None else f"{ratio:.2f}"


def chance_text(gap: Gap) -> str:
    return NOT_ENOUGH_SHORT if not gap.enough_evidence else percent(gap.auditor_chance)


def trend_text(gap: Gap) -> str:
    return NOT_ENOUGH_SHORT if not gap.enough_evidence else points(gap.trend)


def below(threshold: float) -> str:
    return f"P(below {percent(threshold)})"


def gap_headings(subject: str, rules: GapRules) -> list[str]:
    return [
        "grade",
        "department",
        subject,
        "people answered / asked",
        "answers",
        "correct",
        "share correct",
        "standardised share (95% credible)",
        "expected right",
        "O/E",
        below(rules.weak_below),
        below(rules.major_below),
        "trend",
        "auditor finds a gap",
    ]


COUNT_COLUMNS = 3


def gap_figures(gap: Gap) -> list[str]:
    """The columns after grade, department and subject, as text that needs no escaping.

    The first `COUNT_COLUMNS` are counts, shown always; the rest are the model's figures.
    """
    cell = gap.cell
    counts = [f"{cell.people_answered} / {cell.people_asked}", str(cell.answers), str(cell.correct)]
    if not gap.enough_evidence:
        return [*counts, NOT_ENOUGH, *[NOT_ENOUGH_SHORT] * 7]
    return [
        *counts,
        share_text(gap),
        standardised_text(gap),
        expected_text(gap),
        ratio_text(gap),
        probability(gap.p_weak),
        probability(gap.p_major),
        trend_text(gap),
        chance_text(gap),
    ]


def gaps_shown(report: GapReport) -> tuple[list[Gap], bool]:
    """The graded gaps in rank order; without any, the judged cells closest to one.

    The flag says whether the list holds findings.
    """
    top = report.top_gaps(TOP_GAPS)
    if top:
        return top, True
    return report.ranked_cells(TOP_GAPS), False


def scope_label(report: GapReport) -> str:
    departments = report.scope.departments
    if departments is None:
        return "all departments"
    return ", ".join(departments) if departments else "no departments"


def period_label(report: GapReport) -> str:
    return f"{report.period.start:%Y-%m-%d} to {report.period.end:%Y-%m-%d}"


def analysis_label(report: GapReport) -> str | None:
    """When the grades, practice flags and question checks were computed, and from what."""
    period, as_of = report.analysis_period, report.analysis_as_of
    if period is None or as_of is None:
        return None
    return (
        f"Grades, practice flags and question checks: answers from {period.start:%Y-%m-%d} to "
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
    if not any(counts[g] for g in FINDINGS):
        return f"No likely findings {where}"
    return (
        f"{counts[Grade.MAJOR]} likely major, {counts[Grade.MINOR]} minor and "
        f"{counts[Grade.OBSERVATION]} observation(s) {where}"
    )


def listed(names: Sequence[str]) -> str:
    """Names as prose: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def systemic_applies(report: GapReport) -> bool:
    """Systemic findings are company-level: only a whole-company report looks for them."""
    return report.scope.departments is None or bool(report.systemic)


def systemic_sentence(clause: str, departments: Sequence[str]) -> str:
    return (
        f"{clause} established weak in {listed(departments)} — "
        "a major nonconformity at company level"
    )


def no_systemic_sentence(report: GapReport) -> str:
    return (
        f"No clause is established weak in {report.rules.systemic_departments} or more departments."
    )


def practice_sentence(flag: PracticeFlag) -> str:
    """The wrong answer one department chose, as what they may be doing instead."""
    return (
        f"people may be doing “{flag.wrong_text}”, while the procedure says “{flag.right_text}” "
        f"({flag.chosen} of {flag.answers} answers; p {p_text(flag.p_value)}, "
        f"q {p_text(flag.q_value)})"
    )


def quality_figures(quality: QuestionQuality) -> list[str]:
    """People, answers, share right with its interval, discrimination with its interval."""
    discrimination = NO_FIGURE
    if quality.discrimination is not None:
        discrimination = f"{quality.discrimination:+.2f}"
        spread = quality.discrimination_interval
        if spread is not None:
            discrimination += f" ({spread.low:+.2f} to {spread.high:+.2f})"
    return [
        str(quality.people),
        str(quality.answers),
        f"{percent(quality.facility)} ({interval_text(quality.facility_interval)})",
        discrimination,
    ]


QUALITY_HEADINGS = (
    "question",
    "people",
    "answers",
    "answered right (95%)",
    "discrimination (95%)",
    "why",
)


_MODEL_FACTS = (
    (
        "cell_spread",
        "Spread between cells",
        "how far a cell typically sits from the company's usual level (log-odds, root mean square)",
    ),
    (
        "person_spread",
        "Spread between people",
        "how far people within a cell differ (log-odds, standard deviation)",
    ),
)


def model_facts(report: GapReport) -> list[tuple[str, str]]:
    """The company-wide estimates the grades rest on, worded for a reader."""
    parameters = report.parameters
    facts = [
        (label, f"{value:.2f}: {meaning}")
        for key, label, meaning in _MODEL_FACTS
        if (value := parameters.get(key)) is not None
    ]
    false_discovery = parameters.get("false_discovery")
    if false_discovery is not None:
        facts.append(
            (
                "False alarms expected",
                f"{probability(false_discovery)} of the cells graded minor or major "
                "(the mean of 1 − P(below the gap line) over them)",
            )
        )
    if report.analysis_as_of is not None:
        facts.append(("Computed", f"{report.analysis_as_of:%Y-%m-%d %H:%M} UTC"))
    return facts


def how_to_read(report: GapReport) -> list[tuple[str, str]]:
    rules = report.rules
    weak, major = percent(rules.weak_below), percent(rules.major_below)
    sure, suggestive = percent(rules.sure), percent(rules.suggestive)
    return [
        (
            "Grades",
            f"major: the standardised share is below {major} with probability {sure} or more; "
            f"minor: below {weak} with probability {sure} or more; observation: below {weak} "
            f"with probability {suggestive} or more, worth watching; no gap: none of these. "
            "“96% sure” is the probability behind the grade. A clause established minor or "
            f"worse in {rules.systemic_departments} or more departments is a systemic, "
            "company-level major finding; it never changes a cell's own grade.",
        ),
        (
            "Standardised share and 95% credible interval",
            "the share of right answers the cell would score on the company's usual mix of "
            "questions, so a department asked harder questions is not marked down for it; "
            "a cell with few answers is pulled towards what the company usually does. The "
            "share lies in the interval with 95% probability, given the answers.",
        ),
        ("Share correct", "right answers divided by answers, as given."),
        (
            "Expected right and O/E",
            "the right answers the cell would have given if it did as the other departments "
            "do on the very questions it was asked, and the observed right answers divided "
            "by that: below 1 is fewer right than the others' level.",
        ),
        (
            f"{below(rules.weak_below)} and {below(rules.major_below)}",
            "the probability that the standardised share is below the line.",
        ),
        (
            "Auditor finds a gap",
            f"the chance that an auditor interviewing {rules.interviewed} people of the "
            "department about the procedure meets at least one who can't answer.",
        ),
        (
            "Order",
            f"gaps are listed by the chance of a finding: {below(rules.weak_below)} times the "
            "auditor's chance.",
        ),
        (
            "Trend",
            "change in share correct against the period of the same length before, in "
            "percentage points.",
        ),
        (
            "Practice may differ",
            "a wrong answer one department chooses more often than guessing explains, strongest "
            "first; q is the Benjamini–Hochberg q-value, the false discovery rate at which the "
            "pattern would just be flagged.",
        ),
        (
            f"{NOT_ENOUGH} ({NOT_ENOUGH_SHORT})",
            f"fewer than {rules.min_people} people answered: the counts are shown, but no "
            "share, interval, probability, trend or chance, and no grade.",
        ),
        ("The model", f"{STATISTICS_DOC} describes the model and how it was checked."),
    ]
