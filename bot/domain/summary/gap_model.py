"""The gap model: how well each department × procedure cell knows its procedure, how sure we are.

A logistic model on aggregated counts; docs/statistics.md explains it for a quality manager.

    logit P(right | question q, cell c) = reference_qc + effect_c

- `reference_qc` is question q's log-odds as the *other* cells answer it, each with its own
  level taken out (`bot.domain.summary.difficulty`). A department that happened to get harder
  questions is not taken for a weaker one (indirect standardisation), and no gap, its own or another
  department's, can make its questions look hard. The reference's own uncertainty is carried
  into the cell's likelihood.
- `effect_c` is how far the cell sits from that. Its prior is estimated from all the company's
  cells at once (parametric empirical Bayes by maximum marginal likelihood): a narrow normal
  bulk where most cells sit, and heavy-tailed parts below and above it for the few that
  don't. A cell with few answers is pulled towards what the company usually does, never
  towards one half, while a company with real gaps learns that gaps exist and does not pull
  them back. References and effects are fitted by turns until the levels settle.

Two readings of each cell: the grade, its probabilities and the auditor's chance come from the
empirical-Bayes posterior, which compares the cell with all the others; the estimate and its
95% interval rest on the cell's own answers under a weak prior, so they say what this
department scored, not what the company usually does.

The share a cell is judged on is its *standardised share*: the share it would score on the
company's usual mix of questions. Everything here is pure: counts in, posteriors out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import optimize, sparse, stats
from scipy.special import expit, log_expit

from bot.domain.summary import difficulty

Array = NDArray[np.float64]

# The cell effect is integrated on this grid (log-odds); ±7 covers shares from 0.1% to 99.9%.
GRID: Array = np.linspace(-7.0, 7.0, 281)
SPREAD_FLOOR = 0.02
# The wide part of the prior, which keeps every effect possible: heavy-tailed, so a real gap far
# from the others is not ruled out before the answers are read.
PRIOR_DEGREES_OF_FREEDOM = 3.0
# A cell's estimate and interval rest on its own answers alone, under this weak prior.
OWN_SPREAD = 2.0


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


# The model is fitted by turns: references given every cell's level, then every cell's level
# given the references, until the levels settle.
ROUNDS = 12
SETTLED = 0.01


def fit(counts: Sequence[ItemCount], thresholds: Sequence[float]) -> ModelFit:
    """Fit the model to every cell of the company at once; one posterior per cell."""
    design = _design(counts)
    if not design.cells:
        return ModelFit({}, 0.0, [], (np.zeros(0), np.zeros(0)))
    offsets = np.zeros(len(design.cells))
    parameters = PRIOR_START
    item_subject = _subject_index(design)
    for _ in range(ROUNDS):
        ref = difficulty.reference(_answers(design, item_subject, offsets))
        loglik = _blurred(_cell_loglik(design, ref.logit), _cell_variance(design, ref, offsets))
        parameters = _company_prior(loglik, parameters)
        prior = mixture_prior(parameters)
        weights = _normalised(loglik + prior[None, :])
        effects = weights @ GRID
        settled = _centred(effects, np.asarray(design.to_cell @ design.n, dtype=float))
        moved = float(np.max(np.abs(settled - offsets)))
        offsets = settled
        if moved < SETTLED:
            break
    mix = _company_mix(design, ref.company)
    share = _share_curve(mix, GRID)
    own = _normalised(loglik + log_prior(OWN_SPREAD)[None, :])
    cells = [
        _cell_posterior(design, index, weights[index], own[index], ref.logit, share, thresholds)
        for index in range(len(design.cells))
    ]
    return ModelFit(
        difficulty={item: float(ref.company[i]) for i, item in enumerate(design.items)},
        spread=float(np.sqrt(np.exp(prior) @ GRID**2)),
        cells=cells,
        mix=mix,
    )


def _answers(
    design: _Design, item_subject: NDArray[np.int64], offsets: Array
) -> difficulty.Answers:
    return difficulty.Answers(
        pair_cell=design.pair_cell,
        pair_item=design.pair_item,
        item_subject=item_subject,
        n=design.n,
        c=design.c,
        offset=offsets,
    )


def _centred(effects: Array, answers: Array) -> Array:
    """Effects measured from the typical cell (the answer-weighted median), which most cells are.

    Gaps are the exception, so the median cell stands for "no gap" however many there are;
    without an anchor, levels and difficulties could drift together.
    """
    order = np.argsort(effects)
    cumulative = np.cumsum(answers[order])
    median = effects[order][np.searchsorted(cumulative, cumulative[-1] / 2)]
    return np.asarray(effects - median, dtype=float)


def _cell_variance(design: _Design, ref: difficulty.Reference, offsets: Array) -> Array:
    """Per cell: the variance of its reference, as its own answers weigh its questions."""
    p = expit(ref.logit + offsets[design.pair_cell])
    information = design.n * p * (1 - p)
    total = np.asarray(design.to_cell @ information, dtype=float)
    spread = np.asarray(design.to_cell @ (information**2 * ref.variance), dtype=float)
    return np.asarray(spread / np.maximum(total, 1e-12) ** 2, dtype=float)


def _blurred(loglik: Array, variance: Array) -> Array:
    """Each cell's log-likelihood averaged over its reference's uncertainty (a normal blur)."""
    step = float(GRID[1] - GRID[0])
    sd = np.sqrt(variance)
    reach = int(np.ceil(4 * float(sd.max(initial=0.0)) / step))
    if reach == 0:
        return loglik
    offsets = np.arange(-reach, reach + 1)
    kernel = np.exp(-0.5 * (offsets[None, :] * step / np.maximum(sd, 1e-9)[:, None]) ** 2)
    kernel /= kernel.sum(axis=1, keepdims=True)
    top = loglik.max(axis=1, keepdims=True)
    padded = np.pad(np.exp(loglik - top), ((0, 0), (reach, reach)), mode="edge")
    width = loglik.shape[1]
    blurred = np.zeros_like(loglik)
    for j, shift in enumerate(offsets):
        blurred += kernel[:, j : j + 1] * padded[:, reach + shift : reach + shift + width]
    return np.asarray(np.log(np.maximum(blurred, 1e-300)) + top, dtype=float)


def _subject_index(design: _Design) -> NDArray[np.int64]:
    subjects = {s: i for i, s in enumerate(dict.fromkeys(design.item_subject))}
    return np.asarray([subjects[s] for s in design.item_subject], dtype=np.int64)


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


# The company's prior: most cells sit in a narrow bulk around the usual level, a few (the gaps,
# and the stand-outs) far from it. A normal bulk, and heavy-tailed Student-t halves below and
# above it, each with its own share and spread read from the data: a company's gaps fall below,
# and there is far less room above a share of 85% than below it. The centre is the usual level,
# 0, since effects are measured from the typical cell. Parameters: log bulk spread, log-odds of
# the part below and of the part above (against the bulk), log spread below, log spread above.
PRIOR_START = np.asarray([np.log(0.3), -3.0, -3.0, np.log(1.5), np.log(1.5)])
PRIOR_BOUNDS = [
    (np.log(0.05), np.log(2.0)),
    (-8.0, 3.0),
    (-8.0, 3.0),
    (np.log(0.5), np.log(4.0)),
    (np.log(0.5), np.log(4.0)),
]


def mixture_prior(parameters: Array) -> Array:
    """The log prior on the grid at the parameters above."""
    log_bulk, log_odds_below, log_odds_above, log_below, log_above = parameters
    below = GRID < 0.0
    # Kernels only: each part is normalised on the grid, so the densities' constants drop out,
    # and the optimiser calls this thousands of times per report.
    parts = np.stack(
        [
            -0.5 * (GRID / np.exp(log_bulk)) ** 2,
            np.where(below, _t_kernel(GRID / np.exp(log_below)), -np.inf),
            np.where(below, -np.inf, _t_kernel(GRID / np.exp(log_above))),
        ]
    )
    parts -= np.logaddexp.reduce(parts, axis=1, keepdims=True)
    odds = np.asarray([0.0, log_odds_below, log_odds_above])
    density = np.logaddexp.reduce(parts + (odds - np.logaddexp.reduce(odds))[:, None], axis=0)
    return np.asarray(density, dtype=float)


def _t_kernel(z: Array) -> Array:
    nu = PRIOR_DEGREES_OF_FREEDOM
    return np.asarray(-(nu + 1) / 2 * np.log1p(z**2 / nu), dtype=float)


def _company_prior(loglik: Array, start: Array) -> Array:
    """The prior that best explains all the company's cells at once (maximum marginal likelihood).

    A company whose cells are all alike gets a narrow bulk and a small wide part; a company with
    real gaps learns that cells far from the bulk exist, so those are not pulled back to it.
    """
    top = loglik.max(axis=1, keepdims=True)
    likelihood = np.exp(loglik - top)

    def minus_marginal(parameters: Array) -> float:
        prior = np.exp(mixture_prior(parameters))
        return -float(np.sum(np.log(np.maximum(likelihood @ prior, 1e-300))))

    best = optimize.minimize(minus_marginal, start, method="L-BFGS-B", bounds=PRIOR_BOUNDS)
    return np.asarray(best.x, dtype=float)


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
    own: Array,
    reference: Array,
    share: Array,
    thresholds: Sequence[float],
) -> CellPosterior:
    department, subject = design.cells[index]
    pairs = design.pair_cell == index
    cdf = np.cumsum(own)
    low_effect, high_effect = np.interp([0.025, 0.975], cdf, GRID)
    return CellPosterior(
        department=department,
        subject=subject,
        answers=int(design.n[pairs].sum()),
        correct=int(design.c[pairs].sum()),
        expected=float((design.n[pairs] * expit(reference[pairs])).sum()),
        estimate=float(own @ share),
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
