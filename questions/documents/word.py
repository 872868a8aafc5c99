"""Word (.docx) procedures, through python-docx: heading styles, list numbering, tables.

A paragraph in a "Heading N" style, or a style based on one, is a heading; the "Title" style
is the title. A list paragraph's marker is what Word shows: its number, letter or bullet,
counted per Word list. Page-header paragraphs come first, as the title block (paragraph 0).
Of the document properties, Word's own "revision" is left out: it counts saves, not issues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import nsmap
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from questions.documents.ids import normalise_procedure_id
from questions.documents.model import Block, BlockKind, DocumentError, Location
from questions.documents.parsed import Heading, Item, ParsedDocument

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list\s+(number|bullet|paragraph)(?:\s+(\d))?$", re.IGNORECASE)
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip


def read_word(path: Path) -> ParsedDocument:
    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises zip, XML and key errors alike for a broken file
        raise DocumentError(
            path.name,
            "is not a Word document that can be opened (the file is damaged or is not really "
            ".docx): open it in Word, save it again as .docx and import that",
        ) from None
    reader = _WordReader(document)
    items = [*reader.page_header(), *reader.body()]
    return ParsedDocument(
        items=tuple(items),
        title=reader.title,
        properties=_properties(document),
        margins=_footers(document),
    )


@dataclass
class _WordReader:
    document: Any
    paragraph: int = 0
    title: str = ""
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    def page_header(self) -> list[Item]:
        header = self.document.sections[0].header if self.document.sections else None
        if header is None or header.is_linked_to_previous:
            return []
        texts = [_text(p.text) for p in header.paragraphs]
        texts += [" | ".join(_row(row)) for table in header.tables for row in table.rows]
        return [Block(BlockKind.PARAGRAPH, t, Location(0)) for t in texts if t]

    def body(self) -> list[Item]:
        items: list[Item] = []
        for part in self.document.iter_inner_content():
            item = self._table(part) if isinstance(part, Table) else self._paragraph(part)
            if item is not None:
                items.append(item)
        return items

    def _next(self) -> Location:
        self.paragraph += 1
        return Location(self.paragraph)

    def _table(self, table: Table) -> Block | None:
        rows = tuple(row for row in (_row(r) for r in table.rows) if any(row))
        if not rows:
            return None
        text = "\n".join(" | ".join(row) for row in rows)
        return Block(BlockKind.TABLE, text, self._next(), rows=rows)

    def _paragraph(self, paragraph: Paragraph) -> Item | None:
        text = _text(paragraph.text)
        if not text:
            return None
        level = _heading_level(paragraph)
        if level == 0 and not self.title:
            self.title = text
            self._next()  # the title is a paragraph of the document, though not a block
            return None
        if level is not None and level > 0:
            return Heading(text, level, self._next())
        listed = self._list_marker(paragraph)
        if listed is None:
            return Block(BlockKind.PARAGRAPH, text, self._next())
        marker, depth = listed
        return Block(BlockKind.LIST_ITEM, text, self._next(), marker=marker, depth=depth)

    def _list_marker(self, paragraph: Paragraph) -> tuple[str, int] | None:
        style_name = paragraph.style.name if paragraph.style is not None else ""
        by_style = _LIST_STYLE.match(style_name)
        num_id, level = _numbering(paragraph)
        if num_id is None or num_id == "0":
            if by_style is None:
                return None
            return ("•" if by_style[1].lower() == "bullet" else "", int(by_style[2] or 1) - 1)
        if level is None:
            level = int(by_style[2]) - 1 if by_style and by_style[2] else 0
        return self._count(num_id, level), level

    def _count(self, num_id: str, level: int) -> str:
        kind, start = _list_format(self.document, num_id, level)
        for key in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[key]
        count = self.counters.get((num_id, level), start - 1) + 1
        self.counters[(num_id, level)] = count
        return _marker(kind, count)


def _footers(document: Any) -> tuple[str, ...]:
    """The first section's page footers, first page's included, where an id may be printed."""
    if not document.sections:
        return ()
    section = document.sections[0]
    texts: list[str] = []
    for footer in (section.first_page_footer, section.footer):
        if footer.is_linked_to_previous:
            continue
        texts += [_text(p.text) for p in footer.paragraphs]
        texts += [" | ".join(_row(row)) for table in footer.tables for row in table.rows]
    return tuple(text for text in texts if text)


def _text(text: str) -> str:
    return " ".join(text.split())


def _row(row: Any) -> tuple[str, ...]:
    cells: list[str] = []
    seen: list[object] = []
    for cell in row.cells:
        if any(cell._tc is other for other in seen):  # a merged cell repeats itself
            continue
        seen.append(cell._tc)
        cells.append(_text(" ".join(p.text for p in cell.paragraphs)))
    return tuple(cells)


def _heading_level(paragraph: Paragraph) -> int | None:
    """1 for "Heading 1", 0 for "Title", None for a paragraph that is neither."""
    style = paragraph.style
    while style is not None:
        if style.name == "Title":
            return 0
        if match := _HEADING_STYLE.match(style.name or ""):
            return int(match[1])
        style = style.base_style
    return None


def _numbering(paragraph: Paragraph) -> tuple[str | None, int | None]:
    """The Word list and level a paragraph belongs to, from its own or its style's settings."""
    for properties in (paragraph._p.pPr, _style_properties(paragraph)):
        num_pr: Any = properties.numPr if properties is not None else None
        if num_pr is not None and num_pr.numId is not None:
            level = num_pr.ilvl.val if num_pr.ilvl is not None else None
            return str(num_pr.numId.val), level
    return None, None


