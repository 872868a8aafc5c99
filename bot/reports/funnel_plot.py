"""A funnel plot of observed ÷ expected right answers per department × procedure, as PNG bytes.

Each cell with enough evidence is a point: its right answers divided by those expected if it did as
the other departments do on the same questions, against its number of answers. The control limits
come from `bot.domain.summary.funnel` (after Spiegelhalter, Stat Med 2005;24:1185–1202), around the
company's level on the plotted questions and widened by the overdispersion the cells show. A point
below the lower 99.8% limit scores lower than chance and the company's usual spread explain.

Like the heatmap it draws on the Agg canvas, never pyplot, so no global figure state is shared.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.domain.summary.funnel import Z_95, Z_998, FunnelPoint, overdispersion, ratio_limits
from bot.domain.summary.gaps import Grade
from bot.reports.figures import period_label, scope_label
from bot.reports.heatmap import PLAIN_TEXT, short
from bot.services.summary.gap_report import Gap, GapReport

SIZE_INCHES = (12.0, 7.5)
DPI = 100
# Beyond this many, only the cells furthest outside are named, so the labels stay legible.
LABELLED = 12
CURVE_POINTS = 200
GRADE_COLOURS = {
    Grade.MAJOR: "#c0392b",
    Grade.MINOR: "#e67e22",
    Grade.OBSERVATION: "#2e86c1",
    Grade.NO_GAP: "#27ae60",
}


@dataclass(frozen=True)
class Plotted:
    point: FunnelPoint
    grade: Grade


@dataclass(frozen=True)
class Funnel:
    """The plotted cells, the company's expected share and the overdispersion factor φ."""

    cells: list[Plotted]
    share: float
    phi: float

    @property
    def points(self) -> list[FunnelPoint]:
        return [c.point for c in self.cells]

    def limits(self, answers: float, z: float) -> tuple[float, float]:
        return ratio_limits(answers=answers, share=self.share, z=z, phi=self.phi)

    def beyond(self, point: FunnelPoint, z: float = Z_998) -> float:
        """How far the point's ratio lies outside the limits; 0 inside them."""
        low, high = self.limits(point.answers, z)
        return max(low - point.ratio, point.ratio - high, 0.0)

    def outside(self, z: float = Z_998) -> list[FunnelPoint]:
        """Points outside the limits, furthest outside first."""
        found = [p for p in self.points if self.beyond(p, z) > 0]
        return sorted(found, key=lambda p: (-self.beyond(p, z), p.label))


def plotted(gap: Gap) -> Plotted | None:
    expected = gap.expected
    if not gap.enough_evidence or expected is None or expected <= 0 or gap.cell.answers <= 0:
        return None
    label = f"{gap.cell.department} × {gap.cell.subject}"
    return Plotted(FunnelPoint(label, gap.cell.answers, gap.cell.correct, expected), gap.grade)


def funnel_of(report: GapReport) -> Funnel | None:
    """The funnel of the report's procedure cells with enough evidence, or None without any.

    The funnel's share is the company's level on the plotted cells' own questions: the
    expected right answers over all their answers.
    """
    cells = [c for c in (plotted(g) for g in report.procedures) if c is not None]
    if not cells:
        return None
    points = [c.point for c in cells]
    share = sum(p.expected for p in points) / sum(p.answers for p in points)
    return Funnel(cells, min(share, 1.0), overdispersion(points))


def _limit_lines(ax: Axes, funnel: Funnel) -> None:
    answers = [p.answers for p in funnel.points]
    x = np.linspace(max(1.0, min(answers) / 2), max(answers) * 1.08, CURVE_POINTS)
    for z, style, name in ((Z_95, "--", "95% limits"), (Z_998, "-", "99.8% limits")):
        low, high = zip(*(funnel.limits(float(n), z) for n in x), strict=True)
        ax.plot(x, low, style, color="#555555", linewidth=1.1, label=name)
        ax.plot(x, high, style, color="#555555", linewidth=1.1)
    ax.axhline(1.0, color="#999999", linewidth=0.9, label="others' level (O/E = 1)")


def _points(ax: Axes, funnel: Funnel) -> None:
    for grade, colour in GRADE_COLOURS.items():
        chosen = [c.point for c in funnel.cells if c.grade is grade]
        if chosen:
            ax.scatter(
                [p.answers for p in chosen],
                [p.ratio for p in chosen],
                s=36,
                color=colour,
                edgecolor="white",
                linewidth=0.6,
                zorder=3,
                label=str(grade),
            )


def _labels(ax: Axes, funnel: Funnel) -> None:
    for point in funnel.outside()[:LABELLED]:
        ax.annotate(
            short(point.label),
            (point.answers, point.ratio),
            xytext=(6, -3),
            textcoords="offset points",
            fontsize=8,
            **PLAIN_TEXT,
        )


def draw(report: GapReport, funnel: Funnel) -> Figure:
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.08, right=0.97, bottom=0.1, top=0.92)
    ax = figure.add_subplot()
    top = max(1.6, max(p.ratio for p in funnel.points) * 1.1)
    _limit_lines(ax, funnel)
    _points(ax, funnel)
    _labels(ax, funnel)
    ax.set_ylim(0.0, top)
    ax.set_xlim(0.0, max(p.answers for p in funnel.points) * 1.1)
    ax.set_xlabel("answers in the cell")
    ax.set_ylabel("right answers ÷ expected at the other departments' level (O/E)")
    ax.legend(loc="upper right", fontsize=9, framealpha=0.9)
    ax.grid(color="#eeeeee", linewidth=0.8)
    ax.set_axisbelow(True)
    title: dict[str, Any] = {"fontsize": 13, **PLAIN_TEXT}
    ax.set_title(
        f"Observed ÷ expected right answers: {short(scope_label(report))}, {period_label(report)}",
        **title,
    )
    return figure


def rendered(report: GapReport, funnel: Funnel) -> bytes:
    """The funnel as PNG bytes of a fixed size."""
    buffer = io.BytesIO()
    # No timestamp or version in the file, so the same report gives the same bytes.
    draw(report, funnel).savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def funnel_png(report: GapReport) -> bytes | None:
    """The funnel plot as PNG bytes, or None with no cell to plot."""
    funnel = funnel_of(report)
    return None if funnel is None else rendered(report, funnel)
