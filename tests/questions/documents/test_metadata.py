from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, SimpleDocTemplate
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from questions.documents.metadata import latest_revision
from questions.documents.reading import read_document

SECTIONS = "## 1 Purpose\n\nThis procedure keeps gauges accurate.\n"


def _read_markdown(tmp_path: Path, top: str) -> tuple[str, str, str, str | None, str | None]:
    path = tmp_path / "doc.md"
    path.write_text(f"{top}\n\n{SECTIONS}", encoding="utf-8")
    document = read_document(path)
    return (
        document.original_id,
        document.title,
        document.revision,
        document.owner,
        document.owner_slack_id,
    )


@pytest.mark.parametrize(
    ("title_block", "original_id", "revision"),
    [
        ("Document No: QP-08\nRev. 4", "QP-08", "4"),
        ("Document No.: QP 08   Revision: C", "QP 08", "C"),
        ("Doc. No. SOP_12.3\nIssue 3\nIssue date: 2024-03-01", "SOP_12.3", "3"),
        ("Document number: CSC PR.016 | Version: 2.0.1", "CSC PR.016", "2.0.1"),
        # Several labels on one line, ended by separators, wide gaps or labels not ours.
        (
            "**Ref:** ISMS-STD-05 · **Version:** 2.1 · **Classification:** Internal",
            "ISMS-STD-05",
            "2.1",
        ),
        ("Document: QP-19    Issue: C    Date: 03 June 2024    Page 1 of 1", "QP-19", "C"),
        ("Doc ID: OPS/SOP/12 Version: 3.2 Effective: 2024-05-01", "OPS/SOP/12", "3.2"),
    ],
)
def test_a_title_block_gives_id_and_revision(
    tmp_path: Path, title_block: str, original_id: str, revision: str
) -> None:
    found = _read_markdown(tmp_path, f"# Calibration\n\n{title_block}")

    assert found[:3] == (original_id, "Calibration", revision)


def test_a_front_matter_document_key_is_the_id_and_a_named_document_is_not(
    tmp_path: Path,
) -> None:
    keyed = _read_markdown(tmp_path, "---\ndocument: QP-08\nrevision: 3\n---\n# Calibration")
    named = _read_markdown(tmp_path, "# Calibration\n\nDocument: Quality Manual\nRev. 2")

    assert keyed[:3] == ("QP-08", "Calibration", "3")
    assert named[:3] == ("", "Calibration", "2")


def test_a_header_table_of_two_label_and_value_pairs_a_row(tmp_path: Path) -> None:
    header = (
        "| Document No. | HSE-PR-007 | Rev. | 04 |\n|---|---|---|---|\n"
        "| Owner | HSE Manager | Approved by | Site Director |"
    )
    found = _read_markdown(tmp_path, f"# Permit to Work\n\n{header}")

    assert found[:4] == ("HSE-PR-007", "Permit to Work", "04", "HSE Manager")


def test_a_date_of_issue_is_not_the_issue(tmp_path: Path) -> None:
    found = _read_markdown(
        tmp_path, "# Complaints\n\nRef: CSC PR.031 Issue: 7 Date of issue: 01 July 2024"
    )

    assert found[:3] == ("CSC PR.031", "Complaints", "7")


def test_a_title_starting_with_the_id_is_the_title_alone(tmp_path: Path) -> None:
    found = _read_markdown(tmp_path, "# HR-PR-03 Training and Awareness\n\nIssue: C")

    assert found[:3] == ("HR-PR-03", "Training and Awareness", "C")


def test_a_company_name_heading_above_the_title_is_not_the_title(tmp_path: Path) -> None:
    found = _read_markdown(
        tmp_path,
        "# Northbridge Packaging Ltd\n\n# Control of Contractors\n\nRef: HS-SOP-12\n\nIssue: 3",
    )

    assert found[:3] == ("HS-SOP-12", "Control of Contractors", "3")


def test_a_title_block_line_naming_revisions_in_prose_is_not_a_revision(tmp_path: Path) -> None:
    found = _read_markdown(tmp_path, "# Calibration\n\nThis revision replaces the paper forms.")

    assert found[2] == ""


@pytest.mark.parametrize(
    ("owner_line", "owner", "slack_id"),
    [
        ("Owner: Quality Manager <@U012ABCDEF>", "Quality Manager", "U012ABCDEF"),
        ("Owner: Quality Manager (Slack: U012ABCDEF)", "Quality Manager", "U012ABCDEF"),
        ("Process owner: Metrology Lead", "Metrology Lead", None),
        ("Owner: <enter role of process owner>", None, None),
    ],
)
def test_the_owner_and_slack_user(
    tmp_path: Path, owner_line: str, owner: str | None, slack_id: str | None
) -> None:
    found = _read_markdown(tmp_path, f"# Calibration\n\n{owner_line}")

    assert found[3:] == (owner, slack_id)


