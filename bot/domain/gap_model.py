"""The gap model: how well each department × procedure cell knows its procedure, how sure we are.

A logistic model on aggregated counts; docs/statistics.md explains it for a quality manager.

    logit P(right | question q, cell c) = reference_qc + effect_c

- `reference_qc` is question q's log-odds of being answered right as the *other* departments
  answer it, shrunk towards their share on the whole procedure by the company's own spread
  between questions (beta-binomial moments). A department that happened to get harder questions
  is not taken for a weaker one (indirect standardisation), and its own gap can't make its
  questions look hard.
- `effect_c` is how far the cell sits from that. Its prior is estimated from all the company's
  cells at once (nonparametric empirical Bayes, smoothed), so a cell with few answers is pulled
  towards what the company usually does, never towards one half, while a company with a few
  real gaps learns that gaps exist and does not pull them back.

The share a cell is judged on is its *standardised share*: the share it would score on the
company's usual mix of questions. Everything here is pure: counts in, posteriors out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse, stats
from scipy.special import expit, log_expit

Array = NDArray[np.float64]

# The cell effect is integrated on this grid (log-odds); ±7 covers shares from 0.1% to 99.9%.
GRID: Array = np.linspace(-7.0, 7.0, 281)
SPREAD_FLOOR = 0.02
# The wide part of the prior, which keeps every effect possible: heavy-tailed, so a real gap far
# from the others is not ruled out before the answers are read.
PRIOR_DEGREES_OF_FREEDOM = 3.0


@dataclass(frozen=True)
class ItemCount:
    """Answers to one item (a question, or for clause cells the clause) within one cell."""

    department: str
    subject: str
    item: str
    answers: int
    correct: int


@dataclass(frozen=True)
class CellPosterior:
    """What the model says about one cell's standardised share."""

    department: str
    subject: str
    answers: int
    correct: int
    expected: float
    estimate: float
    low: float
    high: float
    p_below: dict[float, float]
    effect: float
    weights: Array
    share_on_grid: Array

    def probability_below(self, threshold: float) -> float:
        return self.p_below[threshold]


@dataclass(frozen=True)
class ModelFit:
    difficulty: dict[str, float]
    spread: float
    cells: list[CellPosterior]
    mix: tuple[Array, Array]

    def share_curve(self, effects: Array) -> Array:
        """The standardised share at each of `effects` (log-odds shifts from the usual)."""
        return _share_curve(self.mix, effects)


@dataclass
class _Design:
    cells: list[tuple[str, str]]
    items: list[str]
    item_subject: list[str]
    pair_cell: NDArray[np.int64]
    pair_item: NDArray[np.int64]
    n: Array
    c: Array
    to_cell: sparse.csr_matrix


def _design(counts: Sequence[ItemCount]) -> _Design:
    cells: dict[tuple[str, str], int] = {}
    items: dict[str, int] = {}
    subjects: list[str] = []
    pair_cell, pair_item, n, c = [], [], [], []
    for count in counts:
        if count.answers <= 0:
            continue
        cell = cells.setdefault((count.department, count.subject), len(cells))
        if count.item not in items:
            items[count.item] = len(items)
            subjects.append(count.subject)
        pair_cell.append(cell)
        pair_item.append(items[count.item])
        n.append(count.answers)
        c.append(count.correct)
    pairs = len(n)
    to_cell = sparse.csr_matrix(
        (np.ones(pairs), (np.asarray(pair_cell, dtype=np.int64), np.arange(pairs))),
        shape=(len(cells), pairs),
    )
    return _Design(
        cells=list(cells),
        items=list(items),
        item_subject=subjects,
        pair_cell=np.asarray(pair_cell, dtype=np.int64),
        pair_item=np.asarray(pair_item, dtype=np.int64),
        n=np.asarray(n, dtype=float),
        c=np.asarray(c, dtype=float),
        to_cell=to_cell,
    )


def fit(counts: Sequence[ItemCount], thresholds: Sequence[float]) -> ModelFit:
    """Fit the model to every cell of the company at once; one posterior per cell."""
    design = _design(counts)
    if not design.cells:
        return ModelFit({}, 0.0, [], (np.zeros(0), np.zeros(0)))
    reference = _reference_difficulty(design)
    loglik = _cell_loglik(design, reference)
    prior = _company_prior(loglik, log_prior(0.5))
    weights = _normalised(loglik + prior[None, :])
    difficulty = _company_difficulty(design)
    mix = _company_mix(design, difficulty)
    share = _share_curve(mix, GRID)
    cells = [
        _cell_posterior(design, index, weights[index], reference, share, thresholds)
        for index in range(len(design.cells))
    ]
    return ModelFit(
        difficulty={item: float(difficulty[i]) for i, item in enumerate(design.items)},
        spread=float(np.sqrt(np.exp(prior) @ GRID**2)),
        cells=cells,
        mix=mix,
    )


