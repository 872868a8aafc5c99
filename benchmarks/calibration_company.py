"""Simulated companies with known truth, for the calibration benchmark.

Each person answers 20–30 questions drawn at random from the procedures their department sees
(a random 60–100% of them). A question's true log-odds is `logit(base) + N(0, 0.8²)`; a
person's own shift is `N(0, 0.3²)`; a planted gap shifts one department × procedure cell by the
`u` that puts its true standardised share at the target. The counts handed to
`judge_company` are exactly those the report's SQL would return.

The truth a cell is scored against is its standardised share, averaged over people:

    truth(u) = Σ_q w_q · E_b[expit(η_q + u + b)],   b ~ N(0, person spread²),

with `w_q` each question's share of all the company's answers. A cell at u = 0 then has the
company's expected overall share (without gaps).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.special import expit, logit

from bot.domain.summary.auditor import Record
from bot.domain.summary.item_quality import ItemEvidence
from bot.domain.summary.practice import ChoiceSpread
from bot.domain.summary.verdicts import CellCounts, CompanyCounts

Array = NDArray[np.float64]
Ints = NDArray[np.int64]
Cell = tuple[str, str]

QUESTION_SPREAD = 0.8
PERSON_SPREAD = 0.3
DRIFT_SHARE = 0.6
OPTION_KEYS = "BCD"  # wrong options; "A" is right
_NODES, _NODE_WEIGHTS = hermegauss(21)
_NODE_WEIGHTS = _NODE_WEIGHTS / _NODE_WEIGHTS.sum()


@dataclass(frozen=True)
class CompanySpec:
    """The shape of a simulated company."""

    people: int = 90
    departments: int = 6
    # Department sizes: `people` split by weights exp(U(0, log size_ratio)); or, when
    # `department_sizes` is set, each department's size is drawn from that range.
    size_ratio: float = 2.0
    department_sizes: tuple[int, int] | None = None
    procedures: int = 10
    questions: tuple[int, int] = (5, 8)
    answers: tuple[int, int] = (20, 30)
    seen: tuple[float, float] = (0.6, 1.0)
    base: tuple[float, float] = (0.85, 0.85)
    gaps: tuple[float, ...] = ()
    drift: bool = False


@dataclass(frozen=True)
class SimulatedCompany:
    counts: CompanyCounts
    truth: dict[Cell, float]
    planted: dict[Cell, float]
    drift: tuple[str, str] | None  # (department, question)
    drift_cell: Cell | None
    answers: int
    # Each question's true log-odds of a right answer, averaged over people (u = 0).
    difficulty: dict[str, float]


def person_share(eta: Array) -> Array:
    """Share right at log-odds `eta`, averaged over people's own shifts."""
    return np.asarray(
        expit(eta[..., None] + PERSON_SPREAD * _NODES) @ _NODE_WEIGHTS, dtype=np.float64
    )


def _solve(function: Callable[[float], float], target: float) -> float:
    return float(brentq(lambda u: function(u) - target, -25.0, 25.0, xtol=1e-10))


def _department_sizes(spec: CompanySpec, rng: np.random.Generator) -> Ints:
    if spec.department_sizes is not None:
        low, high = spec.department_sizes
        return rng.integers(low, high + 1, size=spec.departments)
    weights = np.exp(rng.uniform(0.0, np.log(spec.size_ratio), size=spec.departments))
    sizes = np.maximum(np.round(spec.people * weights / weights.sum()), 3).astype(np.int64)
    return np.asarray(sizes, dtype=np.int64)


