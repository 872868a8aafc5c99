"""Question checks: raised only when the answers show it beyond chance.

- **Almost everyone fails it**: the share answering right is below `HARD_FACILITY`, by an exact
  binomial test.
- **Strong performers fail it**: the point-biserial correlation between getting it right and
  the score on the other questions is below zero, by Fisher's z.

Each check needs `MIN_PEOPLE` people, and each is controlled for the number of questions
checked at once (Benjamini–Hochberg, 5%).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from bot.domain.summary.gaps import Interval

HARD_FACILITY = 0.2
MIN_PEOPLE = 10
FALSE_DISCOVERY_RATE = 0.05
HARD = "almost everyone fails it"
INVERTED = "strong performers fail it"


@dataclass(frozen=True)
class ItemEvidence:
    question: str
    answers: int
    correct: int
    people: int
    discrimination: float | None


@dataclass(frozen=True)
class ItemVerdict:
    evidence: ItemEvidence
    facility: float
    facility_interval: Interval
    discrimination_interval: Interval | None
    flags: tuple[str, ...]


def facility_p_value(correct: int, answers: int) -> float:
    """One-sided exact test that the question's facility is below HARD_FACILITY."""
    if answers <= 0:
        return 1.0
    return float(stats.binom.cdf(correct, answers, HARD_FACILITY))


def discrimination_p_value(r: float | None, people: int) -> float:
    """One-sided test that the point-biserial correlation is below zero (Fisher's z)."""
    if r is None or people < 4:
        return 1.0
    z = math.atanh(max(-0.999999, min(0.999999, r))) * math.sqrt(people - 3)
    return float(stats.norm.cdf(z))


def discrimination_interval(r: float | None, people: int) -> Interval | None:
    if r is None or people < 4:
        return None
    centre = math.atanh(max(-0.999999, min(0.999999, r)))
    half = 1.959963984540054 / math.sqrt(people - 3)
    return Interval(math.tanh(centre - half), math.tanh(centre + half))


def clopper_pearson(correct: int, answers: int) -> Interval:
    """The exact (Clopper–Pearson) 95% interval, from the beta quantiles it is defined by."""
    low = float(stats.beta.ppf(0.025, correct, answers - correct + 1)) if correct > 0 else 0.0
    high = (
        float(stats.beta.ppf(0.975, correct + 1, answers - correct)) if correct < answers else 1.0
    )
    return Interval(low, high)


def item_verdicts(items: Sequence[ItemEvidence]) -> list[ItemVerdict]:
    """Every answered question, with its flags after false-discovery control."""
    answered = [i for i in items if i.answers > 0]
    if not answered:
        return []
    enough = np.asarray([i.people >= MIN_PEOPLE for i in answered])
    hard = _adjusted([facility_p_value(i.correct, i.answers) for i in answered], enough)
    inverted = _adjusted(
        [discrimination_p_value(i.discrimination, i.people) for i in answered], enough
    )
    verdicts = []
    for index, item in enumerate(answered):
        flags = []
        if hard[index] <= FALSE_DISCOVERY_RATE:
            flags.append(HARD)
        if inverted[index] <= FALSE_DISCOVERY_RATE:
            flags.append(INVERTED)
        verdicts.append(
            ItemVerdict(
                evidence=item,
                facility=item.correct / item.answers,
                facility_interval=clopper_pearson(item.correct, item.answers),
                discrimination_interval=discrimination_interval(item.discrimination, item.people),
                flags=tuple(flags),
            )
        )
    return verdicts


def _adjusted(p_values: list[float], eligible: np.ndarray) -> np.ndarray:
    """BH q-values over the eligible tests; 1 for the rest."""
    q = np.ones(len(p_values))
    if eligible.any():
        q[eligible] = stats.false_discovery_control(np.asarray(p_values)[eligible], method="bh")
    return q