def _style_properties(paragraph: Paragraph) -> Any:
    style = paragraph.style
    while style is not None:
        if style.element.pPr is not None and style.element.pPr.numPr is not None:
            return style.element.pPr
        style = style.base_style
    return None


def _list_format(document: Any, num_id: str, level: int) -> tuple[str, int]:
    """Word's number format ("decimal", "lowerLetter", "bullet" …) and start for a list level."""
    numbering = document.part.numbering_part.element
    nums = _xpath(numbering, f'./w:num[@w:numId="{num_id}"]')
    if not nums:
        return "decimal", 1
    abstract = _xpath(nums[0], "./w:abstractNumId/@w:val")
    override = _xpath(nums[0], f'./w:lvlOverride[@w:ilvl="{level}"]/w:startOverride/@w:val')
    abstract_id = abstract[0] if abstract else ""
    lvl = _xpath(
        numbering, f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="{level}"]'
    )
    kind = _xpath(lvl[0], "./w:numFmt/@w:val") if lvl else []
    start = override or (_xpath(lvl[0], "./w:start/@w:val") if lvl else [])
    return (str(kind[0]) if kind else "decimal"), int(start[0]) if start else 1


def _xpath(element: Any, path: str) -> list[Any]:
    found = etree.XPath(path, namespaces=nsmap)(element)
    return found if isinstance(found, list) else []


def _marker(kind: str, count: int) -> str:
    if kind == "bullet":
        return "•"
    if kind in ("lowerLetter", "upperLetter"):
        letter = _LETTERS[(count - 1) % 26]
        return letter if kind == "lowerLetter" else letter.upper()
    if kind in ("lowerRoman", "upperRoman"):
        roman = _roman(count)
        return roman if kind == "lowerRoman" else roman.upper()
    return "" if kind == "none" else str(count)


def _roman(count: int) -> str:
    numeral = ""
    for value, letters in _ROMAN:
        while count >= value:
            numeral += letters
            count -= value
    return numeral


def _properties(document: Any) -> tuple[tuple[str, str], ...]:
    """Document properties that name the procedure, custom ones ("Document ID") first."""
    core = document.core_properties
    pairs = [*_custom_properties(document)]
    pairs += [("title", core.title or ""), ("identifier", core.identifier or "")]
    pairs += [("id", word) for word in (core.subject, *re.split(r"[,;]", core.keywords or ""))
              if word and _looks_like_id(word)]  # fmt: skip
    pairs.append(("version", core.version or ""))
    return tuple((label, _text(value)) for label, value in pairs if value)


# A subject of "Issue 3" or "Rev. D" is the revision, never the procedure's id (found on a
# blind test document, whose id was read as "Issue 3").
_REVISION_WORDS = re.compile(
    r"^(?:issue|iss\.?|rev\.?|revision|version|ver\.?|v|edition|ed\.?|amendment)\s*[\w.]+$",
    re.IGNORECASE,
)


def _looks_like_id(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 2
        and any(c.isdigit() for c in text)
        and not _REVISION_WORDS.match(text.strip())
        and bool(normalise_procedure_id(text))
    )


def _custom_properties(document: Any) -> list[tuple[str, str]]:
    for part in document.part.package.parts:
        if str(part.partname) == "/docProps/custom.xml":
            try:
                root = etree.fromstring(part.blob)
            except etree.XMLSyntaxError:
                return []
            return [(p.get("name", ""), "".join(p.itertext())) for p in root.iter(_CUSTOM)]
    return []