def test_front_matter_wins_over_the_title_block(tmp_path: Path) -> None:
    top = '---\ndoc_id: QP-11\ntitle: Gauges\nversion: "2.10"\n---\n\n# Calibration\n\nRev. 9'

    assert _read_markdown(tmp_path, top)[:3] == ("QP-11", "Gauges", "2.10")


def test_a_header_table_under_a_heading_of_its_own(tmp_path: Path) -> None:
    top = (
        "# Calibration\n\n## General\n\n| | |\n|---|---|\n| **Document ID** | CSC PR.010 |\n"
        "| **Document Version** | 2.0.1 |\n| **Author** | |\n| Owner | Metrology Lead |"
    )
    path = tmp_path / "doc.md"
    path.write_text(f"{top}\n\n{SECTIONS}", encoding="utf-8")

    document = read_document(path)

    assert (document.id, document.revision, document.owner) == (
        "CSC-PR-010",
        "2.0.1",
        "Metrology Lead",
    )
    assert [s.heading for s in document.sections] == ["Purpose"]


@pytest.mark.parametrize(
    ("rows", "revision"),
    [
        (
            (
                ("Revision", "Date", "Description"),
                ("A", "2023-01-10", "x"),
                ("B", "2024-01-10", "y"),
            ),
            "B",
        ),
        ((("Issue", "Date", "Change"), ("3", "12/05/2024", "y"), ("2", "01/02/2023", "x")), "3"),
        ((("Rev.", "Date", "Change"), ("1", "March 2022", "x"), ("2", "June 2023", "y")), "2"),
        ((("Version", "Change"), ("1.0", "x"), ("1.1", "y"), ("", "")), "1.1"),
        ((("Version", "Date"),), ""),
        ((("Date", "Change"), ("2024-01-01", "x")), ""),
    ],
)
def test_the_latest_revision_in_a_history(rows: tuple[tuple[str, ...], ...], revision: str) -> None:
    assert latest_revision(rows) == revision


