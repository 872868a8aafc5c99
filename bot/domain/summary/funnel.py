"""Funnel plot limits for observed ÷ expected, after Spiegelhalter (Stat Med 2005;24:1185–1202).

Each cell is a point: its ratio of observed to expected right answers, against its number of
answers. Under "this cell does as the company usually does" the ratio is 1, give or take
binomial noise that shrinks as answers grow, so the limits make a funnel. Real companies vary
more than binomial noise between cells; the limits are widened by a multiplicative
overdispersion factor estimated from winsorised z-scores (Spiegelhalter, section 3.3.1) when
the cells vary more than chance would explain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z_95 = 1.959963984540054
Z_998 = 3.090232306167813
WINSOR = 0.1


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    answers: int
    observed: int
    expected: float

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected > 0 else 1.0


def z_score(point: FunnelPoint) -> float:
    """(O − E) / sd under the binomial, with E spread over `answers` answers."""
    n, e = point.answers, point.expected
    variance = e * (1 - e / n) if n else 0.0
    return (point.observed - e) / math.sqrt(variance) if variance > 0 else 0.0


def overdispersion(points: Sequence[FunnelPoint]) -> float:
    """Spiegelhalter's φ from winsorised z-scores; 1 when the cells vary no more than chance."""
    if len(points) < 3:
        return 1.0
    z = np.asarray([z_score(p) for p in points])
    low, high = np.quantile(z, [WINSOR, 1 - WINSOR])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    if phi * len(points) <= stats.chi2.ppf(0.95, len(points) - 1):
        return 1.0
    return phi


def ratio_limits(*, answers: float, share: float, z: float, phi: float) -> tuple[float, float]:
    """Limits of O/E for a cell of `answers` answers whose expected share is `share`."""
    spread = z * math.sqrt(phi * (1 - share) / (share * answers))
    return max(0.0, 1 - spread), 1 + spread
