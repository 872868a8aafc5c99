"""Reading a procedure document (.md, .docx, .pdf) into its metadata and numbered sections.

Supported layouts:
- Markdown: YAML front matter; `#` or underlined headings, the first one the title when all
  others are below it; lists with "-", "*", "1.", "a)" markers, nested by indentation; pipe
  tables. HTML comments and code fences are skipped.
- Word (.docx): headings are paragraphs in a "Heading N" style (or a style based on one), the
  title in the "Title" style; numbered and bulleted list paragraphs get Word's own markers
  ("1", "a", "•"); tables keep their cells. Document properties give id, title and version.
- PDF: text and fonts, through pypdf. Headings are short lines larger than the body text or
  bold, outside table cells, nested by size; in a PDF whose lines all look the same, lines
  starting with a section number ("4.2 Responsibilities", "Section 4 – Scope") or short
  title-case lines without a full stop. Lists are lines starting with a marker; tables are
  runs of lines that pypdf's layout mode splits into two or more columns by wide gaps, or
  lines in ruled cells, a cell wrapped over lines being read as a row of its own. Pages are
  kept in each block's location; page headers and footers repeated on every page are dropped.
  Scanned (image-only) and password-protected PDFs cannot be read.

Metadata is looked for in front matter or document properties, the title block, a header table
and the revision history, in that order (see `metadata`); what is not found is listed in
`missing`. Section numbers are the document's own where it writes them, else by place (see
`numbering`); the revision history is kept out of the sections (see `sections`).

Any file that can't be read raises one DocumentError naming the file and what to do about it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from questions.documents.ids import normalise_procedure_id
from questions.documents.markdown import read_markdown
from questions.documents.metadata import find_metadata
from questions.documents.model import DocumentError, Missing, ProcedureDocument
from questions.documents.parsed import ParsedDocument
from questions.documents.pdf import read_pdf
from questions.documents.sections import split_sections
from questions.documents.word import read_word

_READERS: dict[str, Callable[[Path], ParsedDocument]] = {
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": read_word,
    ".pdf": read_pdf,
}


def read_document(
    path: Path,
    *,
    id: str | None = None,
    title: str | None = None,
    revision: str | None = None,
) -> ProcedureDocument:
    """The procedure in `path`; `id`, `title` and `revision` given here win over the document's."""
    parsed = _parse(path)
    if not parsed.items:
        raise DocumentError(path.name, "is empty: there is no text in it to read")
    split = split_sections(parsed.items)
    if not split.sections:
        raise DocumentError(
            path.name,
            "has no section headings, so it can't be split into sections: mark each section "
            "title as a heading (a Word heading style, or # in Markdown) and import it again",
        )
    found = find_metadata(parsed, split)
    original_id = id or found.original_id or found.id
    document = ProcedureDocument(
        id=normalise_procedure_id(id or found.id or found.original_id),
        original_id=original_id,
        title=title or found.title,
        revision=revision or found.revision,
        source=path.name,
        sections=split.sections,
        owner=found.owner or None,
        owner_slack_id=found.owner_slack_id or None,
        revision_history=split.revision_history,
    )
    return _with_missing(document)


def _parse(path: Path) -> ParsedDocument:
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise DocumentError(path.name, _unsupported(suffix))
    if not path.is_file():
        raise DocumentError(path.name, f"was not found at {path}: check the path")
    return reader(path)


def _unsupported(suffix: str) -> str:
    if suffix == ".doc":
        return "is an old Word .doc file: open it in Word, save it as .docx and import that"
    kind = f"a {suffix} file" if suffix else "a file without a suffix"
    return f"is {kind}: procedures can be imported as Markdown (.md), Word (.docx) or PDF (.pdf)"


def _with_missing(document: ProcedureDocument) -> ProcedureDocument:
    missing = tuple(
        kind
        for kind, value in (
            (Missing.ID, document.id),
            (Missing.TITLE, document.title),
            (Missing.REVISION, document.revision),
        )
        if not value
    )
    return replace(document, missing=missing)
