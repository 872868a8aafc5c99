from __future__ import annotations

import base64
from collections import Counter
from html.parser import HTMLParser

from bot.reports.funnel_plot import funnel_of
from bot.reports.html import gap_report_html
from bot.services.summary.gap_report import GapReport
from tests.bot.reports.sample import SCRIPT_PROMPT, empty_report, spread_cells

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
        "Systemic findings",
        "Standardised share by department and procedure",
        "Funnel plot: right answers against the others' level",
        "Where practice may differ from the procedure",
        "Questions to review",
        "Participation",
        "Every department × procedure",
        "Every department × clause",
        "The model",
        "How to read this",
    ]
    assert page.opened["section"] == 12
    assert page.opened["table"] == 5
    assert page.opened["style"] == 1


def png_of(image: dict[str, str | None]) -> bytes:
    source = image["src"]
    assert source is not None and source.startswith("data:image/png;base64,")
    return base64.b64decode(source.removeprefix("data:image/png;base64,"), validate=True)


def test_the_heatmap_and_the_funnel_plot_are_inline_pngs_with_alt_text(
    report: GapReport,
) -> None:
    heatmap, funnel = parse(gap_report_html(report)).images
    assert png_of(heatmap).startswith(PNG_SIGNATURE)
    assert png_of(funnel).startswith(PNG_SIGNATURE)
    assert heatmap["alt"] and "Heatmap of the standardised share" in heatmap["alt"]
    assert funnel["alt"] and funnel["alt"].startswith("Funnel plot of observed ÷ expected")
    assert "3 department × procedure cells" in funnel["alt"]


def test_the_funnel_caption_cites_spiegelhalter_and_gives_the_overdispersion(
    report: GapReport,
) -> None:
    text = gap_report_html(report)
    funnel = funnel_of(report)
    assert funnel is not None
    assert "Funnel plots for comparing institutional performance" in text
    assert "Statistics in Medicine 24 (2005) 1185–1202" in text
    assert "overdispersion factor φ" in text
    assert f"company&#x27;s level of {funnel.share * 100:.0f}%" in text


def test_cells_outside_the_funnel_are_named_in_its_alt_text(report: GapReport) -> None:
    report.procedures = spread_cells(outlier="Night <shift>")
    page = parse(gap_report_html(report))
    alt = page.images[1]["alt"]
    assert alt is not None
    assert "1 outside the 99.8% limits: Night <shift> × QP-08." in alt
    assert "<shift>" not in gap_report_html(report)


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


def test_top_gaps_in_rank_order_show_evidence_grade_and_sureness(report: GapReport) -> None:
    page = parse(gap_report_html(report))
    assert page.rows[1] == [
        "minor",
        " ",
        "96% sure",
        "Warehouse",
        "QP-08",
        "5 / 6",
        "12",
        "7",
        "58%",
        "57% (38–70%)",
        "9.0",
        "0.78",
        "96%",
        "22%",
        "+8 pts",
        "91%",
    ]
    assert page.rows[2][:4] == ["major", " ", "97% sure", "Production"]


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
    assert "<li><strong>Warehouse</strong>, <strong>QP-08-002</strong>" in text
    assert text.index("<strong>Warehouse</strong>, <strong>QP-08-002") < text.index(
        "<strong>Assembly</strong>, <strong>QP-08-003"
    )
    assert "auditor interviewing 3 people" in text
    assert "95% credible interval" in text and "Wilson" not in text
    assert (
        "<li><strong>Systemic</strong>: ISO 14001:2015 8.1 established weak in Production and "
        "Warehouse — a major nonconformity at company level</li>"
    ) in text


def test_an_empty_report_has_no_image_and_says_why() -> None:
    text = gap_report_html(empty_report())
    page = parse(text)
    assert page.images == []
    assert "Nothing to plot: no questions were sent." in text
    assert "Nothing to plot: no cell has enough evidence." in text
    # A report scoped to departments doesn't look for company-level findings.
    assert "Systemic findings" not in page.headings
    assert len(page.headings) == 10


def test_the_practice_section_says_when_the_analysis_was_computed(report: GapReport) -> None:
    html = gap_report_html(report)
    assert (
        '<p class="meta">Grades, practice flags and question checks: answers from 2026-10-01 to '
        "2026-11-01, computed 2026-11-01 00:00 UTC.</p>"
    ) in html
    assert "computed" not in gap_report_html(empty_report())


def test_names_matplotlib_would_read_as_mathtext_are_drawn_as_they_are() -> None:
    # Issue 12, F6: a department named `$\frac$` must not crash the charts.
    cells = spread_cells(r"$\frac$")
    report = GapReport(
        scope=empty_report().scope, period=empty_report().period, rules=empty_report().rules
    )
    report.procedures = cells
    page = gap_report_html(report)
    assert page.count("data:image/png;base64,") >= 1
    assert r"$\frac$" in page