def _per_item(design: _Design, values: Array) -> Array:
    return np.asarray(
        np.bincount(design.pair_item, weights=values, minlength=len(design.items)), dtype=float
    )


def _subject_index(design: _Design) -> NDArray[np.int64]:
    subjects = {s: i for i, s in enumerate(dict.fromkeys(design.item_subject))}
    return np.asarray([subjects[s] for s in design.item_subject], dtype=np.int64)


def _question_concentration(n: Array, c: Array, subject: NDArray[np.int64]) -> float:
    """How tightly questions of one procedure cluster around it (beta-binomial moments).

    Large when questions are alike, small when some are much harder than others; a question
    with few answers is pulled towards its procedure by this many answers' worth.
    """
    subject_share = np.bincount(subject, weights=c) / np.maximum(np.bincount(subject, weights=n), 1)
    p = subject_share[subject]
    answered = n > 0
    share = np.where(answered, c / np.maximum(n, 1), p)
    noise = np.where(answered, p * (1 - p) / np.maximum(n, 1), 0.0)
    between = float(np.sum(n * ((share - p) ** 2 - noise)) / max(float(n.sum()), 1.0))
    spread = float(np.sum(n * p * (1 - p)) / max(float(n.sum()), 1.0))
    if between <= 1e-9:
        return 1e6
    return float(np.clip(spread / between - 1.0, 0.5, 1e6))


def _reference_difficulty(design: _Design) -> Array:
    """Per cell and question: the question's log-odds as the *other* departments answer it.

    Indirect standardisation with the cell left out, so a department's own gap can't make its
    questions look hard. Each question's share is shrunk towards its procedure's (again
    without this department) by the company's own spread between questions.
    """
    n_item = _per_item(design, design.n)
    c_item = _per_item(design, design.c)
    subject = _subject_index(design)
    concentration = _question_concentration(n_item, c_item, subject)
    n_subject = np.bincount(subject, weights=n_item)
    c_subject = np.bincount(subject, weights=c_item)
    pair_subject = subject[design.pair_item]
    n_cell_subject = np.asarray(design.to_cell @ design.n, dtype=float)[design.pair_cell]
    c_cell_subject = np.asarray(design.to_cell @ design.c, dtype=float)[design.pair_cell]
    others_n = n_subject[pair_subject] - n_cell_subject
    others_c = c_subject[pair_subject] - c_cell_subject
    # A procedure no other department answered is judged against the others' share on
    # everything, as if two answers had said so, rather than against a coin toss.
    everything = (design.c.sum() - c_cell_subject + 1.0) / (design.n.sum() - n_cell_subject + 2.0)
    procedure_share = (others_c + 2.0 * everything) / (others_n + 2.0)
    item_n = n_item[design.pair_item] - design.n
    item_c = c_item[design.pair_item] - design.c
    share = (item_c + concentration * procedure_share) / (item_n + concentration)
    share = np.clip(share, 1e-3, 1 - 1e-3)
    return np.asarray(np.log(share / (1 - share)), dtype=float)


def _company_difficulty(design: _Design) -> Array:
    """Each question's log-odds across the whole company, shrunk towards its procedure."""
    n_item = _per_item(design, design.n)
    c_item = _per_item(design, design.c)
    subject = _subject_index(design)
    concentration = _question_concentration(n_item, c_item, subject)
    procedure_share = (
        (np.bincount(subject, weights=c_item) + 1.0) / (np.bincount(subject, weights=n_item) + 2.0)
    )[subject]
    share = np.clip(
        (c_item + concentration * procedure_share) / (n_item + concentration), 1e-3, 1 - 1e-3
    )
    return np.asarray(np.log(share / (1 - share)), dtype=float)


def _cell_loglik(design: _Design, reference: Array) -> Array:
    """Log-likelihood of each cell's answers at each grid point of its effect."""
    eta = reference[:, None] + GRID[None, :]
    per_pair = design.c[:, None] * log_expit(eta) + (design.n - design.c)[:, None] * log_expit(-eta)
    return np.asarray(design.to_cell @ per_pair, dtype=float)


def _normalised(log_weights: Array) -> Array:
    log_weights = log_weights - log_weights.max(axis=1, keepdims=True)
    weights = np.exp(log_weights)
    return np.asarray(weights / weights.sum(axis=1, keepdims=True), dtype=float)


