from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from questions.documents.model import DocumentError
from questions.documents.reading import read_document
from tests.questions.documents.builders import build_pdf


def _reason(path: Path) -> str:
    with pytest.raises(DocumentError) as raised:
        read_document(path)
    assert raised.value.source == path.name
    assert str(raised.value).startswith(f"{path.name}: ")
    return raised.value.reason


def test_an_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "qp-08.txt"
    path.write_text("1 Purpose")

    assert "can be imported as Markdown (.md), Word (.docx) or PDF (.pdf)" in _reason(path)


def test_an_old_word_file(tmp_path: Path) -> None:
    path = tmp_path / "qp-08.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0")

    assert "save it as .docx" in _reason(path)


def test_a_file_that_is_not_there(tmp_path: Path) -> None:
    assert "was not found" in _reason(tmp_path / "gone.md")


def test_a_damaged_word_file(tmp_path: Path) -> None:
    path = tmp_path / "qp-08.docx"
    path.write_bytes(b"PK\x03\x04 this zip stops here")

    assert "not a Word document that can be opened" in _reason(path)


def test_a_damaged_pdf(tmp_path: Path) -> None:
    path = tmp_path / "sp-04.pdf"
    path.write_bytes(b"%PDF-1.4\n garbage without objects")

    assert "not a PDF that can be read" in _reason(path)


def test_a_password_protected_pdf(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(build_pdf(tmp_path)))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as file:
        writer.write(file)

    assert "password-protected" in _reason(path)


def test_a_scanned_pdf_without_text(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    canvas = Canvas(str(path))
    canvas.rect(50, 50, 400, 600, fill=1)
    canvas.save()

    assert "no text to read, only images" in _reason(path)


def test_an_empty_markdown_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_text("\n\n<!-- nothing yet -->\n")

    assert "is empty" in _reason(path)


def test_an_empty_word_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))

    assert "is empty" in _reason(path)


def test_a_document_without_headings(tmp_path: Path) -> None:
    path = tmp_path / "memo.md"
    path.write_text("Staff shall wear gloves.\n\nGloves are kept in the stores.\n")

    assert "has no section headings" in _reason(path)


def test_a_title_alone_is_no_section(tmp_path: Path) -> None:
    path = tmp_path / "memo.docx"
    document = docx.Document()
    document.add_heading("Glove policy", 0)
    document.add_paragraph("Staff shall wear gloves.")
    document.save(str(path))

    assert "has no section headings" in _reason(path)


def test_markdown_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "qp-08.md"
    path.write_bytes("# Contrôle\n\n## 1 But\n\nTexte.\n".encode("latin-1"))

    assert "is not UTF-8 text" in _reason(path)


def test_front_matter_that_is_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "qp-08.md"
    path.write_text("---\nid: [QP-08\n---\n\n# Title\n\n## 1 Purpose\n\nText.\n")

    assert "front matter" in _reason(path) and "not valid YAML" in _reason(path)
