"""PDF procedures, through pypdf's layout text and fonts: headings, lists and tables guessed.

pypdf gives text, not structure, so this reads it the way a person skims a page. Where the
fonts tell lines apart, a heading is a short line set larger than the body text or in bold,
outside a table cell, its level given by its size (see `pdf_fonts`); where every line looks
the same, a line that starts with a section number and is short is a heading ("4.2
Responsibilities"), as is a short capitalised line without a full stop at the left margin. A
line starting with a marker is a list item; two or more lines cut into columns by wide gaps,
or lines in ruled cells, are a table. Lines repeated at the top or bottom of every page
(running headers, footers) and "Page 2 of 5" are dropped. The first line of the first page is
the title.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pypdf import PageObject, PdfReader

from questions.documents.labels import KIND_OF_DOCUMENT
from questions.documents.model import DocumentError
from questions.documents.parsed import ParsedDocument
from questions.documents.pdf_fonts import line_fonts
from questions.documents.pdf_lines import Line, read_lines

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.IGNORECASE)
_TITLE_SEARCH = 5
_TITLE_LENGTH = 120
_WRAPPED_TITLE = 40  # characters: a title line this long may have wrapped
_OPEN_ENDED = re.compile(r"(?:\b(?:and|or|of|for|the|to|in|on|a|an|with)|[-–—,&:])$", re.I)
_RUNNING = 3  # lines at the top and bottom of a page that may be a running header or footer


def read_pdf(path: Path) -> ParsedDocument:
    pages = _page_lines(path)
    if not any(line.text.strip() for page in pages for line in page):
        raise DocumentError(
            path.name,
            "has no text to read, only images (a scan?): export the PDF from the original "
            "document, or import the Word or Markdown original instead",
        )
    lines, margins = _without_running_lines(pages)
    title, lines = _take_title(lines)
    return ParsedDocument(items=tuple(read_lines(lines)), title=title, margins=margins)


def _page_lines(path: Path) -> list[list[Line]]:
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not _opened_without_password(reader):
            raise DocumentError(
                path.name,
                "is password-protected: save a copy without a password and import that",
            )
        return [_lines(page, number) for number, page in enumerate(reader.pages, 1)]
    except DocumentError:
        raise
    except Exception:  # pypdf raises many kinds of errors for a damaged file
        raise DocumentError(
            path.name,
            "is not a PDF that can be read (the file is damaged or is not really a PDF): "
            "export it again from the original document",
        ) from None


def _lines(page: PageObject, number: int) -> list[Line]:
    texts = (page.extract_text(extraction_mode="layout") or "").split("\n")
    try:
        fonts = line_fonts(page, texts)
    except Exception:  # fonts only sharpen the reading; the text alone still reads
        fonts = [None] * len(texts)
    return [Line(text.rstrip(), number, font) for text, font in zip(texts, fonts, strict=True)]


def _opened_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an encryption pypdf cannot undo without extra packages
        return False


def _without_running_lines(pages: list[list[Line]]) -> tuple[list[Line], tuple[str, ...]]:
    """Every page's lines, with their page, less running headers, footers and page numbers;
    and the running lines' text as the first page prints them."""
    trimmed = [_trim_blank(page) for page in pages]
    running = _running_lines(trimmed)
    lines: list[Line] = []
    margins: dict[str, str] = {}
    for page in trimmed:
        for at, line in enumerate(page):
            edge = at < _RUNNING or at >= len(page) - _RUNNING
            if edge and (_key(line.text) in running or _PAGE_NUMBER.match(line.text)):
                margins.setdefault(_key(line.text), " ".join(line.text.split()))
                continue
            lines.append(line)
    return lines, tuple(text for text in margins.values() if not _PAGE_NUMBER.match(text))


def _trim_blank(page: list[Line]) -> list[Line]:
    while page and not page[0].text.strip():
        page = page[1:]
    while page and not page[-1].text.strip():
        page = page[:-1]
    return page


def _running_lines(pages: list[list[Line]]) -> set[str]:
    """Lines found at the edge of every page, numbers aside ("QP-08 Rev 4 Page 2")."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for page in pages:
        edges = {
            _key(line.text) for line in page[:_RUNNING] + page[-_RUNNING:] if line.text.strip()
        }
        seen.update(edges)
    return {key for key, count in seen.items() if count == len(pages)}


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()))


def _take_title(lines: list[Line]) -> tuple[str, list[Line]]:
    """The first line that is not a labelled title-block line ("Rev: 2"), among the first few."""
    texts = [i for i, line in enumerate(lines) if line.text.strip()][:_TITLE_SEARCH]
    for at in texts:
        text = " ".join(lines[at].text.split())
        if ":" in text or KIND_OF_DOCUMENT.match(text):
            continue
        if len(text) > _TITLE_LENGTH or re.match(r"^\d", text):
            return "", lines
        end = _title_end(lines, at)
        title = " ".join(" ".join(line.text.split()) for line in lines[at:end])
        return title, lines[:at] + lines[end:]
    return "", lines


def _title_end(lines: list[Line], at: int) -> int:
    """Past the title's last line: a long title wraps onto lines set in the same font. A short
    line did not wrap, so a heading in the title's font after it ("Revision Record") is not
    the title's second line."""
    end = at + 1
    while end < len(lines) and end - at < 3 and _wraps_onto(lines[end - 1], lines[end]):
        end += 1
    return end


def _wraps_onto(line: Line, following: Line) -> bool:
    text, next_text = " ".join(line.text.split()), " ".join(following.text.split())
    return (
        line.font is not None
        and following.font == line.font
        and following.page == line.page
        and bool(next_text)
        and not next_text[0].isdigit()
        and (len(text) >= _WRAPPED_TITLE or bool(_OPEN_ENDED.search(text)))
    )
