"""What each question usually gets: its difficulty as the rest of the company answers it.

The gap model judges a cell against this reference, so the reference must not carry gaps:

- a cell's own answers are left out of its reference, so its gap can't make its questions
  look hard;
- every other cell's answers enter with that cell's own level taken out (its *offset*), so a
  gap in another department on the same procedure can't make them look hard either.

Difficulties are hierarchical on the log-odds scale: a question sits near its procedure
(spread τ between questions), a procedure near the company (spread σ between procedures),
both spreads read from the company's own answers by moments. A question few others answered
is pulled towards its procedure, a procedure no other department answered towards the
company. Each reference comes with its variance, which the gap model carries into the cell's
interval: judging against an uncertain yardstick is itself uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

Array = NDArray[np.float64]
Ints = NDArray[np.int64]

# Smallest spread (variance, log-odds²) the moments may report: 0.1 either way.
VARIANCE_FLOOR = 0.01
NEWTON_STEPS = 12
# Half an answer right and half wrong keeps a question everyone got right off infinity.
CONTINUITY = 0.5


@dataclass(frozen=True)
class Answers:
    """Answers per (cell, item) pair; `offset` is each cell's own level, taken out."""

    pair_cell: Ints
    pair_item: Ints
    item_subject: Ints
    n: Array
    c: Array
    offset: Array


@dataclass(frozen=True)
class Reference:
    # Per pair: the item's log-odds as the other cells answer it, and that estimate's variance.
    logit: Array
    variance: Array
    # Per item: its log-odds across the whole company, every cell's level taken out.
    company: Array


def reference(answers: Answers) -> Reference:
    """Every pair's reference difficulty and its variance, given each cell's offset."""
    o = answers.offset[answers.pair_cell]
    subject_of_pair = answers.item_subject[answers.pair_item]
    subjects = int(answers.item_subject.max()) + 1 if len(answers.item_subject) else 0
    items = len(answers.item_subject)
    lone = np.bincount(answers.item_subject, minlength=subjects)[answers.item_subject] == 1
    pooled, _ = _newton_groups(subject_of_pair, subjects, answers.n, answers.c, o, CONTINUITY)
    item, item_variance = _newton_groups(
        answers.pair_item, items, answers.n, answers.c, o, CONTINUITY
    )
    n_item = np.bincount(answers.pair_item, weights=answers.n, minlength=items)
    between_questions = _spread(
        (item - pooled[answers.item_subject])[~lone], item_variance[~lone], n_item[~lone]
    )
    # A procedure's pooled share sits below the share at its questions' mean log-odds (the
    # curve bends), so its mean is read through the link averaged over its questions' spread.
    within = _averaged_link(between_questions)
    procedure, procedure_variance = _newton_groups(
        subject_of_pair, subjects, answers.n, answers.c, o, CONTINUITY, scale=within
    )
    overall, _ = _newton_groups(
        np.zeros(len(o), dtype=np.int64), 1, answers.n, answers.c, o, scale=within
    )
    between_procedures = _spread(procedure - overall[0], procedure_variance, None)
    company, _ = _newton_groups(
        answers.pair_item,
        items,
        answers.n,
        answers.c,
        o,
        prior_mean=procedure[answers.item_subject],
        prior_variance=np.full(items, between_questions),
    )
    company = np.where(lone, procedure[answers.item_subject], company)

    cell_mean, cell_variance = _procedure_without_cell(
        answers, overall[0], between_procedures, subjects, within
    )
    pair_mean = cell_mean[answers.pair_cell]
    pair_variance = cell_variance[answers.pair_cell]
    logit, variance = _leave_one_out(
        answers.pair_item,
        items,
        answers.n,
        answers.c,
        o,
        prior_mean=pair_mean,
        prior_variance=between_questions + pair_variance,
    )
    lone_pair = lone[answers.pair_item]
    return Reference(
        logit=np.where(lone_pair, pair_mean, logit),
        variance=np.where(lone_pair, pair_variance, variance),
        company=company,
    )


def _averaged_link(variance: float) -> float:
    """The slope κ with E[expit(m + τZ)] ≈ expit(κ·m), τ² = `variance` (the probit match)."""
    return float(1.0 / np.sqrt(1.0 + np.pi * variance / 8.0))