def log_prior(spread: float) -> Array:
    """The cells' prior on the grid: Student-t with scale `spread`, normalised on the grid."""
    density = stats.t.logpdf(GRID / max(spread, SPREAD_FLOOR), PRIOR_DEGREES_OF_FREEDOM)
    return np.asarray(density - np.logaddexp.reduce(density), dtype=float)


# The estimated prior is smoothed with a 0.2 log-odds kernel (the EMS algorithm of Silverman
# et al., 1990), so it never claims effects are exactly at grid points.
SMOOTHING = np.exp(-0.5 * (np.arange(-8, 9) * (GRID[1] - GRID[0]) / 0.2) ** 2)
SMOOTHING /= SMOOTHING.sum()
FLOOR_SHARE = 0.2


def _company_prior(loglik: Array, start: Array, rounds: int = 25) -> Array:
    """The distribution of cell effects that best explains all cells at once (smoothed EM).

    Nonparametric: a company whose cells are all alike gets a narrow prior, and one with a few
    real gaps gets a second bump where they are, so those are not pulled back to the others.
    A little of a wide Student-t prior is mixed in so that no effect is ever ruled out.
    """
    floor = np.exp(log_prior(1.0))
    prior = np.exp(start)
    for _ in range(rounds):
        posterior = _normalised(loglik + np.log(prior)[None, :])
        prior = np.convolve(posterior.mean(axis=0), SMOOTHING, mode="same")
        prior = (1 - FLOOR_SHARE) * prior / prior.sum() + FLOOR_SHARE * floor
    return np.asarray(np.log(prior), dtype=float)


def _company_mix(design: _Design, difficulty: Array) -> tuple[Array, Array]:
    """Every question's difficulty and its share of the company's answers."""
    answers = np.bincount(design.pair_item, weights=design.n, minlength=len(design.items))
    return difficulty, np.asarray(answers / answers.sum(), dtype=float)


def _share_curve(mix: tuple[Array, Array], effects: Array) -> Array:
    difficulty, weight = mix
    return np.asarray(expit(difficulty[None, :] + effects[:, None]) @ weight, dtype=float)


def _cell_posterior(
    design: _Design,
    index: int,
    weights: Array,
    reference: Array,
    share: Array,
    thresholds: Sequence[float],
) -> CellPosterior:
    department, subject = design.cells[index]
    pairs = design.pair_cell == index
    cdf = np.cumsum(weights)
    low_effect, high_effect = np.interp([0.025, 0.975], cdf, GRID)
    return CellPosterior(
        department=department,
        subject=subject,
        answers=int(design.n[pairs].sum()),
        correct=int(design.c[pairs].sum()),
        expected=float((design.n[pairs] * expit(reference[pairs])).sum()),
        estimate=float(weights @ share),
        low=float(np.interp(low_effect, GRID, share)),
        high=float(np.interp(high_effect, GRID, share)),
        p_below={t: probability_below(weights, share, t) for t in thresholds},
        effect=float(weights @ GRID),
        weights=weights,
        share_on_grid=share,
    )


def probability_below(weights: Array, share: Array, threshold: float) -> float:
    """Posterior probability that the standardised share is below `threshold`.

    `share` rises with the effect, so this is the posterior mass below the effect at which the
    share crosses the threshold, read off the grid with linear interpolation.
    """
    if threshold <= share[0]:
        return 0.0
    if threshold > share[-1]:
        return 1.0
    crossing = float(np.interp(threshold, share, GRID))
    edges = np.concatenate(([GRID[0] - 0.025], (GRID[1:] + GRID[:-1]) / 2, [GRID[-1] + 0.025]))
    mass_below = np.concatenate(([0.0], np.cumsum(weights)))
    return float(np.clip(np.interp(crossing, edges, mass_below), 0.0, 1.0))


def cell_posterior_given(
    *, difficulties: Sequence[float], answers: Sequence[int], correct: Sequence[int], spread: float
) -> Array:
    """One cell's posterior weights on `GRID`, its questions' difficulties and the spread given.

    The property tests hold the company fixed and vary one cell through this.
    """
    eta = np.asarray(difficulties, dtype=float)[:, None] + GRID[None, :]
    n = np.asarray(answers, dtype=float)[:, None]
    c = np.asarray(correct, dtype=float)[:, None]
    loglik = (c * log_expit(eta) + (n - c) * log_expit(-eta)).sum(axis=0)
    return np.asarray(_normalised((loglik + log_prior(spread))[None, :])[0], dtype=float)
