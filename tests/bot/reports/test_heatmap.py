from __future__ import annotations

import struct
from dataclasses import replace

import numpy as np
from matplotlib.text import Text

from bot.domain.summary.gaps import Grade, Interval
from bot.reports.heatmap import (
    FADE,
    draw,
    estimates,
    grid_of,
    heatmap_png,
    ink_on,
    is_wide,
    label_of,
)
from bot.services.summary.gap_report import GapReport
from tests.bot.reports.sample import empty_report, gap

MATHTEXT = r"R&D $\notacommand{x}$ and $5 $10"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def test_the_heatmap_is_a_png_of_fixed_size(report: GapReport) -> None:
    png = heatmap_png(report)
    assert png is not None and png.startswith(PNG_SIGNATURE)
    assert png_size(png) == (1200, 900)


def test_the_same_report_gives_the_same_bytes(report: GapReport) -> None:
    assert heatmap_png(report) == heatmap_png(report)


def test_fifteen_by_fifteen_keeps_the_size(report: GapReport) -> None:
    cells = [
        gap(
            f"Department {d:02d}",
            f"QP-{p:02d}",
            correct=p,
            answers=15,
            people=5,
            grade=Grade.NO_GAP,
        )
        for d in range(15)
        for p in range(15)
    ]
    png = heatmap_png(replace(report, procedures=cells))
    assert png is not None and png_size(png) == (1200, 900)


def test_nothing_to_plot_is_none() -> None:
    assert heatmap_png(empty_report()) is None


def test_colour_is_the_standardised_share_and_thin_cells_are_masked(report: GapReport) -> None:
    grid = grid_of(report)
    assert grid.departments == ["Production", "Warehouse"]
    assert grid.procedures == ["EP-03", "QP-08", "QP-09"]
    values = estimates(grid)
    masked = np.ma.getmaskarray(values)
    assert masked[1, 0]  # Warehouse × EP-03: not enough evidence
    assert masked[1, 2]  # Warehouse × QP-09: never asked
    # Production × QP-08: 3 of 12 right raw, coloured by its standardised share.
    assert float(values[0, 1]) == 0.3125
    assert np.ma.count(values) == 3
    assert label_of(grid.cells[(1, 0)]) == "n/e\nn=2"
    assert label_of(grid.cells[(0, 1)]) == "31%\n15–50\nn=12"


def test_a_wide_interval_fades_the_cell(report: GapReport) -> None:
    firm = gap("A", "QP-01", correct=60, answers=80, people=9, grade=Grade.NO_GAP)
    loose = gap(
        "A",
        "QP-02",
        correct=6,
        answers=8,
        people=3,
        grade=Grade.NO_GAP,
        interval=Interval(0.4, 0.95),
    )
    assert (is_wide(firm), is_wide(loose)) == (False, True)
    before = len(draw(report, grid_of(replace(report, procedures=[firm]))).axes[0].patches)
    after = len(draw(report, grid_of(replace(report, procedures=[firm, loose]))).axes[0].patches)
    assert after == before + 1
    # Dark viridis under a white veil needs black ink.
    assert (ink_on(0.1), ink_on(0.1, FADE)) == ("white", "black")


def test_names_are_shown_as_typed_never_as_mathtext(report: GapReport) -> None:
    odd = gap(MATHTEXT, "QP-$1$", correct=3, answers=12, people=6, grade=Grade.MAJOR)
    report = replace(report, procedures=[odd], scope=replace(report.scope, departments=[MATHTEXT]))
    figure = draw(report, grid_of(report))
    texts = [t for t in figure.findobj(Text) if "$" in t.get_text()]
    assert {t.get_text() for t in texts} >= {"QP-$1$"}
    assert all(not t.get_parse_math() and not t.get_usetex() for t in texts)
    # Mathtext would fail on the unknown command; as plain text it draws.
    png = heatmap_png(report)
    assert png is not None and png.startswith(PNG_SIGNATURE)
