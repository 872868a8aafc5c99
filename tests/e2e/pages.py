"""Reading the HTML report the app uploads: its table cells and headings."""

from __future__ import annotations

from html.parser import HTMLParser


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.items: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "li"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "li") and self._cell is not None:
            (self.rows[-1] if tag == "td" else self.items).append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_cells(page: str) -> tuple[list[list[str]], list[str]]:
    """The text of an HTML page's table cells, row by row, and of its list items."""
    parser = _Cells()
    parser.feed(page)
    return parser.rows, parser.items
