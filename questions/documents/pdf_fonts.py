"""How each text line of a PDF page looks: its font size, whether it is bold, whether it sits
in a ruled table cell, read through pypdf's text visitors and matched to the layout lines.

pypdf's layout mode gives lines without fonts; its plain mode tells a visitor each run's font,
size and position. Runs are put into lines by their baseline, top to bottom as layout mode
orders them, and a layout line takes the look of the run line whose letters are the same.
A line is in a table cell when drawn rules box it in: a rule left and right across its
baseline and one close above and below.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_BOLD_WEIGHT = 600
_SAME_LINE = 0.5  # baselines closer than this share of the font size are one line
_CELL_REACH = 3.0  # how many font sizes away the rules above and below a cell line may be
_LARGER = 0.5  # points more than the body size that make a line larger
_PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}

Matrix = Sequence[float]


@dataclass(frozen=True)
class LineFont:
    """The look of one line: its main size in points, whether all of it is bold, whether it is
    boxed in by a table's rules."""

    size: float
    bold: bool
    in_cell: bool = False


@dataclass(frozen=True)
class _Run:
    text: str
    x: float
    y: float
    size: float
    bold: bool


@dataclass
class _Rules:
    """Rules drawn on a page: horizontal (y, x0, x1) and vertical (x, y0, y1) segments."""

    across: list[tuple[float, float, float]] = field(default_factory=list)
    down: list[tuple[float, float, float]] = field(default_factory=list)
    path: list[tuple[float, float, float, float]] = field(default_factory=list)
    at: tuple[float, float] = (0.0, 0.0)

    def operator(self, op: bytes, args: Sequence[Any], cm: Matrix) -> None:
        if op == b"m" and len(args) == 2:
            self.at = _point(cm, float(args[0]), float(args[1]))
        elif op == b"l" and len(args) == 2:
            end = _point(cm, float(args[0]), float(args[1]))
            self.path.append((*self.at, *end))
            self.at = end
        elif op == b"re" and len(args) == 4:
            x, y, w, h = (float(a) for a in args)
            corners = [_point(cm, x, y), _point(cm, x + w, y)]
            corners += [_point(cm, x + w, y + h), _point(cm, x, y + h)]
            for start, end in zip(corners, corners[1:] + corners[:1], strict=True):
                self.path.append((*start, *end))
        elif op in _PAINT:
            self._keep_path()
        elif op == b"n":
            self.path = []

    def _keep_path(self) -> None:
        for x0, y0, x1, y1 in self.path:
            if abs(y0 - y1) < 1:
                self.across.append((y0, min(x0, x1), max(x0, x1)))
            elif abs(x0 - x1) < 1:
                self.down.append((x0, min(y0, y1), max(y0, y1)))
        self.path = []

    def boxes(self, x: float, y: float, size: float) -> bool:
        reach = _CELL_REACH * size
        above = any(0 < ry - y <= reach and x0 - 1 <= x <= x1 for ry, x0, x1 in self.across)
        below = any(0 < y - ry <= reach and x0 - 1 <= x <= x1 for ry, x0, x1 in self.across)
        left = any(rx <= x + 1 and y0 <= y <= y1 for rx, y0, y1 in self.down)
        right = any(rx > x + 1 and y0 <= y <= y1 for rx, y0, y1 in self.down)
        return above and below and left and right


def line_fonts(page: PageObject, layout_lines: Sequence[str]) -> list[LineFont | None]:
    """The look of each of `layout_lines` (one page's layout text), None where not known."""
    runs, rules = _read_page(page)
    placed = [(_key("".join(r.text for r in line)), line) for line in _run_lines(runs)]
    keys = [_key(text) for text in layout_lines]
    fonts: list[LineFont | None] = [None] * len(layout_lines)
    matcher = difflib.SequenceMatcher(None, keys, [key for key, _ in placed], autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            if keys[block.a + offset]:
                fonts[block.a + offset] = _line_font(placed[block.b + offset][1], rules)
    return fonts


def _read_page(page: PageObject) -> tuple[list[_Run], _Rules]:
    runs: list[_Run] = []
    rules = _Rules()

    def on_text(text: str, cm: Matrix, tm: Matrix, font: Any, size: float) -> None:
        if text.strip():
            runs.append(_run(text, cm, tm, font, size))

    def on_operator(op: bytes, args: Any, cm: Matrix, tm: Matrix) -> None:
        rules.operator(op, args, cm)

    page.extract_text(visitor_text=on_text, visitor_operand_before=on_operator)
    return runs, rules


def _run(text: str, cm: Matrix, tm: Matrix, font: Any, size: float) -> _Run:
    x, y = _point(cm, tm[4], tm[5])
    scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
    return _Run(text.replace("\n", " "), x, y, round(size * scale * 2) / 2, _is_bold(font))


def _point(cm: Matrix, x: float, y: float) -> tuple[float, float]:
    return x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]


def _is_bold(font: Any) -> bool:
    if not isinstance(font, dict):
        return False
    if _BOLD_NAME.search(str(font.get("/BaseFont", ""))):
        return True
    descriptor = font.get("/FontDescriptor")
    weight = descriptor.get("/FontWeight", 0) if isinstance(descriptor, dict) else 0
    return isinstance(weight, int | float) and weight >= _BOLD_WEIGHT


def _run_lines(runs: list[_Run]) -> list[list[_Run]]:
    """Runs grouped by baseline, top line first, each line's runs left to right."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: -r.y):
        if lines and abs(lines[-1][0].y - run.y) < _SAME_LINE * max(run.size, 1):
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x) for line in lines]


def _line_font(line: list[_Run], rules: _Rules) -> LineFont:
    letters = [(run.size, run.bold, len(run.text.strip())) for run in line]
    by_size: dict[float, int] = {}
    for size, _, count in letters:
        by_size[size] = by_size.get(size, 0) + count
    size = max(by_size, key=lambda s: by_size[s])
    bold = all(is_bold for _, is_bold, count in letters if count)
    first = line[0]
    return LineFont(size, bold, rules.boxes(first.x, first.y, first.size))


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def heading_levels(lines: Sequence[tuple[LineFont, int]]) -> dict[LineFont, int]:
    """The level of each look that stands out from the body text, larger looks first.

    `lines` are each line's look and length. The body size is the one most letters outside
    table cells are set in;
    a look stands out when it is larger, or bold at body size, outside a table cell. Empty when
    nothing stands out: every line looks the same, so fonts tell no headings apart.
    """
    letters: dict[float, int] = {}
    for font, length in lines:
        if not font.in_cell:  # a table set smaller than the text must not become the body
            letters[font.size] = letters.get(font.size, 0) + length
    if not letters:
        return {}
    body = max(letters, key=lambda size: letters[size])
    looks = {font for font, _ in lines if _stands_out(font, body)}
    ranked = sorted(looks, key=lambda font: (-font.size, not font.bold))
    return {font: level for level, font in enumerate(ranked, 1)}


def _stands_out(font: LineFont, body: float) -> bool:
    if font.in_cell:
        return False
    return font.size > body + _LARGER or (font.bold and font.size >= body - _LARGER)
