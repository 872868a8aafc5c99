from __future__ import annotations

from dataclasses import replace

import pytest
from matplotlib.text import Text

from bot.domain.summary.funnel import Z_95, Z_998, FunnelPoint, overdispersion, ratio_limits
from bot.domain.summary.gaps import Grade
from bot.reports.funnel_plot import draw, funnel_of, funnel_png
from bot.services.summary.gap_report import GapReport
from tests.bot.reports.sample import empty_report, gap, spread_cells
from tests.bot.reports.test_heatmap import PNG_SIGNATURE, png_size

MATHTEXT = r"Ops $\nocommand$"


def test_points_are_the_cells_with_enough_evidence(report: GapReport) -> None:
    funnel = funnel_of(report)
    assert funnel is not None
    assert funnel.points == [
        FunnelPoint("Production × QP-08", 12, 3, 9.25),
        FunnelPoint("Production × QP-09", 12, 11, 10.5),
        FunnelPoint("Warehouse × QP-08", 12, 7, 9.0),
    ]
    assert funnel.points[0].ratio == pytest.approx(3 / 9.25)


def test_the_limits_come_from_the_domain_with_the_expected_share_and_phi(
    report: GapReport,
) -> None:
    report.procedures = spread_cells(outlier="Night shift")
    funnel = funnel_of(report)
    assert funnel is not None
    points = funnel.points
    # The company's level on these very questions: expected right over all answers.
    assert funnel.share == pytest.approx(sum(p.expected for p in points) / 1300)
    assert funnel.phi == overdispersion(points)
    for answers in (10.0, 100.0, 1000.0):
        for z in (Z_95, Z_998):
            assert funnel.limits(answers, z) == ratio_limits(
                answers=answers, share=funnel.share, z=z, phi=funnel.phi
            )


def test_only_the_cell_beyond_the_998_limits_is_outside(report: GapReport) -> None:
    report.procedures = spread_cells(outlier="Night shift")
    funnel = funnel_of(report)
    assert funnel is not None
    [outside] = funnel.outside(Z_998)
    assert outside.label == "Night shift × QP-08"
    low, _ = funnel.limits(outside.answers, Z_998)
    assert outside.ratio < low
    assert all(funnel.beyond(p) == 0 for p in funnel.points if p is not outside)


def test_overdispersion_widens_the_limits(report: GapReport) -> None:
    """Cells spread far wider than chance: φ > 1, so fewer fall outside."""
    wide = [
        gap(f"D{i}", "QP-08", correct=c, answers=100, people=20, grade=Grade.NO_GAP, expected=70)
        for i, c in enumerate((40, 50, 60, 65, 70, 75, 80, 90, 95, 99))
    ]
    report.procedures = wide
    funnel = funnel_of(report)
    assert funnel is not None and funnel.phi > 1
    plain = ratio_limits(answers=100, share=funnel.share, z=Z_998, phi=1.0)
    widened = funnel.limits(100, Z_998)
    assert widened[0] < plain[0] and widened[1] > plain[1]


def test_the_points_outside_are_labelled_as_plain_text(report: GapReport) -> None:
    report.procedures = spread_cells(outlier=MATHTEXT)
    funnel = funnel_of(report)
    assert funnel is not None
    figure = draw(report, funnel)
    labels = [t for t in figure.findobj(Text) if t.get_text() == f"{MATHTEXT} × QP-08"]
    assert len(labels) == 1
    assert not labels[0].get_parse_math() and not labels[0].get_usetex()
    png = funnel_png(report)
    assert png is not None and png.startswith(PNG_SIGNATURE)
    assert png_size(png) == (1200, 750)


def test_the_same_report_gives_the_same_bytes(report: GapReport) -> None:
    assert funnel_png(report) == funnel_png(report)


def test_nothing_to_plot_is_none(report: GapReport) -> None:
    assert funnel_png(empty_report()) is None
    thin = [g for g in report.procedures if not g.enough_evidence]
    assert funnel_of(replace(report, procedures=thin)) is None
