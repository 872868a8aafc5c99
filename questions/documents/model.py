"""A procedure document once read: who it is, and its numbered sections with where each came from.

Every reader (Markdown, Word, PDF) produces these plain, frozen values, so splitting, drafting
and comparing revisions never care which format a document arrived in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"


@dataclass(frozen=True)
class Location:
    """Where in the source file a piece came from: the page (PDF only) and the paragraph.

    Paragraphs count from 1 over the whole document, in reading order, tables counting as one.
    """

    paragraph: int
    page: int | None = None

    def __str__(self) -> str:
        where = f"paragraph {self.paragraph}"
        return f"page {self.page}, {where}" if self.page is not None else where


@dataclass(frozen=True)
class Block:
    """One paragraph, list item or table of a section.

    A list item keeps its marker ("1", "a", "•") in `marker`; a table keeps its cells in `rows`
    (the first row is the header where the document has one) and a readable `text` of them.
    """

    kind: BlockKind
    text: str
    location: Location
    marker: str | None = None
    rows: tuple[tuple[str, ...], ...] = ()
    depth: int = 0


@dataclass(frozen=True)
class Section:
    """A numbered section: "4.2 Responsibilities" and everything under it up to the next heading.

    `number` is the document's own numbering where it has one ("4.2"); unnumbered headings are
    numbered by their place ("3", "3.1"), and `numbered_by_document` says which it was.
    """

    number: str
    heading: str
    blocks: tuple[Block, ...]
    location: Location
    level: int = 1
    numbered_by_document: bool = True

    @property
    def text(self) -> str:
        """The section's words, one block per line, for drafting and comparing."""
        return "\n".join(block.text for block in self.blocks)

    @property
    def fingerprint(self) -> str:
        """Changes when the heading or wording changes; spacing and case don't count."""
        words = " ".join(f"{self.heading}\n{self.text}".casefold().split())
        return hashlib.sha256(words.encode()).hexdigest()[:16]


class Missing(StrEnum):
    ID = "id"
    TITLE = "title"
    REVISION = "revision"


@dataclass(frozen=True)
class ProcedureDocument:
    """One revision of one procedure, as read from one file.

    `id` is normalised to the bank's pattern ("CSC PR.016" → "CSC-PR-016"); `original_id`
    keeps it as the document writes it, for display. Whatever could not be found is empty and
    listed in `missing`, for the importer to ask about or take from the command line.
    """

    id: str
    original_id: str
    title: str
    revision: str
    source: str
    sections: tuple[Section, ...]
    owner: str | None = None
    owner_slack_id: str | None = None
    revision_history: tuple[tuple[str, ...], ...] = ()
    missing: tuple[Missing, ...] = field(default_factory=tuple)

    def section(self, number: str) -> Section | None:
        return next((s for s in self.sections if s.number == number), None)


class DocumentError(Exception):
    """A document that can't be read, with the reason a person can act on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
