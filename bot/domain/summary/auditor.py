"""The auditor's chance: that at least one of the people interviewed can't answer.

A Stage 2 auditor samples `k` people of a department and asks each a question on the
procedure. People differ: within a cell each person's log-odds sits `person_spread` around the
cell's, and a person who has answered before is judged on their own record. So the chance is a
posterior predictive over people, averaged over how unsure we are of the cell itself:

    P(finding) = 1 − E_cell[ E_sample[ Π_{i in sample} P(person i answers | cell, record_i) ] ]

The average over samples of k people out of the department's N is the k-th elementary
symmetric polynomial of the people's chances over C(N, k), computed exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import comb

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.typing import NDArray

Array = NDArray[np.float64]
ShareCurve = Callable[[Array], Array]

_NODES, _NODE_WEIGHTS = hermegauss(21)
_NODE_WEIGHTS = _NODE_WEIGHTS / _NODE_WEIGHTS.sum()
PERSON_SPREADS: Array = np.linspace(0.0, 2.0, 21)
# Posterior weights below this carry no visible part of the chance.
NEGLIGIBLE = 1e-7


@dataclass(frozen=True)
class Record:
    """How many people in a cell answered `answers` questions and got `correct` right."""

    answers: int
    correct: int
    people: int


def tabulated(curve: ShareCurve, low: float = -12.0, high: float = 12.0) -> ShareCurve:
    """The share curve read off a fine table, so it costs an interpolation per point."""
    xs = np.linspace(low, high, 2401)
    ys = curve(xs)

    def read(x: Array) -> Array:
        return np.asarray(np.interp(x, xs, ys), dtype=float)

    return read


def person_spread(cells: Sequence[tuple[float, Sequence[Record]]], share: ShareCurve) -> float:
    """The spread between people within a cell (log-odds) that best explains their records.

    `cells` holds each cell's estimated effect and its people's records. Only people with two
    or more answers say anything about it.
    """
    rows = [(effect, r) for effect, records in cells for r in records if r.answers >= 2]
    if not rows:
        return 0.0
    effect = np.asarray([e for e, _ in rows])
    n = np.asarray([r.answers for _, r in rows], dtype=float)[:, None]
    c = np.asarray([r.correct for _, r in rows], dtype=float)[:, None]
    people = np.asarray([r.people for _, r in rows], dtype=float)
    best, best_loglik = 0.0, -np.inf
    for spread in PERSON_SPREADS:
        s = np.clip(share(effect[:, None] + spread * _NODES[None, :]), 1e-9, 1 - 1e-9)
        likelihood = (s**c * (1 - s) ** (n - c)) @ _NODE_WEIGHTS
        loglik = float(people @ np.log(np.maximum(likelihood, 1e-300)))
        if loglik > best_loglik + 1e-9:
            best, best_loglik = float(spread), loglik
    return best


def auditor_chance(
    *,
    effects: Array,
    weights: Array,
    share: ShareCurve,
    spread: float,
    records: Sequence[Record],
    staff: int,
    interviewed: int,
) -> float:
    """Chance that at least one of `interviewed` people sampled from `staff` can't answer."""
    keep = weights > NEGLIGIBLE
    u, w = effects[keep], weights[keep] / weights[keep].sum()
    s = np.clip(share(u[:, None] + spread * _NODES[None, :]), 1e-9, 1 - 1e-9)
    groups = [(_passing(s, r.answers, r.correct), r.people) for r in records if r.people > 0]
    known = sum(r.people for r in records)
    unknown = max(staff, known) - known
    if unknown:
        groups.append((s @ _NODE_WEIGHTS, unknown))
    population = known + unknown
    if population == 0:
        return float(1 - w @ (s @ _NODE_WEIGHTS) ** interviewed)
    k = min(interviewed, population)
    all_pass = _elementary(groups, k) / comb(population, k)
    return float(np.clip(1 - w @ all_pass, 0.0, 1.0))


def _passing(s: Array, answers: int, correct: int) -> Array:
    """Per cell effect, the chance a person with this record answers the next question."""
    likelihood = _NODE_WEIGHTS[None, :] * s**correct * (1 - s) ** (answers - correct)
    return np.asarray((likelihood * s).sum(axis=1) / likelihood.sum(axis=1), dtype=float)


def _elementary(groups: list[tuple[Array, int]], k: int) -> Array:
    """e_k of the people's chances, people with the same record taken together."""
    size = len(groups[0][0])
    poly = np.zeros((k + 1, size))
    poly[0] = 1.0
    for chance, people in groups:
        terms = [comb(people, r) * chance**r for r in range(min(people, k) + 1)]
        product = np.zeros_like(poly)
        for r, term in enumerate(terms):
            product[r:] += poly[: k + 1 - r] * term
        poly = product
    return np.asarray(poly[k], dtype=float)
