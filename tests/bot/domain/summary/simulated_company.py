"""A compact simulated company with known truth, for the calibration tests.

The same model as `benchmarks/calibration_company.py`, without the practice drift: question
log-odds `logit(base) + N(0, 0.8²)`, person shifts `N(0, 0.3²)`, 20–30 answers per person drawn
from the procedures their department sees (60–100% of them), and planted gaps shifted so that
their true standardised share is the target. Wrong answers spread evenly over wrong options.
"""

from __future__ import annotations

from collections import Counter, defaultdict
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

Cell = tuple[str, str]
PERSON_SPREAD = 0.3
_NODES, _WEIGHTS = hermegauss(21)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


@dataclass(frozen=True)
class SimulatedCompany:
    counts: CompanyCounts
    truth: dict[Cell, float]
    planted: set[Cell]


def _people_share(eta: NDArray[np.float64]) -> NDArray[np.float64]:
    """Share right at log-odds `eta`, averaged over people's own shifts."""
    return np.asarray(expit(eta[:, None] + PERSON_SPREAD * _NODES) @ _WEIGHTS, dtype=np.float64)


def simulate(
    seed: int,
    *,
    people: int = 90,
    departments: int = 6,
    procedures: int = 10,
    base: float = 0.85,
    gaps: tuple[float, ...] = (),
) -> SimulatedCompany:
    rng = np.random.default_rng(seed)
    weights = rng.uniform(1.0, 2.0, departments)
    sizes = np.maximum(np.round(people * weights / weights.sum()), 3).astype(int)
    department_of = np.repeat(np.arange(departments), sizes)
    procedure_of = np.repeat(np.arange(procedures), rng.integers(5, 9, procedures))
    eta = logit(base) + rng.normal(0.0, 0.8, len(procedure_of))
    wrong_options = rng.choice([1, 2, 3], size=len(procedure_of))
    seen = [
        set(rng.choice(procedures, max(1, round(procedures * rng.uniform(0.6, 1.0))), False))
        for _ in range(departments)
    ]
    asked = []  # (person, question)
    for person, home in enumerate(department_of.tolist()):
        pool = [q for q, k in enumerate(procedure_of) if k in seen[home]]
        count = min(len(pool), int(rng.integers(20, 31)))
        asked += [(person, int(q)) for q in rng.choice(pool, count, replace=False)]
    share_of = np.bincount([q for _, q in asked], minlength=len(eta)) / len(asked)

    def standard(u: float) -> float:
        return float(share_of @ _people_share(eta + u))

    cells = sorted({(int(department_of[p]), int(procedure_of[q])) for p, q in asked})
    chosen = [cells[i] for i in rng.choice(len(cells), len(gaps), replace=False)]
    shift = {
        cell: float(brentq(lambda u, t=target: standard(u) - t, -25.0, 25.0))
        for cell, target in zip(chosen, gaps, strict=True)
    }
    person_shift = rng.normal(0.0, PERSON_SPREAD, len(department_of))

    items: Counter[tuple[int, int, bool]] = Counter()  # (department, question, right)
    per_person: Counter[tuple[int, int, bool]] = Counter()  # (person, procedure, right)
    wrong: defaultdict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    for person, q in asked:
        d, k = int(department_of[person]), int(procedure_of[q])
        p_right = expit(eta[q] + shift.get((d, k), 0.0) + person_shift[person])
        right = bool(rng.random() < p_right)
        items[(d, q, right)] += 1
        per_person[(person, k, right)] += 1
        if not right:
            wrong[(d, q)]["BCD"[int(rng.integers(wrong_options[q]))]] += 1

    def name(cell: tuple[int, int]) -> Cell:
        return f"D{cell[0] + 1}", f"P{cell[1] + 1:02d}"

    records: defaultdict[Cell, Counter[tuple[int, int]]] = defaultdict(Counter)
    for person, k in {(p, k) for p, k, _ in per_person}:
        n_right, n_wrong = per_person[(person, k, True)], per_person[(person, k, False)]
        records[name((int(department_of[person]), k))][(n_right + n_wrong, n_right)] += 1
    by_cell: defaultdict[Cell, list[tuple[str, int, int]]] = defaultdict(list)
    choices, evidence = [], []
    for d, q in sorted({(d, q) for d, q, _ in items}):
        n_right, n_wrong = items[(d, q, True)], items[(d, q, False)]
        by_cell[name((d, int(procedure_of[q])))].append((f"Q{q}", n_right + n_wrong, n_right))
        choices.append(
            ChoiceSpread(
                f"D{d + 1}", f"Q{q}", int(wrong_options[q]), n_right + n_wrong, dict(wrong[(d, q)])
            )
        )
    for q in range(len(eta)):
        n = sum(items[(d, q, r)] for d in range(departments) for r in (True, False))
        c = sum(items[(d, q, True)] for d in range(departments))
        if n:
            evidence.append(ItemEvidence(f"Q{q}", n, c, n, None))
    return SimulatedCompany(
        counts=CompanyCounts(
            procedures=[
                CellCounts(*cell, sum(records[cell].values()), tuple(found))
                for cell, found in by_cell.items()
            ],
            clauses=[],
            records={
                cell: [Record(n, c, m) for (n, c), m in found.items()]
                for cell, found in records.items()
            },
            staff={f"D{d + 1}": int(size) for d, size in enumerate(sizes)},
            choices=choices,
            items=evidence,
        ),
        truth={name(cell): standard(shift.get(cell, 0.0)) for cell in cells},
        planted={name(cell) for cell in chosen},
    )
