"""One verdict per cell for the whole company: the model, the grades, the auditor's chance, ranked.

`judge_company` is the single place the report's statistics are made. It takes only
aggregated counts (what SQL returns), so the report, the calibration benchmark and the tests
all run the very same code. Its verdicts are computed once, from the whole company's data,
and every view (Slack, Home tab, every export) shows a cell exactly as judged here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.summary import gap_model
from bot.domain.summary.auditor import Record, ShareCurve, auditor_chance, person_spread, tabulated
from bot.domain.summary.gaps import (
    ESTABLISHED,
    GapRules,
    Grade,
    bayesian_fdr,
    finding_chance,
    grade,
    sureness,
    systemic_clauses,
)
from bot.domain.summary.item_quality import ItemEvidence, ItemVerdict, item_verdicts
from bot.domain.summary.practice import ChoiceSpread, DistractorTest, practice_flags


@dataclass(frozen=True)
class CellCounts:
    """A department × subject cell: how many people answered, and its answers per item.

    For a procedure cell the items are its questions; a clause cell is one item, the clause.
    """

    department: str
    subject: str
    people: int
    items: tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class CompanyCounts:
    procedures: Sequence[CellCounts]
    clauses: Sequence[CellCounts]
    records: dict[tuple[str, str], list[Record]] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    choices: Sequence[ChoiceSpread] = ()
    items: Sequence[ItemEvidence] = ()
    clauses_of: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class CellVerdict:
    kind: str
    department: str
    subject: str
    answers: int
    correct: int
    expected: float
    estimate: float
    low: float
    high: float
    p_weak: float
    p_major: float
    grade: Grade
    sureness: float | None
    auditor_chance: float
    finding_chance: float


@dataclass(frozen=True)
class CompanyVerdicts:
    procedures: list[CellVerdict]
    clauses: list[CellVerdict]
    practice: list[DistractorTest]
    items: list[ItemVerdict]
    systemic: dict[str, list[str]]
    cell_spread: float
    person_spread: float
    false_discovery: float | None

    def top(self, limit: int = 5) -> list[CellVerdict]:
        """Graded gaps, the likeliest finding first: P(real gap) × auditor's chance."""
        graded = [v for v in self.procedures if v.grade in (*ESTABLISHED, Grade.OBSERVATION)]
        return sorted(graded, key=rank_key)[:limit]


def rank_key(verdict: CellVerdict) -> tuple[float, int, str, str]:
    return (-verdict.finding_chance, -verdict.answers, verdict.department, verdict.subject)


def judge_company(counts: CompanyCounts, rules: GapRules) -> CompanyVerdicts:
    """Every cell judged once, from the whole company's counts."""
    procedure_fit = gap_model.fit(_item_counts(counts.procedures), rules.thresholds)
    clause_fit = gap_model.fit(_item_counts(counts.clauses), rules.thresholds)
    share = tabulated(procedure_fit.share_curve)
    spread = person_spread(
        [
            (c.effect, counts.records.get((c.department, c.subject), []))
            for c in procedure_fit.cells
        ],
        share,
    )
    procedures = _verdicts(
        "procedure", procedure_fit, counts.procedures, counts, rules, share, spread
    )
    clauses = _verdicts(
        "clause", clause_fit, counts.clauses, counts, rules, tabulated(clause_fit.share_curve), 0.0
    )
    established = [(v.department, v.subject) for v in clauses if v.grade in ESTABLISHED]
    return CompanyVerdicts(
        procedures=procedures,
        clauses=clauses,
        practice=practice_flags(counts.choices),
        items=item_verdicts(counts.items),
        systemic=systemic_clauses(established, departments=rules.systemic_departments),
        cell_spread=procedure_fit.spread,
        person_spread=spread,
        false_discovery=bayesian_fdr(v.p_weak for v in procedures if v.grade in ESTABLISHED),
    )


def _item_counts(cells: Sequence[CellCounts]) -> list[gap_model.ItemCount]:
    return [
        gap_model.ItemCount(cell.department, cell.subject, item, answers, correct)
        for cell in cells
        for item, answers, correct in cell.items
    ]


def _verdicts(
    kind: str,
    fit: gap_model.ModelFit,
    cells: Sequence[CellCounts],
    counts: CompanyCounts,
    rules: GapRules,
    share: ShareCurve,
    spread: float,
) -> list[CellVerdict]:
    people = {(c.department, c.subject): c.people for c in cells}
    verdicts = []
    for posterior in fit.cells:
        key = (posterior.department, posterior.subject)
        p_weak = posterior.probability_below(rules.weak_below)
        p_major = posterior.probability_below(rules.major_below)
        found = grade(p_weak=p_weak, p_major=p_major, people=people.get(key, 0), rules=rules)
        chance = auditor_chance(
            effects=gap_model.GRID,
            weights=posterior.weights,
            share=share,
            spread=spread,
            records=counts.records.get(key, []) if kind == "procedure" else [],
            staff=counts.staff.get(posterior.department, 0),
            interviewed=rules.interviewed,
        )
        verdicts.append(
            CellVerdict(
                kind=kind,
                department=posterior.department,
                subject=posterior.subject,
                answers=posterior.answers,
                correct=posterior.correct,
                expected=posterior.expected,
                estimate=posterior.estimate,
                low=posterior.low,
                high=posterior.high,
                p_weak=p_weak,
                p_major=p_major,
                grade=found,
                sureness=sureness(found, p_weak=p_weak, p_major=p_major),
                auditor_chance=chance,
                finding_chance=finding_chance(p_weak=p_weak, auditor_chance=chance),
            )
        )
    return verdicts