def _procedure_without_cell(
    answers: Answers, overall: float, between: float, subjects: int, scale: float
) -> tuple[Array, Array]:
    """Per cell: its procedure's log-odds from the other cells on it, and the variance."""
    cells = len(answers.offset)
    n_cell = np.asarray(np.bincount(answers.pair_cell, answers.n, cells), dtype=float)
    c_cell = np.asarray(np.bincount(answers.pair_cell, answers.c, cells), dtype=float)
    cell_subject = np.zeros(cells, dtype=np.int64)
    cell_subject[answers.pair_cell] = answers.item_subject[answers.pair_item]
    return _leave_one_out(
        cell_subject,
        subjects,
        n_cell,
        c_cell,
        answers.offset,
        prior_mean=np.full(cells, overall),
        prior_variance=np.full(cells, between),
        scale=scale,
    )


def _spread(estimate: Array, variance: Array, weight: Array | None) -> float:
    """Variance between groups beyond what their sampling noise explains (moments)."""
    if len(estimate) < 2:
        return VARIANCE_FLOOR
    w = np.ones(len(estimate)) if weight is None else weight
    excess = np.sum(w * ((estimate - np.average(estimate, weights=w)) ** 2 - variance))
    return max(float(excess / w.sum()), VARIANCE_FLOOR)


def _newton_groups(
    group: Ints,
    groups: int,
    n: Array,
    c: Array,
    offset: Array,
    continuity: float = 0.0,
    prior_mean: Array | None = None,
    prior_variance: Array | None = None,
    scale: float = 1.0,
) -> tuple[Array, Array]:
    """Per group, the log-odds η maximising Σ [c·log σ(κ(η+o)) + (n−c)·log σ(−κ(η+o))] + prior."""
    n_group = np.bincount(group, weights=n, minlength=groups)
    c_group = np.bincount(group, weights=c, minlength=groups)
    start = (c_group + 0.5) / (n_group + 1.0)
    eta = np.log(start / (1 - start)) / scale if prior_mean is None else prior_mean.copy()
    precision = 0.0 if prior_variance is None else 1.0 / prior_variance
    centre = 0.0 if prior_mean is None else prior_mean
    hessian = np.ones(groups)
    for _ in range(NEWTON_STEPS):
        p = expit(scale * (eta[group] + offset))
        p0 = expit(scale * eta)
        gradient = (
            scale * np.bincount(group, weights=c - n * p, minlength=groups)
            + scale * continuity * (1.0 - 2.0 * p0)
            - precision * (eta - centre)
        )
        hessian = (
            scale**2 * np.bincount(group, weights=n * p * (1 - p), minlength=groups)
            + scale**2 * 2.0 * continuity * p0 * (1 - p0)
            + precision
        )
        eta = eta + np.clip(gradient / np.maximum(hessian, 1e-9), -3.0, 3.0)
    return eta, 1.0 / np.maximum(hessian, 1e-9)


def _leave_one_out(
    group: Ints,
    groups: int,
    n: Array,
    c: Array,
    offset: Array,
    *,
    prior_mean: Array,
    prior_variance: Array,
    scale: float = 1.0,
) -> tuple[Array, Array]:
    """Per element: its group's log-odds from the group's *other* elements, and the variance.

    Groups are small (one element per department), so each element's fit runs on a dense row
    of its group with its own slot emptied.
    """
    slots, position = _slots(group, groups)
    row = slots[group]
    present = row >= 0
    index = np.where(present, row, 0)
    others_n = np.where(present, n[index], 0.0)
    others_n[np.arange(len(group)), position] = 0.0
    others_c = np.where(others_n > 0, c[index], 0.0)
    others_o = offset[index]
    eta = prior_mean.copy()
    precision = 1.0 / prior_variance
    hessian = precision
    for _ in range(NEWTON_STEPS):
        p = expit(scale * (eta[:, None] + others_o))
        gradient = scale * (others_c - others_n * p).sum(axis=1) - precision * (eta - prior_mean)
        hessian = scale**2 * (others_n * p * (1 - p)).sum(axis=1) + precision
        eta = eta + np.clip(gradient / hessian, -3.0, 3.0)
    return eta, 1.0 / hessian


def _slots(group: Ints, groups: int) -> tuple[Ints, Ints]:
    """A groups × width table of element indices (−1 where empty) and each element's column."""
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group, minlength=groups)
    starts = np.cumsum(sizes) - sizes
    position = np.empty(len(group), dtype=np.int64)
    position[order] = np.arange(len(group)) - np.repeat(starts, sizes)
    table = np.full((groups, max(int(sizes.max(initial=0)), 1)), -1, dtype=np.int64)
    table[group, position] = np.arange(len(group))
    return table, position
