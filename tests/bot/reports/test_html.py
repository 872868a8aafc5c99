from __future__ import annotations

import base64
from collections import Counter
from html.parser import HTMLParser

from bot.reports.html import gap_report_html
from bot.services.gaps import GapReport
from tests.bot.reports.sample import SCRIPT_PROMPT, empty_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VOID = {"meta", "img", "br", "hr", "link", "input"}


class Page(HTMLParser):
    """Counts tags, keeps images, headings and table rows' text."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: Counter[str] = Counter()
        self.closed: Counter[str] = Counter()
        self.images: list[dict[str, str | None]] = []
        self.headings: list[str] = []
        self.rows: list[list[str]] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.opened[tag] += 1
        if tag == "img":
            self.images.append(dict(attrs))
        if tag == "tr":
            self.rows.append([])
        if tag not in VOID:
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.closed[tag] += 1
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in and self._in[-1] == "h2":
            self.headings.append(data)
        if "td" in self._in and self.rows:
            self.rows[-1].append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def test_the_page_is_well_formed_with_every_section(report: GapReport) -> None:
    text = gap_report_html(report)
    page = parse(text)
    assert text.startswith("<!DOCTYPE html>")
    assert all(page.opened[tag] == page.closed[tag] for tag in page.opened if tag not in VOID)
    assert page.headings == [
        "Summary",
        "Where an auditor would find gaps",
        "Share correct by department and procedure",
        "Where practice may differ from the procedure",
        "Questions to review",
        "Participation",
        "Every department × procedure",
        "Every department × clause",
        "How to read this",
    ]
    assert page.opened["section"] == 9
    assert page.opened["table"] == 5
    assert page.opened["style"] == 1


def test_the_heatmap_is_inline_png_with_alt_text(report: GapReport) -> None:
    [image] = parse(gap_report_html(report)).images
    source = image["src"]
    assert source is not None and source.startswith("data:image/png;base64,")
    png = base64.b64decode(source.removeprefix("data:image/png;base64,"), validate=True)
    assert png.startswith(PNG_SIGNATURE)
    assert image["alt"] and "Heatmap of share correct" in image["alt"]


def test_nothing_is_loaded_from_the_network(report: GapReport) -> None:
    text = gap_report_html(report)
    page = parse(text)
    assert page.opened["link"] == page.opened["script"] == 0
    assert "http://" not in text and "https://" not in text


def test_text_is_escaped(report: GapReport) -> None:
    text = gap_report_html(report)
    assert "<script>" not in text
    assert "Who signs &lt;script&gt;alert(1)&lt;/script&gt; off?" in text
    page = parse(text)
    assert page.opened["script"] == 0
    assert SCRIPT_PROMPT in "".join(page.text)


def test_top_gaps_show_evidence_and_grade(report: GapReport) -> None:
    page = parse(gap_report_html(report))
    assert page.rows[1] == [
        "major",
        "Production",
        "QP-08",
        "6 / 7",
        "12",
        "3",
        "25%",
        "5–40%",
        "–",
        "98%",
    ]


def test_not_enough_evidence_shows_counts_but_no_figures(report: GapReport) -> None:
    page = parse(gap_report_html(report))
    thin = next(row for row in page.rows if "EP-03" in row)
    assert thin == [
        "not enough evidence",
        "Warehouse",
        "EP-03",
        "2 / 3",
        "2",
        "0",
        "not enough evidence",
    ]


def test_practice_and_how_to_read_are_there(report: GapReport) -> None:
    text = gap_report_html(report)
    assert "people may be doing “Put it back on the line”, while the procedure says" in text
    assert "auditor interviewing 3 people" in text
    assert "Wilson interval" in text


def test_an_empty_report_has_no_image_and_says_why() -> None:
    text = gap_report_html(empty_report())
    page = parse(text)
    assert page.images == []
    assert "Nothing to plot" in text
    assert len(page.headings) == 9


def test_the_practice_section_says_when_the_analysis_was_computed(report: GapReport) -> None:
    html = gap_report_html(report)
    assert (
        '<p class="meta">Practice flags and question quality: answers from 2026-10-01 to '
        "2026-11-01, computed 2026-11-01 00:00 UTC.</p>"
    ) in html
    assert "computed" not in gap_report_html(empty_report())
