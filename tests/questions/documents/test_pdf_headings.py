"""PDF headings read by their font: larger or bold lines, levels by size, tables left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from questions.documents.model import BlockKind, ProcedureDocument
from questions.documents.reading import read_document

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=6)
TITLE = ParagraphStyle("title", parent=BODY, fontName="Helvetica-Bold", fontSize=20, leading=24)
H1 = ParagraphStyle("h1", parent=BODY, fontName="Helvetica-Bold", fontSize=16, leading=20)
H2 = ParagraphStyle("h2", parent=BODY, fontName="Helvetica-Bold", fontSize=13, leading=16)
H3 = ParagraphStyle("h3", parent=BODY, fontName="Helvetica-Bold", fontSize=11, leading=14)
LIGHT_H1 = ParagraphStyle("light1", parent=BODY, fontSize=16, leading=20, spaceBefore=12)
LIGHT_H2 = ParagraphStyle("light2", parent=BODY, fontSize=13, leading=16, spaceBefore=10)
CELL = ParagraphStyle("cell", parent=BODY, spaceAfter=0)
HEADER_CELL = ParagraphStyle("header", parent=CELL, fontName="Helvetica-Bold")
TEXT = "The team records each step in the log and keeps the record for five years."


def _pdf(path: Path, story: list[Any]) -> Path:
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def _table(rows: list[list[str]]) -> Table:
    cells = [
        [Paragraph(text, HEADER_CELL if at == 0 else CELL) for text in row]
        for at, row in enumerate(rows)
    ]
    table = Table(cells, hAlign="LEFT", colWidths=[200] * len(rows[0]))
    table.setStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    return table


def _headings(document: ProcedureDocument) -> list[tuple[str, str]]:
    return [(section.number, section.heading) for section in document.sections]


def test_bold_larger_headings_without_numbers_nest_by_size(tmp_path: Path) -> None:
    story = [Paragraph("Goods receipt", TITLE)]
    story += [Paragraph("Purpose", H1), Paragraph(TEXT, BODY)]
    story += [Paragraph("Process", H1), Paragraph("Receiving goods", H2), Paragraph(TEXT, BODY)]
    story += [Paragraph("Inspection", H3), Paragraph(TEXT, BODY)]
    story += [Paragraph("Storage", H2), Paragraph(TEXT, BODY), Paragraph("Records", H1)]
    story += [Paragraph(TEXT, BODY)]
    document = read_document(_pdf(tmp_path / "qp-20.pdf", story))
    assert document.title == "Goods receipt"
    assert _headings(document) == [
        ("1", "Purpose"),
        ("2", "Process"),
        ("2.1", "Receiving goods"),
        ("2.1.1", "Inspection"),
        ("2.2", "Storage"),
        ("3", "Records"),
    ]
    assert [section.level for section in document.sections] == [1, 1, 2, 3, 2, 1]


def test_a_one_column_table_is_not_a_heading(tmp_path: Path) -> None:
    story = [Paragraph("Corrective action", TITLE), Paragraph("Input for CAPA", H1)]
    story += [Paragraph(TEXT, BODY), _table([["Participants"], ["QMO"], ["QR"]]), Spacer(1, 8)]
    story += [_table([["Input", "Output"], ["Complaint", "CAPA created"]]), Spacer(1, 8)]
    story += [Paragraph("Root cause", H1), Paragraph(TEXT, BODY)]
    document = read_document(_pdf(tmp_path / "capa.pdf", story))
    assert _headings(document) == [("1", "Input for CAPA"), ("2", "Root cause")]
    tables = [b for b in document.sections[0].blocks if b.kind is BlockKind.TABLE]
    assert [table.rows for table in tables] == [
        (("Participants",), ("QMO",), ("QR",)),
        (("Input", "Output"), ("Complaint", "CAPA created")),
    ]


def test_a_header_table_with_empty_values_is_metadata(tmp_path: Path) -> None:
    header = [["Document ID", "QP-07"], ["Document Version", "3"], ["Author", ""]]
    header += [["Approver", ""], ["QMS Version", "2.2.0"]]
    story = [Paragraph("Handling complaints", TITLE), Paragraph("General", H1)]
    story += [_table(header), Spacer(1, 8), Paragraph("Purpose", H1), Paragraph(TEXT, BODY)]
    document = read_document(_pdf(tmp_path / "qp-07.pdf", story))
    assert (document.id, document.revision) == ("QP-07", "3")
    assert _headings(document) == [("1", "Purpose")]


def test_numbered_steps_under_an_unnumbered_heading_take_its_number(tmp_path: Path) -> None:
    story = [Paragraph("Corrective action", TITLE)]
    story += [Paragraph("Purpose", H1), Paragraph(TEXT, BODY), Paragraph("Process Steps", H1)]
    story += [Paragraph("1. Input for CAPA", H2), Paragraph(TEXT, BODY)]
    story += [Paragraph("2. Decision on Next Steps", H2), Paragraph(TEXT, BODY)]
    document = read_document(_pdf(tmp_path / "capa.pdf", story))
    assert _headings(document) == [
        ("1", "Purpose"),
        ("2", "Process Steps"),
        ("2.1", "Input for CAPA"),
        ("2.2", "Decision on Next Steps"),
    ]


def test_roman_numbered_and_wrapped_headings(tmp_path: Path) -> None:
    long = "Response Procedures: Cat 4 – External web attacks and denial of service attacks"
    story = [Paragraph("Incident response", TITLE), Paragraph("Incident Management Process", H1)]
    story += [Paragraph(TEXT, BODY), Paragraph("I - Identification and Triage", H2)]
    story += [Paragraph(TEXT, BODY), Paragraph("II - Containment (Technical)", H2)]
    story += [Paragraph(TEXT, BODY), Paragraph("Severity Levels:", H2), Paragraph(TEXT, BODY)]
    story += [Paragraph(long, H1), Paragraph(TEXT, BODY)]
    document = read_document(_pdf(tmp_path / "ir.pdf", story))
    assert _headings(document) == [
        ("1", "Incident Management Process"),
        ("1.1", "I - Identification and Triage"),
        ("1.2", "II - Containment (Technical)"),
        ("1.3", "Severity Levels:"),
        ("2", long),
    ]


def test_larger_headings_need_not_be_bold(tmp_path: Path) -> None:
    story = [Paragraph("Calibration", TITLE), Paragraph("Purpose", LIGHT_H1)]
    story += [Paragraph(TEXT, BODY), Paragraph("Equipment", LIGHT_H1)]
    story += [Paragraph("Gauges", LIGHT_H2), Paragraph(TEXT, BODY)]
    story += [Paragraph("A bold sentence that closes the section.", HEADER_CELL)]
    document = read_document(_pdf(tmp_path / "qp-11.pdf", story))
    assert _headings(document) == [("1", "Purpose"), ("2", "Equipment"), ("2.1", "Gauges")]


def test_a_pdf_in_one_font_falls_back_to_numbered_lines(tmp_path: Path) -> None:
    story = [Paragraph("Supplier evaluation", BODY), Paragraph("1 Purpose", BODY)]
    story += [Paragraph(TEXT, BODY), Paragraph("2 Process", BODY)]
    story += [Paragraph("2.1 Approval", BODY), Paragraph(TEXT, BODY)]
    document = read_document(_pdf(tmp_path / "sp-04.pdf", story))
    assert _headings(document) == [("1", "Purpose"), ("2", "Process"), ("2.1", "Approval")]
