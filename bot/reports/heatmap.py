"""A department × procedure heatmap of the standardised share, as PNG bytes.

Colour is the standardised share (`Gap.estimate`); a cell whose 95% credible interval is wide
is faded and dotted, so a colour drawn from little evidence doesn't read as a firm one.

It draws on matplotlib's Agg canvas directly instead of pyplot: no display is needed, and no
global figure state is shared between the threads Bolt runs listeners on.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.reports.figures import period_label, scope_label
from bot.services.summary.gap_report import Gap, GapReport

# The same size whatever the data, so reports and pages lay out alike.
SIZE_INCHES = (12.0, 9.0)
DPI = 100
# viridis is perceptually uniform and readable with the common colour-vision deficiencies.
COLOURMAP = "viridis"
NOT_ENOUGH_GREY = "#d9d9d9"
LABEL_CHARACTERS = 28
# A cell whose 95% interval spans more than this is faded: its colour is only a rough guide.
WIDE_INTERVAL = 0.3
FADE = 0.55
# Department and procedure names are user text: never TeX, never mathtext.
PLAIN_TEXT: dict[str, Any] = {"parse_math": False, "usetex": False}


@dataclass(frozen=True)
class Grid:
    """The cells laid out: departments down, procedures across."""

    departments: list[str]
    procedures: list[str]
    cells: dict[tuple[int, int], Gap]


def grid_of(report: GapReport) -> Grid:
    departments = sorted({g.cell.department for g in report.procedures})
    procedures = sorted({g.cell.subject for g in report.procedures})
    row = {d: i for i, d in enumerate(departments)}
    column = {p: j for j, p in enumerate(procedures)}
    cells = {(row[g.cell.department], column[g.cell.subject]): g for g in report.procedures}
    return Grid(departments, procedures, cells)


def estimates(grid: Grid) -> np.ma.MaskedArray:
    """Standardised share per cell, masked where there is no answer or not enough evidence."""
    values = np.full((len(grid.departments), len(grid.procedures)), np.nan)
    for (i, j), gap in grid.cells.items():
        if gap.enough_evidence and gap.estimate is not None:
            values[i, j] = gap.estimate
    return np.ma.masked_invalid(values)


def is_wide(gap: Gap) -> bool:
    """Whether the cell's 95% interval is too wide for its colour to be read as firm."""
    interval = gap.interval
    return interval is None or interval.high - interval.low > WIDE_INTERVAL


def plain(texts: Any) -> None:
    """Make texts already created, such as tick labels, show user text as it is."""
    for text in texts:
        text.set_parse_math(False)
        text.set_usetex(False)


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def font_size(grid: Grid) -> float:
    """Smaller text as the grid grows; still legible at 15 × 15."""
    return max(6.5, min(12.0, 110 / max(len(grid.departments), len(grid.procedures), 1)))


def label_of(gap: Gap) -> str:
    n = f"n={gap.cell.answers}"
    if not gap.enough_evidence:
        return f"n/e\n{n}"
    if gap.estimate is None:
        return n
    interval = gap.interval
    spread = "" if interval is None else f"\n{interval.low * 100:.0f}–{interval.high * 100:.0f}"
    return f"{gap.estimate * 100:.0f}%{spread}\n{n}"


def _not_enough(ax: Axes, i: int, j: int) -> None:
    ax.add_patch(
        Rectangle(
            (j - 0.5, i - 0.5),
            1,
            1,
            facecolor=NOT_ENOUGH_GREY,
            hatch="///",
            edgecolor="#9a9a9a",
            linewidth=0,
        )
    )


def _faded(ax: Axes, i: int, j: int) -> None:
    ax.add_patch(
        Rectangle(
            (j - 0.5, i - 0.5),
            1,
            1,
            facecolor=(1.0, 1.0, 1.0, FADE),
            hatch="..",
            edgecolor="#8a8a8a",
            linewidth=0,
        )
    )


def ink_on(share: float, fade: float = 0.0) -> str:
    """Black text on light colours, white on dark; `fade` is the white laid over the colour."""
    red, green, blue, _ = colormaps[COLOURMAP](share)
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "black" if luminance * (1 - fade) + fade > 0.5 else "white"


def _annotate(ax: Axes, grid: Grid, size: float) -> None:
    for (i, j), gap in grid.cells.items():
        style: dict[str, Any] = {"ha": "center", "va": "center", "fontsize": size}
        if gap.enough_evidence and gap.estimate is not None:
            fade = FADE if is_wide(gap) else 0.0
            if fade:
                _faded(ax, i, j)
            style["color"] = ink_on(gap.estimate, fade)
        else:
            _not_enough(ax, i, j)
            # A plain backing keeps the label readable over the hatching.
            style["bbox"] = {"facecolor": NOT_ENOUGH_GREY, "edgecolor": "none", "pad": 1}
        ax.text(j, i, label_of(gap), **style, **PLAIN_TEXT)


def _axes(ax: Axes, grid: Grid, size: float) -> None:
    ax.set_xticks(range(len(grid.procedures)), [short(p) for p in grid.procedures])
    ax.set_yticks(range(len(grid.departments)), [short(d) for d in grid.departments])
    ticks = [*ax.xaxis.get_major_ticks(), *ax.yaxis.get_major_ticks()]
    plain([label for tick in ticks for label in (tick.label1, tick.label2)])
    ax.tick_params(labelsize=size + 1, length=0)
    for tick in ax.get_xticklabels():
        tick.set_rotation(40)
        tick.set_horizontalalignment("right")
    ax.set_xlabel("procedure")
    ax.set_ylabel("department")
    ax.set_xticks(np.arange(-0.5, len(grid.procedures)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(grid.departments)), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def draw(report: GapReport, grid: Grid) -> Figure:
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.2, right=0.95, bottom=0.16, top=0.92)
    ax = figure.add_subplot()
    colours = colormaps[COLOURMAP].with_extremes(bad="white")
    image = ax.imshow(estimates(grid), cmap=colours, vmin=0.0, vmax=1.0, aspect="auto")
    size = font_size(grid)
    _annotate(ax, grid, size)
    _axes(ax, grid, size)
    bar = figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(
        f"standardised share (faded, dotted: 95% interval wider than {WIDE_INTERVAL * 100:.0f} pts)"
    )
    ax.set_title(
        f"Standardised share by department and procedure: {short(scope_label(report))}, "
        f"{period_label(report)}",
        fontsize=13,
        **PLAIN_TEXT,
    )
    return figure


def heatmap_png(report: GapReport) -> bytes | None:
    """The heatmap as PNG bytes of a fixed size, or None when no procedure cell exists."""
    if not report.procedures:
        return None
    figure = draw(report, grid_of(report))
    buffer = io.BytesIO()
    # No timestamp or version in the file, so the same report gives the same bytes.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
