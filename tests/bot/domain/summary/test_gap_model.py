"""The gap model: properties that must hold whatever the data, and worked examples.

The properties hold the company fixed (question difficulties, the prior) and vary one cell
through `cell_posterior_given`; the last one refits whole small companies. Expected values
come from scipy's distributions or from the definitions, never from the model itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats
from scipy.special import expit, logit

from bot.domain.summary import gap_model
from bot.domain.summary.gap_model import ItemCount, ModelFit
from bot.domain.summary.gaps import GapRules, Grade, grade

GRID = gap_model.GRID
STEP = float(GRID[1] - GRID[0])
DIFFICULTIES = np.asarray([1.0, 2.0, 0.5])
# The standardised share of a company whose usual mix is these three questions, equally asked.
SHARE = np.asarray(expit(DIFFICULTIES[None, :] + GRID[:, None]).mean(axis=1))
SEVERITY = {Grade.NO_GAP: 0, Grade.OBSERVATION: 1, Grade.MINOR: 2, Grade.MAJOR: 3}
FLAT = 1e6  # a spread so wide that the prior is flat on the grid

Cell = list[tuple[float, int, int]]

questions = st.tuples(st.floats(-3.0, 3.0), st.integers(1, 15)).flatmap(
    lambda pair: st.tuples(st.just(pair[0]), st.just(pair[1]), st.integers(0, pair[1]))
)
cells = st.lists(questions, min_size=1, max_size=6)
spreads = st.floats(0.05, 2.0)


def _posterior(cell: Cell, spread: float) -> np.ndarray:
    return gap_model.cell_posterior_given(
        difficulties=[d for d, _, _ in cell],
        answers=[n for _, n, _ in cell],
        correct=[c for _, _, c in cell],
        spread=spread,
    )


def _p_below(cell: Cell, spread: float, threshold: float) -> float:
    return gap_model.probability_below(_posterior(cell, spread), SHARE, threshold)


def _grade(cell: Cell, spread: float) -> Grade:
    return grade(
        p_weak=_p_below(cell, spread, 0.7),
        p_major=_p_below(cell, spread, 0.5),
        people=3,
        rules=GapRules(),
    )


def _with_answer(cell: Cell, index: int, right: bool) -> Cell:
    difficulty, answers, correct = cell[index]
    return [*cell[:index], (difficulty, answers + 1, correct + right), *cell[index + 1 :]]


def _maximum_likelihood(cell: Cell) -> float:
    """The cell's own effect with no pull at all: the root of the binomial score equation."""
    d = np.asarray([d for d, _, _ in cell])
    n = np.asarray([n for _, n, _ in cell], dtype=float)
    c = np.asarray([c for _, _, c in cell], dtype=float)
    if c.sum() == 0:
        return -math.inf
    if c.sum() == n.sum():
        return math.inf

    def score(u: float) -> float:
        return float(np.sum(c - n * expit(d + u)))

    return float(optimize.brentq(score, -60.0, 60.0, xtol=1e-12))


# -- properties, one cell varied against a fixed company ---------------------------------------


@settings(max_examples=200, deadline=None)
@given(cells, spreads, st.data())
def test_a_wrong_answer_never_lowers_the_chance_of_a_gap(
    cell: Cell, spread: float, data: st.DataObject
) -> None:
    if data.draw(st.booleans(), label="on a question the cell had not answered"):
        worse = [*cell, (data.draw(st.floats(-3.0, 3.0), label="its difficulty"), 1, 0)]
    else:
        worse = _with_answer(cell, data.draw(st.integers(0, len(cell) - 1)), right=False)
    for threshold in (0.5, 0.7, 0.9):
        assert _p_below(worse, spread, threshold) >= _p_below(cell, spread, threshold) - 1e-10


@settings(max_examples=200, deadline=None)
@given(cells, spreads, st.data())
def test_a_right_answer_never_raises_the_grade(
    cell: Cell, spread: float, data: st.DataObject
) -> None:
    better = _with_answer(cell, data.draw(st.integers(0, len(cell) - 1)), right=True)
    assert SEVERITY[_grade(better, spread)] <= SEVERITY[_grade(cell, spread)]


@settings(max_examples=200, deadline=None)
@given(cells, spreads)
def test_the_most_likely_effect_lies_between_the_company_and_the_cells_own(
    cell: Cell, spread: float
) -> None:
    """A symmetric unimodal prior pulls the posterior mode towards 0, never past it."""
    mode = float(GRID[np.argmax(_posterior(cell, spread))])
    low, high = sorted((0.0, _maximum_likelihood(cell)))
    assert low - STEP <= mode <= high + STEP


usual_cells = st.lists(
    st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(0.0), st.just(n), st.integers(0, n))),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(usual_cells, spreads)
def test_shrinkage_never_moves_a_cell_past_the_company_mean(cell: Cell, spread: float) -> None:
    """On questions the others answer half right, the posterior mean lies between 0 and the MLE.

    Here the likelihood is Binomial(N, expit(u)), so the MLE is logit(C / N).
    """
    answers = sum(n for _, n, _ in cell)
    right = sum(c for _, _, c in cell)
    own = -math.inf if right == 0 else math.inf if right == answers else logit(right / answers)
    assert _maximum_likelihood(cell) == pytest.approx(own, abs=1e-8)
    mean_effect = float(_posterior(cell, spread) @ GRID)
    low, high = sorted((0.0, own))
    assert low - 1e-9 <= mean_effect <= high + 1e-9


