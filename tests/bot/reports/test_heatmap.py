from __future__ import annotations

import struct
from dataclasses import replace

import numpy as np

from bot.domain.gaps import Grade
from bot.reports.heatmap import grid_of, heatmap_png, label_of, shares
from bot.services.gaps import GapReport
from tests.bot.reports.sample import empty_report, gap

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


def test_cells_without_enough_evidence_are_masked_and_labelled(report: GapReport) -> None:
    grid = grid_of(report)
    assert grid.departments == ["Production", "Warehouse"]
    assert grid.procedures == ["EP-03", "QP-08", "QP-09"]
    values = shares(grid)
    masked = np.ma.getmaskarray(values)
    assert masked[1, 0]  # Warehouse × EP-03: not enough evidence
    assert masked[1, 2]  # Warehouse × QP-09: never asked
    assert float(values[0, 1]) == 0.25
    assert np.ma.count(values) == 3
    assert label_of(grid.cells[(1, 0)]) == "n/e\nn=2"
    assert label_of(grid.cells[(0, 1)]) == "25%\nn=12"
