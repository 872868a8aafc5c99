"""Lists in PDFs as reportlab and word processors lay them out."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Table

from questions.documents.model import BlockKind
from questions.documents.reading import read_document

DUTIES = [
    "The Technical Manager owns this procedure, reviews CCP records weekly and decides on the "
    "disposition of product affected by a CCP failure.",
    "Line Leaders are responsible for recording CCP checks at the required frequency.",
    "QA Technicians are responsible for calibration checks of probe thermometers.",
]


def test_a_bullet_set_apart_from_its_text_starts_a_list_item_not_a_table(tmp_path: Path) -> None:
    styles = getSampleStyleSheet()
    bullets = [ListItem(Paragraph(text, styles["BodyText"])) for text in DUTIES]
    story = [
        Paragraph("Cooking temperature monitoring", styles["Title"]),
        Paragraph("1. Responsibilities", styles["Heading1"]),
        ListFlowable(bullets, bulletType="bullet"),
        Paragraph("2. Records", styles["Heading1"]),
        Paragraph("Records are kept for 2 years.", styles["BodyText"]),
    ]
    path = tmp_path / "ccp.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)

    responsibilities = read_document(path).sections[0]

    assert [b.kind for b in responsibilities.blocks] == [BlockKind.LIST_ITEM] * 3
    assert [b.text for b in responsibilities.blocks] == DUTIES


def test_a_list_item_wrapped_back_to_the_margin_is_one_item(tmp_path: Path) -> None:
    """As some converters lay out a list: the wrapped line starts under the marker."""
    path = tmp_path / "triage.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    lines = [
        ("Helvetica-Bold", 14, "1. Triage"),
        ("Helvetica", 10, "1. The Security Officer determines if the issue is an Event, "),
        ("Helvetica", 10, "Precursor,"),
        ("Helvetica", 10, "Indication, or Incident."),
        ("Helvetica", 10, "2. The Security Officer notifies the Privacy Officer within 1 hour."),
        ("Helvetica", 10, "3. The Privacy Officer records the incident in the incident log."),
        ("Helvetica-Bold", 14, "2. Records"),
        ("Helvetica", 10, "The incident log is kept for 3 years."),
    ]
    for at, (font, size, text) in enumerate(lines):
        page.setFont(font, size)
        page.drawString(72, 760 - 18 * at, text)
    page.save()

    triage = read_document(path).sections[0]

    assert [b.text for b in triage.blocks] == [
        "The Security Officer determines if the issue is an Event, Precursor, Indication, or "
        "Incident.",
        "The Security Officer notifies the Privacy Officer within 1 hour.",
        "The Privacy Officer records the incident in the incident log.",
    ]


def test_a_table_row_whose_role_wraps_onto_a_second_line_stays_one_row(tmp_path: Path) -> None:
    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    rows = [
        ("Role", "Responsibility"),
        (
            "Quality Engineering Manager",
            "Owner of this instruction; approves FAI reports and production release; decides "
            "whether a full or partial FAI is required.",
        ),
        ("Quality Engineer", "Prepares the ballooned drawing and the FAI forms."),
        ("CMM Programmer / Inspector", "Measures the first article and records the results."),
        ("Purchasing", "Obtains material certificates from suppliers."),
    ]
    grid = Table(
        [[Paragraph(a, cell), Paragraph(b, cell)] for a, b in rows],
        colWidths=[110, 340],
        style=[("GRID", (0, 0), (-1, -1), 0.5, "grey")],
    )
    story = [
        Paragraph("First article inspection", styles["Title"]),
        Paragraph("1. Responsibilities", styles["Heading1"]),
        grid,
        Paragraph("2. Records", styles["Heading1"]),
        Paragraph("Records are kept for 2 years.", styles["BodyText"]),
    ]
    path = tmp_path / "fai.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)

    table = read_document(path).sections[0].blocks[0]

    assert [row[0] for row in table.rows] == [row[0] for row in rows]


def test_a_band_naming_the_kind_of_document_is_not_its_title(tmp_path: Path) -> None:
    styles = getSampleStyleSheet()
    story = [
        Paragraph("STANDARD OPERATING PROCEDURE", styles["Heading2"]),
        Paragraph("Stock Rotation and Quarantine Control", styles["Title"]),
        Paragraph("1. Purpose", styles["Heading1"]),
        Paragraph("Stock is rotated first expired, first out.", styles["BodyText"]),
        Paragraph("2. Records", styles["Heading1"]),
        Paragraph("Hold labels are kept for 2 years.", styles["BodyText"]),
    ]
    path = tmp_path / "sop.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)

    assert read_document(path).title == "Stock Rotation and Quarantine Control"
