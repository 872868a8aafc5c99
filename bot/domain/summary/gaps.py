"""Grades from posterior probabilities, and the order a manager reads gaps in.

Pure functions over what `bot.domain.summary.gap_model` says of each cell. docs/statistics.md gives
the rules in words:

- **major**: P(standardised share < `major_below`) ≥ `sure` (0.5 and 0.95 by default);
- **minor**: P(share < `weak_below`) ≥ `sure` (0.7 and 0.95);
- **observation**: P(share < `weak_below`) ≥ `suggestive` (0.35): about one chance in
  three or better; worth watching, not yet established;
- **not enough evidence**: fewer than `min_people` people answered;
- **no gap**: everything else.

A systemic finding is company-level: a clause on which `systemic_departments` or more
departments are each established as minor or worse. It never changes a cell's own grade.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

Z_95 = 1.959963984540054


class Grade(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"
    NOT_ENOUGH_EVIDENCE = "not enough evidence"
    NO_GAP = "no gap"


FINDINGS = (Grade.MAJOR, Grade.MINOR, Grade.OBSERVATION)
ESTABLISHED = (Grade.MAJOR, Grade.MINOR)


@dataclass(frozen=True)
class GapRules:
    interviewed: int = 3
    min_people: int = 3
    weak_below: float = 0.7
    major_below: float = 0.5
    sure: float = 0.95
    suggestive: float = 0.35
    systemic_departments: int = 2

    @property
    def thresholds(self) -> tuple[float, float]:
        return (self.weak_below, self.major_below)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def grade(*, p_weak: float, p_major: float, people: int, rules: GapRules) -> Grade:
    """The likely grade of one cell from the posterior probabilities of its share."""
    if people < rules.min_people:
        return Grade.NOT_ENOUGH_EVIDENCE
    if p_major >= rules.sure:
        return Grade.MAJOR
    if p_weak >= rules.sure:
        return Grade.MINOR
    if p_weak >= rules.suggestive:
        return Grade.OBSERVATION
    return Grade.NO_GAP


def sureness(grade_: Grade, *, p_weak: float, p_major: float) -> float | None:
    """How sure the grade is: the posterior probability of the claim it makes."""
    if grade_ is Grade.MAJOR:
        return p_major
    if grade_ in (Grade.MINOR, Grade.OBSERVATION):
        return p_weak
    if grade_ is Grade.NO_GAP:
        return 1.0 - p_weak
    return None


def finding_chance(*, p_weak: float, auditor_chance: float) -> float:
    """The rank of a gap: the chance it is real times the chance an auditor meets it."""
    return p_weak * auditor_chance


def bayesian_fdr(p_weak: Iterable[float]) -> float | None:
    """Expected share of false gaps among those listed: the mean of 1 − P over them."""
    values = list(p_weak)
    if not values:
        return None
    return sum(1.0 - p for p in values) / len(values)


def systemic_clauses(
    established: Iterable[tuple[str, str]], *, departments: int
) -> dict[str, list[str]]:
    """Clauses on which at least `departments` departments are each established weak.

    `established` holds (department, clause) pairs graded minor or worse.
    """
    by_clause: dict[str, set[str]] = {}
    for department, clause in established:
        by_clause.setdefault(clause, set()).add(department)
    return {
        clause: sorted(found)
        for clause, found in sorted(by_clause.items())
        if len(found) >= departments
    }


def wilson(correct: int, answers: int, z: float = Z_95) -> Interval | None:
    """The Wilson score interval for correct/answers; None with no answers."""
    if answers <= 0:
        return None
    share = correct / answers
    denominator = 1 + z * z / answers
    centre = (share + z * z / (2 * answers)) / denominator
    spread = z * math.sqrt(share * (1 - share) / answers + z * z / (4 * answers * answers))
    spread /= denominator
    return Interval(max(0.0, centre - spread), min(1.0, centre + spread))


def trend(current: float | None, previous: float | None) -> float | None:
    """Change in share correct against the previous period, or None without both."""
    if current is None or previous is None:
        return None
    return current - previous


def correlation_from_sums(
    n: int, sx: float, sy: float, sxy: float, sxx: float, syy: float
) -> float | None:
    """Pearson's r from running sums; with x in {0, 1} this is the point-biserial index."""
    if n < 2:
        return None
    covariance = n * sxy - sx * sy
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if spread <= 1e-12:
        return None
    return covariance / math.sqrt(spread)


def ranked(items: Sequence[tuple[float, int]]) -> list[int]:
    """Indices of (finding chance, answers) pairs, highest chance first, then most evidence."""
    return sorted(range(len(items)), key=lambda i: (-items[i][0], -items[i][1], i))
