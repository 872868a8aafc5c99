"""Properties of the gap model that must hold whatever the data: checked with hypothesis.

The company (question difficulties, the prior) is held fixed, and one cell varies.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, log_expit

from bot.domain import gap_model
from bot.domain.gaps import GapRules, Grade, grade

GRID = gap_model.GRID
SHARE = np.asarray(expit(np.asarray([1.0, 2.0, 0.5])[None, :] + GRID[:, None]).mean(axis=1))
SEVERITY = {Grade.NO_GAP: 0, Grade.OBSERVATION: 1, Grade.MINOR: 2, Grade.MAJOR: 3}

cells = st.lists(
    st.tuples(st.floats(-2.0, 3.0), st.integers(1, 12)).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), st.just(pair[1]), st.integers(0, pair[1]))
    ),
    min_size=1,
    max_size=6,
)
spreads = st.floats(0.05, 2.0)


def _posterior(cell: list[tuple[float, int, int]], spread: float) -> np.ndarray:
    return gap_model.cell_posterior_given(
        difficulties=[d for d, _, _ in cell],
        answers=[n for _, n, _ in cell],
        correct=[c for _, _, c in cell],
        spread=spread,
    )


def _p_weak(cell: list[tuple[float, int, int]], spread: float, threshold: float = 0.7) -> float:
    return gap_model.probability_below(_posterior(cell, spread), SHARE, threshold)


def _grade(cell: list[tuple[float, int, int]], spread: float) -> Grade:
    return grade(
        p_weak=_p_weak(cell, spread),
        p_major=_p_weak(cell, spread, 0.5),
        people=3,
        rules=GapRules(),
    )


@settings(max_examples=150, deadline=None)
@given(cells, spreads, st.data())
def test_a_wrong_answer_never_lowers_the_chance_of_a_gap(
    cell: list[tuple[float, int, int]], spread: float, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(cell) - 1))
    difficulty, answers, correct = cell[index]
    worse = [*cell[:index], (difficulty, answers + 1, correct), *cell[index + 1 :]]
    assert _p_weak(worse, spread) >= _p_weak(cell, spread) - 1e-9


@settings(max_examples=150, deadline=None)
@given(cells, spreads, st.data())
def test_a_right_answer_never_raises_the_grade(
    cell: list[tuple[float, int, int]], spread: float, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(cell) - 1))
    difficulty, answers, correct = cell[index]
    better = [*cell[:index], (difficulty, answers + 1, correct + 1), *cell[index + 1 :]]
    assert SEVERITY[_grade(better, spread)] <= SEVERITY[_grade(cell, spread)]


def _own_effect(cell: list[tuple[float, int, int]]) -> float:
    """The cell's own estimate, with no pull towards the company: a flat prior on the grid."""
    flat = np.full(len(GRID), 1.0 / len(GRID))
    d = np.asarray([d for d, _, _ in cell])[:, None] + GRID[None, :]
    n = np.asarray([n for _, n, _ in cell])[:, None]
    c = np.asarray([c for _, _, c in cell])[:, None]
    loglik = (c * log_expit(d) + (n - c) * log_expit(-d)).sum(axis=0)
    weights = flat * np.exp(loglik - loglik.max())
    return float((weights / weights.sum()) @ GRID)


@settings(max_examples=150, deadline=None)
@given(cells, spreads)
def test_shrinkage_never_moves_a_cell_past_the_company(
    cell: list[tuple[float, int, int]], spread: float
) -> None:
    """The estimate stays on the cell's own side of the company's usual level (effect 0)."""
    mean_effect = float(_posterior(cell, spread) @ GRID)
    own = _own_effect(cell)
    low, high = sorted((0.0, own))
    # 0.001 log-odds is far below anything a report shows; it allows for the grid.
    assert low - 1e-3 <= mean_effect <= high + 1e-3
