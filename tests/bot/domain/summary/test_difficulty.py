"""Question references: what each question usually gets, as the *other* cells answer it.

Expected values come from the definitions (a share's log-odds, the probit match of the averaged
link), never from the module itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import expit, logit

from bot.domain.summary import difficulty
from bot.domain.summary.difficulty import Answers


def answers(
    rows: list[tuple[int, int, int, int]], offsets: list[float], subjects: int = 1
) -> Answers:
    """rows: (cell, item, answers, right); items are spread over `subjects` procedures in turn."""
    items = max(r[1] for r in rows) + 1
    return Answers(
        pair_cell=np.asarray([r[0] for r in rows], dtype=np.int64),
        pair_item=np.asarray([r[1] for r in rows], dtype=np.int64),
        item_subject=np.asarray([i % subjects for i in range(items)], dtype=np.int64),
        n=np.asarray([r[2] for r in rows], dtype=float),
        c=np.asarray([r[3] for r in rows], dtype=float),
        offset=np.asarray(offsets, dtype=float),
    )


def test_a_cells_own_answers_enter_its_reference_only_through_the_company_spreads() -> None:
    # Four procedures of two questions each, five other departments. Cell 0's answers enter its
    # own reference only through the company-wide level and spreads, which one cell barely
    # moves: its share going from 5% to 95% (6 log-odds) moves its reference by under 0.15,
    # while the company-wide difficulty, which does count its answers, moves three times more.
    def reference_of_cell_0(own_right: int) -> tuple[np.ndarray, np.ndarray]:
        rows = [(0, item, 20, own_right) for item in range(8)]
        rows += [
            (cell, item, 40, 28 + cell + item % 3) for cell in range(1, 6) for item in range(8)
        ]
        ref = difficulty.reference(answers(rows, [0.0] * 6, subjects=4))
        return np.asarray(ref.logit[:8]), np.asarray(ref.company)

    (weak, weak_company), (strong, strong_company) = reference_of_cell_0(1), reference_of_cell_0(19)
    moved = np.abs(weak - strong).max()
    assert moved < 0.15
    assert np.abs(weak_company - strong_company).max() > 3 * moved
    assert logit(19 / 20) - logit(1 / 20) > 5.8


def test_another_departments_level_is_taken_out_of_the_reference() -> None:
    # Cell 1 answers at its own level, 2 log-odds below the usual: with that offset taken out,
    # its answers say the question sits at logit(0.8) for a usual cell.
    share_of_weak = float(expit(logit(0.8) - 2.0))
    right = round(400 * share_of_weak)
    rows = [(0, 0, 10, 5), (1, 0, 400, right)]
    ref = difficulty.reference(answers(rows, [0.0, -2.0]))
    assert ref.logit[0] == pytest.approx(logit(0.8), abs=0.05)
    without_offset = difficulty.reference(answers(rows, [0.0, 0.0]))
    assert without_offset.logit[0] == pytest.approx(logit(share_of_weak), abs=0.05)


def test_a_question_few_others_answered_is_pulled_towards_its_procedure() -> None:
    # Item 0 is answered 1 of 2 by the others; items 1-5 (same procedure) 80% by 200 each.
    rows = [(1, 0, 2, 1)] + [(1, item, 200, 160) for item in range(1, 6)]
    rows += [(0, item, 10, 8) for item in range(6)]
    ref = difficulty.reference(answers(rows, [0.0, 0.0]))
    pulled = ref.logit[6]  # cell 0's pair on item 0
    assert logit(0.5) < pulled
    assert pulled == pytest.approx(logit(0.8), abs=0.2)
    assert ref.variance[6] > ref.variance[7]


def test_the_averaged_link_is_the_probit_match() -> None:
    tau2 = 1.5
    kappa = difficulty._averaged_link(tau2)
    assert kappa == pytest.approx(1 / math.sqrt(1 + math.pi * tau2 / 8))
    assert difficulty._averaged_link(0.0) == 1.0
    # E[expit(m + tau Z)] against expit(kappa m), integrated numerically with scipy.
    for m in (-1.0, 0.5, 2.0):
        averaged, _ = integrate.quad(
            lambda z, m=m: float(expit(m + math.sqrt(tau2) * z)) * stats.norm.pdf(z), -10, 10
        )
        assert averaged == pytest.approx(float(expit(kappa * m)), abs=0.01)
