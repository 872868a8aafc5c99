"""The auditor's chance, checked against cases worked by hand and by brute force."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import expit

from bot.domain.summary import gap_model
from bot.domain.summary.auditor import Record, auditor_chance, person_spread, tabulated

GRID = gap_model.GRID
ZERO = int(np.argmin(np.abs(GRID)))  # the grid point at effect 0


def _curve(x: np.ndarray) -> np.ndarray:
    return np.asarray(expit(1.0 + np.asarray(x)))


def _one_hot(index: int) -> np.ndarray:
    weights = np.zeros_like(GRID)
    weights[index] = 1.0
    return weights


def _chance(
    weights: np.ndarray,
    *,
    spread: float = 0.0,
    records: list[Record] | None = None,
    staff: int = 10,
    interviewed: int = 3,
    share: Callable[[np.ndarray], np.ndarray] = _curve,
) -> float:
    return auditor_chance(
        effects=GRID,
        weights=weights,
        share=share,
        spread=spread,
        records=records or [],
        staff=staff,
        interviewed=interviewed,
    )


@pytest.mark.parametrize(
    ("index", "staff", "interviewed"), [(140, 10, 3), (100, 4, 1), (170, 6, 6)]
)
def test_with_everyone_alike_the_chance_is_one_minus_the_share_to_the_k(
    index: int, staff: int, interviewed: int
) -> None:
    s = float(expit(1.0 + GRID[index]))
    chance = _chance(_one_hot(index), staff=staff, interviewed=interviewed)
    assert chance == pytest.approx(1 - s**interviewed, abs=1e-9)


def test_an_auditor_cannot_interview_more_people_than_the_department_has() -> None:
    s = float(expit(1.0 + GRID[ZERO]))
    assert _chance(_one_hot(ZERO), staff=2, interviewed=5) == pytest.approx(1 - s**2, abs=1e-9)


def test_without_a_staff_count_the_auditor_interviews_as_many_as_asked() -> None:
    s = float(expit(1.0 + GRID[ZERO]))
    assert _chance(_one_hot(ZERO), staff=0, interviewed=3) == pytest.approx(1 - s**3, abs=1e-9)


def test_doubt_about_the_cell_averages_the_chance_over_it() -> None:
    weights = np.zeros_like(GRID)
    weights[120], weights[150] = 0.3, 0.7
    s1, s2 = float(expit(1.0 + GRID[120])), float(expit(1.0 + GRID[150]))
    assert _chance(weights) == pytest.approx(1 - (0.3 * s1**3 + 0.7 * s2**3), abs=1e-9)


@pytest.mark.parametrize(("a", "b", "k"), [(2, 3, 3), (5, 2, 3), (8, 2, 5)])
def test_a_beta_posterior_gives_a_beta_binomial_chance(a: int, b: int, k: int) -> None:
    """With the share ~ Beta(a, b) and people alike, all k answer with P = BetaBin(k; k, a, b)."""
    logit_beta = np.asarray(expit(GRID)) ** a * np.asarray(expit(-GRID)) ** b
    chance = _chance(
        logit_beta / logit_beta.sum(),
        share=lambda x: np.asarray(expit(np.asarray(x))),
        staff=40,
        interviewed=k,
    )
    assert chance == pytest.approx(1 - stats.betabinom.pmf(k, k, a, b), abs=1e-4)


def _passes(effect: float, spread: float, answers: int, correct: int) -> float:
    """A person's chance to answer the next question, from their record, by quadrature."""

    def given(z: float, extra: int) -> float:
        s = float(_curve(np.asarray(effect + spread * z)))
        return float(stats.norm.pdf(z)) * s ** (correct + extra) * (1 - s) ** (answers - correct)

    top = integrate.quad(given, -12, 12, args=(1,))[0]
    bottom = integrate.quad(given, -12, 12, args=(0,))[0]
    return float(top / bottom)


def _brute_force(people: list[float], k: int) -> float:
    """P(all k interviewed answer), averaged over every k of the department's people."""
    samples = list(itertools.combinations(people, k))
    return sum(math.prod(sample) for sample in samples) / len(samples)


def test_records_change_who_can_answer_and_every_sample_of_people_counts() -> None:
    spread = 1.0
    records = [Record(answers=4, correct=0, people=1), Record(answers=4, correct=4, people=2)]
    effect = float(GRID[ZERO])
    people = [_passes(effect, spread, 4, 0), *[_passes(effect, spread, 4, 4)] * 2]
    people += [_passes(effect, spread, 0, 0)] * 2  # two staff who never answered
    chance = _chance(_one_hot(ZERO), spread=spread, records=records, staff=5)
    assert chance == pytest.approx(1 - _brute_force(people, 3), abs=1e-5)


def test_records_and_doubt_about_the_cell_together() -> None:
    spread = 0.6
    records = [Record(answers=6, correct=2, people=2), Record(answers=3, correct=3, people=1)]
    weights = np.zeros_like(GRID)
    weights[110], weights[160] = 0.4, 0.6
    all_pass = 0.0
    for index, w in ((110, 0.4), (160, 0.6)):
        u = float(GRID[index])
        people = [*[_passes(u, spread, 6, 2)] * 2, _passes(u, spread, 3, 3)]
        people += [_passes(u, spread, 0, 0)] * 3
        all_pass += w * _brute_force(people, 3)
    chance = _chance(weights, spread=spread, records=records, staff=6)
    assert chance == pytest.approx(1 - all_pass, abs=1e-5)


def test_a_department_smaller_than_its_records_is_taken_at_its_records() -> None:
    spread = 0.8
    records = [Record(answers=5, correct=1, people=2), Record(answers=5, correct=5, people=2)]
    u = float(GRID[ZERO])
    people = [*[_passes(u, spread, 5, 1)] * 2, *[_passes(u, spread, 5, 5)] * 2]
    chance = _chance(_one_hot(ZERO), spread=spread, records=records, staff=1)
    assert chance == pytest.approx(1 - _brute_force(people, 3), abs=1e-5)


def test_people_who_all_score_alike_show_no_spread_between_them() -> None:
    share = tabulated(lambda x: np.asarray(expit(x)))
    assert person_spread([(0.0, [Record(answers=10, correct=5, people=50)])], share) == 0.0


def test_people_who_either_know_it_all_or_nothing_show_a_wide_spread() -> None:
    share = tabulated(lambda x: np.asarray(expit(x)))
    records = [Record(answers=10, correct=10, people=25), Record(answers=10, correct=0, people=25)]
    assert person_spread([(0.0, records)], share) >= 1.5


def test_single_answers_say_nothing_about_the_spread_between_people() -> None:
    share = tabulated(lambda x: np.asarray(expit(x)))
    records = [Record(answers=1, correct=1, people=40), Record(answers=1, correct=0, people=40)]
    assert person_spread([(0.0, records)], share) == 0.0


def test_a_tabulated_curve_reads_like_the_curve() -> None:
    xs = np.linspace(-11.0, 11.0, 57)
    assert tabulated(_curve)(xs) == pytest.approx(_curve(xs), abs=1e-4)
