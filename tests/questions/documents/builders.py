"""Build procedure documents for tests: the sample procedures laid out as Markdown, Word, PDF.

`build_markdown`, `build_markdown_front_matter`, `build_docx`, `build_docx_properties`,
`build_pdf` each write one file under `folder` and return its path; the matching
`sample_procedures` constant says what a reader should find in it (`expected_sections`, id,
title, revision, owner). `write_markdown`, `write_docx` and `write_pdf` take the layout as
options, for tests that need another mix.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import nsmap, qn
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from tests.questions.documents.sample_procedures import (
    CALIBRATION,
    INTERNAL_AUDIT,
    NONCONFORMING,
    SUPPLIER_EVALUATION,
    Content,
    Paragraph,
    SampleProcedure,
    SampleSection,
    Steps,
    Table,
)

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def build_markdown(folder: Path) -> Path:
    """NONCONFORMING: numbered headings, a title block, the history at the end."""
    return write_markdown(NONCONFORMING, folder / "qp-08.md", title_block=True)


def build_markdown_front_matter(folder: Path) -> Path:
    """CALIBRATION: front matter, unnumbered headings, the steps as a table."""
    return write_markdown(CALIBRATION, folder / "qp-11.md", numbered=False, front_matter=True)


def build_docx(folder: Path) -> Path:
    """INTERNAL_AUDIT: Word heading styles without numbers, a header table, list styles."""
    return write_docx(INTERNAL_AUDIT, folder / "qp-14.docx", header_table=True)


def build_docx_properties(folder: Path) -> Path:
    """NONCONFORMING: numbered Word headings; id, title and revision only in the properties."""
    return write_docx(NONCONFORMING, folder / "qp-08.docx", numbered=True, properties=True)


def build_pdf(folder: Path) -> Path:
    """SUPPLIER_EVALUATION: numbered headings, a title block, section 4 on page 2."""
    return write_pdf(SUPPLIER_EVALUATION, folder / "sp-04.pdf", page_break_before="4")


def markers(steps: Steps) -> list[str]:
    if steps.marker == "1":
        return [str(n) for n in range(1, len(steps.items) + 1)]
    if steps.marker == "a":
        return list(_LETTERS[: len(steps.items)])
    return ["•"] * len(steps.items)


def heading_text(section: SampleSection, numbered: bool) -> str:
    return f"{section.number} {section.heading}" if numbered else section.heading


def owner_with_slack(procedure: SampleProcedure) -> str:
    slack = f" <@{procedure.owner_slack_id}>" if procedure.owner_slack_id else ""
    return procedure.owner + slack


def header_rows(procedure: SampleProcedure) -> list[tuple[str, str]]:
    return [
        ("Document ID", procedure.written_id),
        ("Title", procedure.title),
        ("Document Version", procedure.revision),
        ("Owner", owner_with_slack(procedure)),
        ("Approved by", "Managing Director"),
    ]


# Markdown


def write_markdown(
    procedure: SampleProcedure,
    path: Path,
    *,
    numbered: bool = True,
    front_matter: bool = False,
    title_block: bool = False,
    header_table: bool = False,
) -> Path:
    lines: list[str] = []
    if front_matter:
        lines += ["---", f"id: {procedure.written_id}", f"title: {procedure.title}"]
        lines += [f'revision: "{procedure.revision}"', f'owner: "{owner_with_slack(procedure)}"']
        lines += ["---", ""]
    lines += [f"# {procedure.title}", ""]
    if title_block:
        lines += [f"Document No: {procedure.written_id}", f"Revision: {procedure.revision}"]
        lines += [f"Owner: {owner_with_slack(procedure)}", ""]
    if header_table:
        lines += [*_md_table([("", ""), *header_rows(procedure)]), ""]
    for section in procedure.sections:
        lines += ["#" * (section.level + 1) + " " + heading_text(section, numbered), ""]
        for content in section.content:
            lines += [*_md_content(content), ""]
    lines += ["## Revision history", "", *_md_table(procedure.history), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _md_content(content: Content) -> list[str]:
    if isinstance(content, Paragraph):
        return [content.text]
    if isinstance(content, Table):
        return _md_table(content.rows)
    if content.marker == "•":
        return [f"- {item}" for item in content.items]
    ending = "." if content.marker == "1" else ")"
    return [f"{m}{ending} {item}" for m, item in zip(markers(content), content.items, strict=True)]


def _md_table(rows: Any) -> list[str]:
    header, *body = rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in body]


# Word


def write_docx(
    procedure: SampleProcedure,
    path: Path,
    *,
    numbered: bool = False,
    header_table: bool = False,
    title_block: bool = False,
    properties: bool = False,
) -> Path:
    document = docx.Document()
    document.add_heading(procedure.title, 0)
    if properties:
        core = document.core_properties
        core.title, core.identifier, core.version = (
            procedure.title,
            procedure.written_id,
            procedure.revision,
        )
    if title_block:
        document.add_paragraph(f"Document No: {procedure.written_id}")
        document.add_paragraph(f"Rev. {procedure.revision}")
    if header_table:
        _docx_table(document, header_rows(procedure))
    for section in procedure.sections:
        document.add_heading(heading_text(section, numbered), section.level)
        for content in section.content:
            _docx_content(document, content)
    document.add_heading("Revision history", 1)
    _docx_table(document, procedure.history)
    document.save(str(path))
    return path


def _docx_content(document: Any, content: Content) -> None:
    if isinstance(content, Paragraph):
        document.add_paragraph(content.text)
    elif isinstance(content, Table):
        _docx_table(document, content.rows)
    elif content.marker == "•":
        for item in content.items:
            document.add_paragraph(item, style="List Bullet")
    else:
        num_id = _new_word_list(document, "decimal" if content.marker == "1" else "lowerLetter")
        for item in content.items:
            paragraph = document.add_paragraph(item, style="List Number")
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id


def _new_word_list(document: Any, number_format: str) -> int:
    """A Word list of its own, so that each list in the document starts again at 1 (or a)."""
    numbering = document.part.numbering_part.element
    template = numbering.xpath('./w:num[@w:numId="5"]/w:abstractNumId/@w:val')[0]
    abstract = copy.deepcopy(numbering.xpath(f'./w:abstractNum[@w:abstractNumId="{template}"]')[0])
    abstract_ids = [int(v) for v in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    abstract_id = max(abstract_ids) + 1
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    abstract.xpath("./w:lvl/w:numFmt", namespaces=nsmap)[0].set(qn("w:val"), number_format)
    for child in abstract.xpath("./w:nsid | ./w:tmpl | ./w:lvl/w:pStyle", namespaces=nsmap):
        child.getparent().remove(child)
    numbering.insert(len(numbering.xpath("./w:abstractNum")), abstract)
    num = numbering.add_num(abstract_id)
    return int(num.numId)


def _docx_table(document: Any, rows: Any) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


# PDF


def write_pdf(
    procedure: SampleProcedure,
    path: Path,
    *,
    numbered: bool = True,
    title_block: bool = True,
    header_table: bool = False,
    page_break_before: str | None = None,
) -> Path:
    styles = getSampleStyleSheet()
    story: list[Any] = [PdfParagraph(procedure.title, styles["Title"])]
    if title_block:
        story += [PdfParagraph(f"Document No: {procedure.written_id}", styles["Normal"])]
        story += [PdfParagraph(f"Rev. {procedure.revision}", styles["Normal"])]
        story += [PdfParagraph(f"Owner: {procedure.owner}", styles["Normal"]), Spacer(1, 12)]
    if header_table:
        story += [_pdf_table(header_rows(procedure))]
    for section in procedure.sections:
        if section.number == page_break_before:
            story.append(PageBreak())
        style = styles["Heading1" if section.level == 1 else "Heading2"]
        story.append(PdfParagraph(heading_text(section, numbered), style))
        for content in section.content:
            story += _pdf_content(content, styles["BodyText"])
    story += [PdfParagraph("Revision history", styles["Heading1"]), _pdf_table(procedure.history)]
    SimpleDocTemplate(str(path), pagesize=A4, title=procedure.title).build(story)
    return path


def _pdf_content(content: Content, body: ParagraphStyle) -> list[Any]:
    if isinstance(content, Paragraph):
        return [PdfParagraph(content.text, body)]
    if isinstance(content, Table):
        return [_pdf_table(content.rows), Spacer(1, 6)]
    item = ParagraphStyle("item", parent=body, leftIndent=18)
    ending = "" if content.marker == "•" else "."
    return [
        PdfParagraph(f"{marker}{ending} {text}", item)
        for marker, text in zip(markers(content), content.items, strict=True)
    ]


def _pdf_table(rows: Any) -> PdfTable:
    table = PdfTable([list(row) for row in rows], hAlign="LEFT")
    table.setStyle([("GRID", (0, 0), (-1, -1), 0.5, "grey"), ("FONTSIZE", (0, 0), (-1, -1), 9)])
    return table
