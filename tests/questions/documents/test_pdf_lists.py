"""Lists in PDFs as reportlab and word processors lay them out."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate

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