def simulate(spec: CompanySpec, rng: np.random.Generator) -> SimulatedCompany:
    """One company: its counts as the report reads them, and the truth behind them."""
    sizes = _department_sizes(spec, rng)
    d_count, k_count = len(sizes), spec.procedures
    department = np.repeat(np.arange(d_count), sizes)
    p_count = len(department)
    procedure = np.repeat(
        np.arange(k_count), rng.integers(spec.questions[0], spec.questions[1] + 1, k_count)
    )
    q_count = len(procedure)
    eta = logit(rng.uniform(*spec.base)) + rng.normal(0.0, QUESTION_SPREAD, q_count)
    wrong_options = rng.choice([1, 2, 3], size=q_count)  # true/false, 3 or 4 options
    seen = np.zeros((d_count, k_count), dtype=bool)
    for d in range(d_count):
        shown = max(1, round(k_count * rng.uniform(*spec.seen)))
        seen[d, rng.choice(k_count, shown, replace=False)] = True

    # Who answers what: each person a random draw, without repeats, from their pool.
    keys = rng.random((p_count, q_count))
    keys[~seen[department][:, procedure]] = 2.0
    order = np.argsort(keys, axis=1)
    wanted = np.minimum(
        rng.integers(spec.answers[0], spec.answers[1] + 1, p_count),
        seen[department][:, procedure].sum(axis=1),
    )
    taken = np.arange(q_count)[None, :] < wanted[:, None]
    person = np.nonzero(taken)[0]
    question = order[taken]
    cell = department[person] * k_count + procedure[question]
    weight = np.bincount(question, minlength=q_count) / len(question)

    def standard(u: float) -> float:
        return float(weight @ person_share(eta + u))

    # Planted gaps: distinct answered cells, each shifted to its target standardised share.
    shift = np.zeros(d_count * k_count)
    answered_cells = np.unique(cell)
    chosen = rng.choice(answered_cells, size=len(spec.gaps), replace=False)
    for c, target in zip(chosen, spec.gaps, strict=True):
        shift[c] = _solve(standard, target)

    p_right = expit(eta[question] + shift[cell] + rng.normal(0.0, PERSON_SPREAD, p_count)[person])
    right = rng.random(len(question)) < p_right
    choice = np.floor(rng.random(len(question)) * wrong_options[question]).astype(np.int64)

    drift: tuple[int, int] | None = None
    if spec.drift:
        drift = _plant_drift(department[person], question, wrong_options, rng)
        d, q = drift
        hit = (
            (department[person] == d) & (question == q) & (rng.random(len(question)) < DRIFT_SHARE)
        )
        right[hit] = False
        choice[hit] = 0

    names = [f"D{d + 1:02d}" for d in range(d_count)]
    codes = [f"P{k + 1:02d}" for k in range(k_count)]
    q_codes = [f"{codes[procedure[q]]}-Q{q + 1:03d}" for q in range(q_count)]

    def cell_name(c: int) -> Cell:
        return names[c // k_count], codes[c % k_count]

    truth = {cell_name(int(c)): standard(float(shift[c])) for c in answered_cells}
    drift_cell = None
    if drift is not None:
        drift_cell = cell_name(drift[0] * k_count + procedure[drift[1]])
        truth[drift_cell] = _drift_truth(
            drift, department[person], question, procedure, eta, standard
        )
    counts = _counts(
        department, person, question, procedure, right, choice, wrong_options, names, codes, q_codes
    )
    return SimulatedCompany(
        counts=counts,
        truth=truth,
        planted={cell_name(int(c)): t for c, t in zip(chosen, spec.gaps, strict=True)},
        drift=None if drift is None else (names[drift[0]], q_codes[drift[1]]),
        drift_cell=drift_cell,
        answers=len(question),
        difficulty=dict(zip(q_codes, logit(person_share(eta)).tolist(), strict=True)),
    )


def _plant_drift(
    department: Ints, question: Ints, wrong_options: Ints, rng: np.random.Generator
) -> tuple[int, int]:
    """A department and a single-choice question (3–4 options) it answered, at random."""
    pairs = np.unique(department * 10**6 + question)
    pairs = pairs[wrong_options[pairs % 10**6] >= 2]
    pick = int(rng.choice(pairs))
    return pick // 10**6, pick % 10**6


def _drift_truth(
    drift: tuple[int, int],
    department: Ints,
    question: Ints,
    procedure: Ints,
    eta: Array,
    standard: Callable[[float], float],
) -> float:
    """The drifted cell as a shift: the `u` giving its expected right answers on its questions."""
    d, q = drift
    mine = (department == d) & (procedure[question] == procedure[q])
    n = np.bincount(question[mine], minlength=len(eta)).astype(float)
    expected = float(n @ person_share(eta)) - DRIFT_SHARE * n[q] * float(person_share(eta[q]))
    u = _solve(lambda x: float(n @ person_share(eta + x)), expected)
    return float(standard(u))


def _counts(
    department_of: Ints,
    person: Ints,
    question: Ints,
    procedure: Ints,
    right: NDArray[np.bool_],
    choice: Ints,
    wrong_options: Ints,
    names: list[str],
    codes: list[str],
    q_codes: list[str],
) -> CompanyCounts:
    """What the report's SQL would return for these answers."""
    k_count, q_count = len(codes), len(q_codes)
    department = department_of[person]
    right_f = right.astype(float)
    cells: dict[int, list[tuple[str, int, int]]] = {}
    dq = department * q_count + question
    dq_n = np.bincount(dq, minlength=len(names) * q_count)
    dq_c = np.bincount(dq, weights=right_f, minlength=len(names) * q_count)
    for key in np.nonzero(dq_n)[0]:
        d, q = divmod(int(key), q_count)
        cells.setdefault(d * k_count + int(procedure[q]), []).append(
            (q_codes[q], int(dq_n[key]), int(dq_c[key]))
        )
    # Per person and cell: answers and right; then how many people share each record.
    person_cell, inverse = np.unique(person * k_count + procedure[question], return_inverse=True)
    pc_n = np.bincount(inverse)
    pc_c = np.bincount(inverse, weights=right_f).astype(np.int64)
    pc_cell = department_of[person_cell // k_count] * k_count + person_cell % k_count
    histogram, people_of = np.unique(
        np.stack([pc_cell, pc_n, pc_c], axis=1), axis=0, return_counts=True
    )
    records: dict[Cell, list[Record]] = {}
    people: dict[int, int] = {}
    for (c, n, k), m in zip(histogram.tolist(), people_of.tolist(), strict=True):
        records.setdefault((names[c // k_count], codes[c % k_count]), []).append(Record(n, k, m))
        people[c] = people.get(c, 0) + m
    # Choices per department × question: the wrong answers per option.
    wrong = ~right
    spread = np.bincount(
        (dq[wrong] * len(OPTION_KEYS) + choice[wrong]),
        minlength=len(names) * q_count * len(OPTION_KEYS),
    ).reshape(-1, len(OPTION_KEYS))
    choices = [
        ChoiceSpread(
            names[int(key) // q_count],
            q_codes[int(key) % q_count],
            int(wrong_options[int(key) % q_count]),
            int(dq_n[key]),
            {
                OPTION_KEYS[o]: int(spread[key, o])
                for o in range(len(OPTION_KEYS))
                if spread[key, o]
            },
        )
        for key in np.nonzero(dq_n)[0]
    ]
    q_n = np.bincount(question, minlength=q_count)
    q_c = np.bincount(question, weights=right_f, minlength=q_count)
    q_people = np.bincount(np.unique(person * q_count + question) % q_count, minlength=q_count)
    items = [
        ItemEvidence(q_codes[q], int(q_n[q]), int(q_c[q]), int(q_people[q]), None)
        for q in range(q_count)
        if q_n[q]
    ]
    return CompanyCounts(
        procedures=[
            CellCounts(names[c // k_count], codes[c % k_count], people[c], tuple(found))
            for c, found in sorted(cells.items())
        ],
        clauses=[],
        records=records,
        staff={
            name: int(size) for name, size in zip(names, np.bincount(department_of), strict=True)
        },
        choices=choices,
        items=items,
    )
