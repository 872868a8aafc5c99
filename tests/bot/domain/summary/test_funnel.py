"""Funnel plot limits and overdispersion, worked by hand."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from scipy import stats

from bot.domain.summary import funnel
from bot.domain.summary.funnel import FunnelPoint

Z_95 = 1.959963984540054


def test_a_funnel_limit_worked_by_hand() -> None:
    low, high = funnel.ratio_limits(answers=25, share=0.8, z=Z_95, phi=1.0)
    # 1.96 · sqrt(0.2 / (0.8 · 25)) = 1.96 · 0.1 = 0.196
    assert (low, high) == pytest.approx((0.804, 1.196), abs=1e-3)
    assert (low, high) == pytest.approx((1 - Z_95 * 0.1, 1 + Z_95 * 0.1))


def test_the_named_z_values_are_the_normal_quantiles() -> None:
    assert stats.norm.ppf(0.975) == pytest.approx(funnel.Z_95)
    assert stats.norm.ppf(0.999) == pytest.approx(funnel.Z_998)


def test_overdispersion_widens_the_limits_by_its_square_root() -> None:
    _, plain = funnel.ratio_limits(answers=25, share=0.8, z=Z_95, phi=1.0)
    _, wide = funnel.ratio_limits(answers=25, share=0.8, z=Z_95, phi=4.0)
    assert wide - 1 == pytest.approx(2 * (plain - 1))


def test_the_funnel_narrows_with_more_answers() -> None:
    _, few = funnel.ratio_limits(answers=25, share=0.8, z=Z_95, phi=1.0)
    _, many = funnel.ratio_limits(answers=100, share=0.8, z=Z_95, phi=1.0)
    assert many - 1 == pytest.approx((few - 1) / 2)


def test_the_lower_limit_never_goes_below_zero() -> None:
    low, high = funnel.ratio_limits(answers=2, share=0.2, z=funnel.Z_998, phi=1.0)
    assert low == 0.0
    assert high == pytest.approx(1 + funnel.Z_998 * math.sqrt(0.8 / 0.4))


def test_the_z_score_is_observed_minus_expected_over_the_binomial_sd() -> None:
    # E = 20 of 25, so p = 0.8 and sd = sqrt(25 · 0.8 · 0.2) = 2.
    assert funnel.z_score(FunnelPoint("D0", 25, 15, 20.0)) == pytest.approx(-2.5)
    assert funnel.z_score(FunnelPoint("D0", 0, 0, 0.0)) == 0.0


def test_the_ratio_is_observed_over_expected() -> None:
    assert FunnelPoint("D0", 25, 15, 20.0).ratio == pytest.approx(0.75)
    assert FunnelPoint("D0", 0, 0, 0.0).ratio == 1.0


def _points_with_z(zs: Sequence[float]) -> list[FunnelPoint]:
    """Points of 400 answers expecting 200 (sd 10), observed 200 + 10z."""
    return [FunnelPoint(f"C{i}", 400, round(200 + 10 * z), 200.0) for i, z in enumerate(zs)]


def test_overdispersion_is_the_mean_winsorised_square_z() -> None:
    # Twenty points: the two outliers (±10) are pulled in to their neighbours (±3).
    zs = [-10, -3, -3, -2, -2, -1, -1, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 10]
    by_hand = (6 * 9 + 4 * 4 + 4 * 1) / 20  # 3.7, well past chi²(19) at 95% over 20
    assert by_hand * 20 > stats.chi2.ppf(0.95, 19)
    assert funnel.overdispersion(_points_with_z(zs)) == pytest.approx(by_hand)


def test_cells_varying_like_binomial_noise_need_no_widening() -> None:
    zs = [-1, 0, 1, 0, -1, 1, 0, 0, 1, -1, 0.5, -0.5]
    assert funnel.overdispersion(_points_with_z(zs)) == 1.0


def test_simulated_binomial_noise_is_not_overdispersed_and_real_spread_is() -> None:
    rng = np.random.default_rng(4)
    calm = [FunnelPoint(str(i), 100, int(rng.binomial(100, 0.8)), 80.0) for i in range(40)]
    assert funnel.overdispersion(calm) == 1.0
    wild = [
        FunnelPoint(str(i), 100, int(rng.binomial(100, p)), 80.0)
        for i, p in enumerate(rng.uniform(0.4, 0.99, 40))
    ]
    assert funnel.overdispersion(wild) > 2.0


def test_two_points_are_too_few_to_estimate_overdispersion() -> None:
    assert funnel.overdispersion(_points_with_z([-10, 10])) == 1.0
