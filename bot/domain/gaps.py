"""The gap model: how likely a Stage 2 auditor is to find someone who can't answer.

Pure functions over counts. The rules, in the words the README uses:

- Share correct is estimated as the posterior mean of Beta(1 + correct, 1 + wrong), so a cell
  with little evidence is pulled towards one half instead of trusting 2 out of 2.
- The auditor interviews `k` people of the department about the procedure. The chance that at
  least one of them can't answer is 1 - p**k.
- A cell answered by fewer than `min_people` people has "not enough evidence": no number is shown
  and no grade is given.
- A gap is a cell whose estimated share correct is below `weak_below` (default 0.7):
  - **major**: most people fail (the whole 95% Wilson interval is below one half), or the same
    clause is weak in `systemic_departments` or more departments (default 2): systemic;
  - **minor**: a gap confined to one department and procedure, with the interval's upper end
    below `weak_below`, so the evidence shows it;
  - **observation**: borderline (the interval reaches `weak_below` or above), so the evidence
    doesn't yet settle it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

Z_95 = 1.959963984540054


class Grade(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    OBSERVATION = "observation"
    NOT_ENOUGH_EVIDENCE = "not enough evidence"
    NO_GAP = "no gap"


@dataclass(frozen=True)
class GapRules:
    interviewed: int = 3
    min_people: int = 3
    weak_below: float = 0.7
    systemic_departments: int = 2


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


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


def posterior_share(correct: int, answers: int) -> float:
    """Posterior mean of Beta(1 + correct, 1 + wrong)."""
    return (1 + correct) / (2 + answers)


def auditor_finds_gap(correct: int, answers: int, interviewed: int) -> float:
    """Chance that at least one of `interviewed` people can't answer."""
    return 1 - posterior_share(correct, answers) ** interviewed


def is_weak(correct: int, answers: int, rules: GapRules) -> bool:
    return answers > 0 and posterior_share(correct, answers) < rules.weak_below


def grade(
    *,
    correct: int,
    answers: int,
    people: int,
    weak_departments_for_clause: int,
    rules: GapRules,
) -> Grade:
    """The likely grade of one department × procedure (or clause) cell."""
    if people < rules.min_people:
        return Grade.NOT_ENOUGH_EVIDENCE
    if not is_weak(correct, answers, rules):
        return Grade.NO_GAP
    interval = wilson(correct, answers)
    assert interval is not None
    if interval.high < 0.5 or weak_departments_for_clause >= rules.systemic_departments:
        return Grade.MAJOR
    if interval.high < rules.weak_below:
        return Grade.MINOR
    return Grade.OBSERVATION


def trend(current: float | None, previous: float | None) -> float | None:
    """Change in share correct against the previous period, or None without both."""
    if current is None or previous is None:
        return None
    return current - previous


def point_biserial(pairs: list[tuple[bool, float]]) -> float | None:
    """Correlation between getting one question right and the score on the others.

    `pairs` holds, per person, whether they got this question right and their share correct on
    every other question. None when everyone got it right, or everyone wrong, or scores don't
    vary.
    """
    n = len(pairs)
    right = [score for ok, score in pairs if ok]
    wrong = [score for ok, score in pairs if not ok]
    if n < 2 or not right or not wrong:
        return None
    mean = sum(score for _, score in pairs) / n
    spread = math.sqrt(sum((score - mean) ** 2 for _, score in pairs) / n)
    if spread == 0:
        return None
    p = len(right) / n
    difference = sum(right) / len(right) - sum(wrong) / len(wrong)
    return difference / spread * math.sqrt(p * (1 - p))


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