# -- worked examples ---------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "n", "c"), [(2, 3, 10, 7), (3, 3, 20, 4), (2, 2, 5, 5)])
def test_a_beta_prior_gives_a_beta_posterior_and_a_beta_binomial_prediction(
    a: int, b: int, n: int, c: int
) -> None:
    """A Beta(a, b) prior on the share is a answers right and b wrong on a flat prior.

    After c right of n more the share is Beta(a + c, b + n − c) (conjugacy), so the model's
    P(share < t) is the beta CDF and its prediction of k right of m is the beta-binomial.
    """
    weights = gap_model.cell_posterior_given(
        difficulties=[0.0, 0.0], answers=[a + b, n], correct=[a, c], spread=FLAT
    )
    share = np.asarray(expit(GRID))
    a_post, b_post = a + c, b + n - c
    for t in (0.1, 0.3, 0.5, 0.7, 0.9):
        assert gap_model.probability_below(weights, share, t) == pytest.approx(
            stats.beta.cdf(t, a_post, b_post), abs=1e-3
        )
    m = 6
    for k in range(m + 1):
        predicted = float(weights @ stats.binom.pmf(k, m, share))
        assert predicted == pytest.approx(stats.betabinom.pmf(k, m, a_post, b_post), abs=1e-4)


def test_all_belief_on_one_effect_puts_the_share_wholly_on_one_side() -> None:
    weights = np.zeros_like(GRID)
    weights[np.argmin(np.abs(GRID))] = 1.0  # effect 0, share 0.5 on a question at 0
    share = np.asarray(expit(GRID))
    assert gap_model.probability_below(weights, share, 0.7) == 1.0
    assert gap_model.probability_below(weights, share, 0.3) == 0.0


def test_thresholds_beyond_the_curve_are_certain() -> None:
    weights = np.full(len(GRID), 1.0 / len(GRID))
    share = np.asarray(expit(GRID))
    assert gap_model.probability_below(weights, share, float(share[0]) / 2) == 0.0
    assert gap_model.probability_below(weights, share, 1.0) == 1.0


def test_the_share_curve_averages_the_questions_over_the_companys_mix() -> None:
    difficulty = np.asarray([-1.0, 0.5, 2.0])
    mix = np.asarray([0.5, 0.3, 0.2])
    fit = ModelFit(difficulty={}, spread=0.0, cells=[], mix=(difficulty, mix))
    effects = np.asarray([-2.0, 0.0, 1.5])
    by_hand = [sum(w * expit(d + u) for d, w in zip(difficulty, mix, strict=True)) for u in effects]
    assert fit.share_curve(effects) == pytest.approx(by_hand)


def test_a_company_with_no_answers_has_no_cells() -> None:
    fit = gap_model.fit([ItemCount("D0", "P0", "Q0", 0, 0)], (0.7,))
    assert fit.cells == []


def test_each_cell_counts_its_own_answers() -> None:
    counts = [
        ItemCount("D0", "P0", "Q0", 10, 6),
        ItemCount("D0", "P0", "Q1", 5, 5),
        ItemCount("D1", "P0", "Q0", 8, 7),
        ItemCount("D0", "P1", "Q2", 4, 1),
    ]
    fit = gap_model.fit(counts, (0.7, 0.5))
    found = {(c.department, c.subject): (c.answers, c.correct) for c in fit.cells}
    assert found == {("D0", "P0"): (15, 11), ("D1", "P0"): (8, 7), ("D0", "P1"): (4, 1)}
    for cell in fit.cells:
        assert set(cell.p_below) == {0.7, 0.5}
        assert cell.p_below[0.5] <= cell.p_below[0.7]
        assert cell.low <= cell.estimate <= cell.high
        assert float(cell.weights.sum()) == pytest.approx(1.0)


def test_a_cell_is_expected_to_score_what_the_other_departments_score() -> None:
    counts = [ItemCount(f"D{d}", "P0", "Q0", 200, 160) for d in (1, 2, 3)]
    counts.append(ItemCount("D0", "P0", "Q0", 40, 20))
    fit = gap_model.fit(counts, (0.7,))
    d0 = next(c for c in fit.cells if c.department == "D0")
    assert d0.expected == pytest.approx(0.8 * 40, abs=0.1)


def test_another_departments_gap_does_not_lower_what_a_cell_is_expected_to_score() -> None:
    counts = [ItemCount(f"D{d}", "P0", f"Q{q}", 60, 48) for d in (1, 2, 3, 4) for q in (0, 1)]
    counts += [ItemCount("D5", "P0", f"Q{q}", 60, 18) for q in (0, 1)]  # a gap at 30%
    counts += [ItemCount("D0", "P0", f"Q{q}", 20, 16) for q in (0, 1)]
    fit = gap_model.fit(counts, (0.7,))
    d0 = next(c for c in fit.cells if c.department == "D0")
    # The others without the gap score 80%; pooling D5 in as it is would expect 70%.
    assert d0.expected == pytest.approx(0.8 * 40, abs=0.8)
