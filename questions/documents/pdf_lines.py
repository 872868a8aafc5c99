"""PDF text lines, as pypdf's layout mode lays them out, read into headings and blocks.

Headings go by the lines' looks when some stand out from the body text (two or more short lines,
larger or bold, not in a table cell, not ending a sentence); a heading wrapped over lines in the
same look is read as one. Otherwise they go by numbering and shape alone.

Limits: a table is found where pypdf leaves gaps of two or more spaces between columns on at
least two lines, or where drawn rules box the lines in (a one-column table needs its rules); a
row whose first cell is empty is read as the wrapped end of the row above, and so is one whose
first cell wraps too while its other cells carry on a sentence in lower case. A list marker set
apart from its text by a wide gap ("•", a gap, then its text) starts a list item, not a table of
two columns. A row with only its label ("Author | ") is kept in the table when more rows follow.
A paragraph carries on until a blank line, a short line ending a sentence, a heading, a list item
or a table; one running over a page break is read as two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from questions.documents.model import Block, BlockKind, Location
from questions.documents.numbering import own_number
from questions.documents.parsed import Heading, Item
from questions.documents.pdf_fonts import LineFont, heading_levels

# "\x7f" is how pypdf gives a bullet drawn in one of PDF's standard fonts.
_MARKER = re.compile(r"^(•|·|▪|◦|\x7f|-|–|\*|\d{1,2}[.)]|[a-z][.)]|\([a-z0-9]{1,4}\))\s+(\S.*)$")
_LONE_MARKER = re.compile(r"^(?:•|·|▪|◦|\x7f|-|–|\*|\d{1,2}[.)]|[a-z][.)]|\([a-z0-9]{1,4}\))$")
_GAP = re.compile(r"\S+(?: \S+)*")
_ENDS_SENTENCE = (".", "!", "?", ":", ";", ",")
_LABEL_LINE = re.compile(r"^(?:rev|revision|version|issue|document|doc|page)\b", re.IGNORECASE)
_HEADING_WORDS = 12
_STYLED_WORDS = 20
_STYLED_HEADINGS = 2
_LABEL_ROWS = 3  # rows with only a label that may stand between two rows of a table
_LABEL_WORDS = 6
_SHORT = 0.75  # a line shorter than this share of the longest line may end its paragraph


@dataclass(frozen=True)
class Line:
    text: str
    page: int
    font: LineFont | None = None

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())

    @property
    def words(self) -> str:
        return " ".join(self.text.split())

    def cells(self) -> list[tuple[int, str]]:
        """(column, text) of each stretch of text between gaps of two or more spaces."""
        return [(m.start(), " ".join(m[0].split())) for m in _GAP.finditer(self.text)]


def read_lines(lines: list[Line]) -> list[Item]:
    return _LineReader(lines).read()


@dataclass
class _LineReader:
    lines: list[Line]
    items: list[Item] = field(default_factory=list)
    paragraph: int = 0
    pending: list[Line] = field(default_factory=list)
    list_indents: list[int] = field(default_factory=list)
    item_lines: list[Line] = field(default_factory=list)
    item_marker: tuple[str, int] = ("", 0)

    def read(self) -> list[Item]:
        texts = [line for line in self.lines if line.text.strip()]
        self.margin = min((line.indent for line in texts), default=0)
        self.width = max((len(line.text) for line in texts), default=0)
        self.levels = _styled_levels(texts)
        at = 0
        while at < len(self.lines):
            at = self._step(at)
        self._flush()
        return self.items

    def _step(self, at: int) -> int:
        line = self.lines[at]
        if not line.text.strip():
            self._flush()
            return at + 1
        end = self._table_end(at)
        if end > at:
            self._flush()
            self._add_table(self.lines[at:end])
            return end
        heading_end = self._heading_end(at)
        if heading_end > at:
            self._add_heading(self.lines[at:heading_end])
            return heading_end
        if marker := _MARKER.match(line.words):
            self._flush()
            self._start_item(line, marker)
        elif self.item_lines and (line.indent > self.margin + 1 or self._wrapped(at)):
            self.item_lines.append(line)
        else:
            self._add_paragraph_line(line)
        return at + 1

    def _next(self, page: int) -> Location:
        self.paragraph += 1
        return Location(self.paragraph, page)

    def _heading_end(self, at: int) -> int:
        """Where a heading starting at `at` ends (after its wrapped lines), or `at` if none."""
        line = self.lines[at]
        if _in_cell(line):
            return at
        if not self.levels:
            return at + 1 if self._is_plain_heading(line, at) else at
        if line.font not in self.levels:
            return at
        end = at + 1
        while end < len(self.lines) and _continues_heading(line, self.lines[end]):
            end += 1
        return end if _heading_shape(" ".join(x.words for x in self.lines[at:end])) else at

    def _add_heading(self, lines: list[Line]) -> None:
        self._flush()
        self.list_indents = []
        text = " ".join(line.words for line in lines)
        first = lines[0]
        if first.font in self.levels:
            level = self.levels[first.font]
        else:
            number, _ = own_number(text)
            level = number.count(".") + 1 if number else 1
        self.items.append(Heading(text, level, self._next(first.page)))

    def _is_plain_heading(self, line: Line, at: int) -> bool:
        """Without fonts to go by: a short numbered line, or a short capitalised one."""
        text = line.words
        if line.indent > self.margin + 1 or not text[0].isalnum() or ":" in text:
            return False
        number, rest = own_number(text)
        if not rest or not rest[0].isupper() or rest.endswith((*_ENDS_SENTENCE, "-", "–")):
            return False
        if len(rest.split()) > _HEADING_WORDS:
            return False
        if number is not None:
            return True
        if _LABEL_LINE.match(text) or any(c.isdigit() for c in text) or len(text.split()) > 8:
            return False
        starts_block = not self.pending or self.pending[-1].words.endswith(_ENDS_SENTENCE)
        following = self.lines[at + 1] if at + 1 < len(self.lines) else None
        stands_alone = following is None or not following.text.strip() or text.istitle()
        return starts_block and stands_alone

    def _wrapped(self, at: int) -> bool:
        """Whether the line before `at` ran on to the right margin without ending a sentence, so
        that the line at `at` carries on its text though it starts back at the margin."""
        before = self.lines[at - 1].words
        if before.endswith((",", " or", " and")):
            return True
        long = len(self.lines[at - 1].text) >= self.width * _SHORT
        return long and not before.endswith(_ENDS_SENTENCE)

    def _add_paragraph_line(self, line: Line) -> None:
        if self.item_lines or (self.pending and self._ends_paragraph(self.pending[-1])):
            self._flush()  # a line back at the margin closes the open list item
        self.list_indents = [] if not self.item_lines else self.list_indents
        self.pending.append(line)

    def _ends_paragraph(self, line: Line) -> bool:
        return line.words.endswith((".", "!", "?", ":")) and len(line.text) < self.width * _SHORT

    def _start_item(self, line: Line, marker: re.Match[str]) -> None:
        while self.list_indents and line.indent < self.list_indents[-1] - 1:
            self.list_indents.pop()
        if not self.list_indents or line.indent > self.list_indents[-1] + 1:
            self.list_indents.append(line.indent)
        symbol = marker[1].strip("().")
        symbol = symbol if symbol[0].isalnum() else "•"
        self.item_marker = (symbol, len(self.list_indents) - 1)
        self.item_lines = [Line(" " * line.indent + marker[2], line.page)]

    def _flush(self) -> None:
        if self.pending:
            text = " ".join(line.words for line in self.pending)
            self.items.append(Block(BlockKind.PARAGRAPH, text, self._next(self.pending[0].page)))
            self.pending = []
        if self.item_lines:
            text = " ".join(line.words for line in self.item_lines)
            marker, depth = self.item_marker
            location = self._next(self.item_lines[0].page)
            item = Block(BlockKind.LIST_ITEM, text, location, marker=marker, depth=depth)
            self.items.append(item)
            self.item_lines = []

    def _table_end(self, at: int) -> int:
        """Where a table starting at `at` ends, or `at` when no table starts there."""
        cells = self.lines[at].cells()
        columns = [start for start, _ in cells]
        if len(columns) < 2 and not _in_cell(self.lines[at]):
            return at
        if len(cells) == 2 and _LONE_MARKER.match(cells[0][1]):  # "•     text": a list item
            return at
        rows, end, probe = 1, at + 1, at + 1
        while probe < len(self.lines):
            line = self.lines[probe]
            cells = line.cells()
            if cells and (
                _continues_table(line, cells, columns) or self._label_row(probe, columns)
            ):
                rows, end = rows + (len(cells) >= 2 or _in_cell(line)), probe + 1
            elif cells:
                break
            probe += 1
        return end if rows >= 2 else at

    def _label_row(self, at: int, columns: list[int]) -> bool:
        """A row with only its first cell filled ("Author |  "), followed by more rows."""
        labels = 0
        for line in self.lines[at:]:
            cells = line.cells()
            if len(cells) >= 2:
                return len(columns) >= 2 and all(
                    _in_later_column(start, columns) for start, _ in cells[1:]
                )
            if cells and (labels == _LABEL_ROWS or not self._lone_label(line, columns)):
                return False
            labels += bool(cells)
        return False

    def _lone_label(self, line: Line, columns: list[int]) -> bool:
        text = line.words
        if abs(line.indent - columns[0]) > 2 or line.font in self.levels:
            return False
        short = len(text.split()) <= _LABEL_WORDS and not text.endswith(_ENDS_SENTENCE)
        return short and own_number(text)[0] is None

    def _add_table(self, lines: list[Line]) -> None:
        columns = [start for start, _ in lines[0].cells()]
        rows: list[list[str]] = []
        for line in lines:
            cells = line.cells()
            if not cells:
                continue
            row = [""] * len(columns)
            for start, text in cells:
                column = max(i for i, c in enumerate(columns) if c <= start + 2 or i == 0)
                row[column] = f"{row[column]} {text}".strip()
            if rows and (not row[0] or _wraps_first_cell(rows[-1], row)):
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], row, strict=True)]
            else:
                rows.append(row)
        kept = tuple(tuple(row) for row in rows)
        text = "\n".join(" | ".join(row) for row in kept)
        location = self._next(lines[0].page)
        self.items.append(Block(BlockKind.TABLE, text, location, rows=kept))


def _wraps_first_cell(above: list[str], row: list[str]) -> bool:
    """A row carrying on the row above, its first cell wrapped too: "Manager | whether a full
    FAI is required." under "Quality Engineering | … decides", or "Inspector" alone under
    "CMM Programmer / | Measures …". A cell of the row above that ended its sentence, or a
    first cell with a digit in it ("B", "2"), starts a row of its own."""
    first, rest = row[0], [cell for cell in row[1:] if cell]
    if any(c.isdigit() for c in first + above[0]) or len(first) < 2 or not first[0].isupper():
        return False
    joined = above[0].endswith(("/", "-", "&", " and", ","))  # "CMM Programmer /"
    if not rest or (joined and not any(above[1:])):
        return joined
    said = [cell for cell in above[1:] if cell]
    ended = bool(said) and said[-1].endswith((".", "!", "?"))
    return not ended and all(cell[0].islower() for cell in rest)


def _styled_levels(lines: list[Line]) -> dict[LineFont, int]:
    """Heading levels by look, or none when fewer than two heading-like lines stand out."""
    levels = heading_levels([(line.font, len(line.words)) for line in lines if line.font])
    styled = [line for line in lines if line.font in levels and _heading_shape(line.words)]
    return levels if len(styled) >= _STYLED_HEADINGS else {}


def _continues_heading(heading: Line, line: Line) -> bool:
    """A heading wrapped over lines: the same look, no blank line between."""
    return bool(line.text.strip()) and line.font == heading.font and line.page == heading.page


def _heading_shape(text: str) -> bool:
    """Short enough for a heading, not a bullet, not a labelled line ("Rev: 2")."""
    if not text[0].isalnum() or text.endswith((".", "!", ",", ";", "-", "–")):
        return False
    if ":" in text and _LABEL_LINE.match(text):
        return False
    return len(text.split()) <= _STYLED_WORDS


def _continues_table(line: Line, cells: list[tuple[int, str]], columns: list[int]) -> bool:
    """A row of the table (or a cell wrapped from the row above); a ruled one-column table
    goes on only while its lines stay one cell wide and in a ruled cell."""
    if len(columns) < 2:
        return len(cells) == 1 and _in_cell(line)
    return len(cells) >= 2 or _in_later_column(cells[0][0], columns) or _in_cell(line)


def _in_cell(line: Line) -> bool:
    return line.font is not None and line.font.in_cell


def _in_later_column(start: int, columns: list[int]) -> bool:
    return any(abs(start - c) <= 2 for c in columns[1:])