def test_word_document_properties(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Supplier evaluation"
    document.core_properties.keywords = "purchasing, SP 04"
    document.core_properties.version = "2"
    document.add_heading("Purpose", 1)
    document.add_paragraph("Choose suppliers well.")
    path = tmp_path / "sp.docx"
    document.save(str(path))

    read = read_document(path)

    assert (read.id, read.title, read.revision) == ("SP-04", "Supplier evaluation", "2")


def test_a_word_subject_naming_the_issue_is_not_the_id(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "HS-PR-17 Working at Height"
    document.core_properties.subject = "Issue 3"
    table = document.add_table(rows=1, cols=4)
    header = ["Document ref:", "HS-PR-17", "Issue:", "Issue 3"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    document.add_heading("Purpose", 1)
    document.add_paragraph("Work at height is planned and supervised.")
    path = tmp_path / "hs.docx"
    document.save(str(path))

    read = read_document(path)

    assert (read.id, read.title, read.revision) == ("HS-PR-17", "Working at Height", "3")


@pytest.mark.parametrize("heading", ["ISSUE RECORD", "Record of changes", "Amendment record"])
def test_a_revision_table_under_another_name_gives_the_revision_and_no_section(
    tmp_path: Path, heading: str
) -> None:
    path = tmp_path / "qp-19.md"
    path.write_text(
        f"# QP-19 Supplier evaluation\n\n{SECTIONS}\n## {heading}\n\n"
        "| Issue | Date | Change |\n|---|---|---|\n| A | 2019-02-01 | First issue |\n"
        "| B | 2022-05-10 | Scoring weightings revised |\n",
        encoding="utf-8",
    )
    document = read_document(path)

    assert document.revision == "B"
    assert [s.heading for s in document.sections] == ["Purpose"]


def test_a_header_table_of_labels_over_values_is_read_by_column(tmp_path: Path) -> None:
    top = (
        "# Control of Customer-Supplied Property\n\n"
        "| Document No. | Title | Revision | Owner |\n|---|---|---|---|\n"
        "| QA-PR-018 | Control of Customer-Supplied Property | 3 | Quality Manager |"
    )

    original_id, title, revision, owner, _ = _read_markdown(tmp_path, top)

    assert (original_id, revision, owner) == ("QA-PR-018", "3", "Quality Manager")
    assert title == "Control of Customer-Supplied Property"


def _pdf_with_running_lines(path: Path, title: str, header: str, footer: str) -> Path:
    styles = getSampleStyleSheet()

    def margins(canvas: Any, _document: Any) -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(40, A4[1] - 30, header)
        canvas.drawString(40, 20, footer)

    story = [
        PdfParagraph(title, styles["Title"]),
        PdfParagraph("Revision Record", styles["Heading1"]),
        PdfTable([["Rev", "Date", "Change"], ["A", "14 Feb 2020", "Initial issue"]]),
        PdfParagraph("1.0 Purpose", styles["Heading1"]),
        PdfParagraph("This procedure keeps gauges accurate.", styles["BodyText"]),
        PageBreak(),
        PdfParagraph("2.0 Scope", styles["Heading1"]),
        PdfParagraph("All gauges used for product acceptance.", styles["BodyText"]),
    ]
    SimpleDocTemplate(str(path), pagesize=A4).build(
        story, onFirstPage=margins, onLaterPages=margins
    )
    return path


def test_a_pdf_printing_its_id_only_in_the_running_header_and_owner_in_the_footer(
    tmp_path: Path,
) -> None:
    title = "CCP Monitoring Procedure – Cooking (CCP 2) and Metal Detection (CCP 4)"
    path = _pdf_with_running_lines(
        tmp_path / "fs.pdf",
        title,
        "FS/CCP/02 Issue 6    Hollybrook Foods Ltd",
        "Owner: Technical Manager  |  Printed copies are uncontrolled",
    )

    document = read_document(path)

    assert (document.original_id, document.revision) == ("FS/CCP/02", "6")
    assert document.owner == "Technical Manager"
    # The title wraps onto a second line, and a revision record before the first section is
    # neither the title nor a section.
    assert document.title == title
    assert [s.heading for s in document.sections] == ["Purpose", "Scope"]


def test_a_word_footer_gives_the_id_and_issue(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Lockout and tagout", 0)
    document.add_heading("Purpose", 1)
    document.add_paragraph("Keep people away from stored energy.")
    document.sections[0].footer.paragraphs[0].text = "HSE SOP 07 Issue 3 – Uncontrolled if printed"
    path = tmp_path / "loto.docx"
    document.save(str(path))

    read = read_document(path)

    assert (read.original_id, read.id, read.revision) == ("HSE SOP 07", "HSE-SOP-07", "3")


def test_an_id_given_only_in_a_closing_document_control_table(tmp_path: Path) -> None:
    path = tmp_path / "backup.md"
    path.write_text(
        f"# Backup and Restore Procedure\n\n{SECTIONS}\n## 9 Document control\n\n"
        "| Document ID | Version | Date | Summary of change |\n|---|---|---|---|\n"
        "| IT.POL.22 | 2.1 | 08/11/2022 | Control numbering updated |\n"
        "| IT.POL.22 | 3.0 | 22/07/2024 | Immutable copies |\n",
        encoding="utf-8",
    )

    document = read_document(path)

    assert (document.original_id, document.id, document.revision) == (
        "IT.POL.22",
        "IT-POL-22",
        "3.0",
    )


def test_a_title_block_over_two_lines_keeps_the_owner_whole(tmp_path: Path) -> None:
    top = (
        "# Returned Goods Handling\n\nDoc No: QA-PR-031   Rev: 4   Owner: Quality Manager  \n"
        "Effective date: 15 April 2024   Approved by: J. Okafor, Operations Director"
    )

    original_id, _, revision, owner, _ = _read_markdown(tmp_path, top)

    assert (original_id, revision, owner) == ("QA-PR-031", "4", "Quality Manager")


@pytest.mark.parametrize(
    ("line", "revision"),
    [
        ("Document No: QMS-PR-08   Revision: Rev. C", "C"),
        ("| Document No. | QMS-PR-08 |\n|---|---|\n| Issue / Revision | Issue 3 / Rev. 04 |", "04"),
        ("Document No: QMS-PR-08   Revision: Issue 4", "4"),
    ],
)
def test_a_revision_is_given_without_its_word(tmp_path: Path, line: str, revision: str) -> None:
    found = _read_markdown(tmp_path, f"# Calibration\n\n{line}")

    assert found[2] == revision


def test_a_company_heading_over_the_title_over_numbered_sections(tmp_path: Path) -> None:
    top = (
        "# Harwell Precision Components Ltd\n\n## Supplier Evaluation\n\n"
        "| Document No. | QP-PUR-04 | Revision | 3 |\n|---|---|---|---|\n"
        "| Owner | Purchasing Manager | Approved by | Operations Director |"
    )
    path = tmp_path / "doc.md"
    path.write_text(f"{top}\n\n## 1. Purpose\n\nBuy well.\n\n## 2. Scope\n\nAll buying.\n")

    document = read_document(path)

    assert (document.title, document.original_id, document.revision) == (
        "Supplier Evaluation",
        "QP-PUR-04",
        "3",
    )
    assert [(s.number, s.heading) for s in document.sections] == [("1", "Purpose"), ("2", "Scope")]


def test_a_footer_naming_the_current_issue_gives_no_revision(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Allergen control", 0)
    document.add_heading("Purpose", 1)
    document.add_paragraph("Keep allergens apart.")
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = "UNCONTROLLED WHEN PRINTED – check the intranet for the current issue Page 1"
    path = tmp_path / "allergen.docx"
    document.save(str(path))

    assert read_document(path).revision == ""
