"""Headings and blocks, in reading order, split into numbered sections.

- The first heading is the document's title when it has no number and every other heading is
  below it ("# Control of nonconforming product" over "## 1 Purpose"); it is not a section.
- Text before the first section heading is the title block, read for metadata only.
- A key/value header table near the top ("Document ID | CSC PR.010") is metadata, not content:
  it is taken out, and so is a heading left with nothing under it ("General"), before numbering.
- A revision history is kept out of the sections, its first table's rows going to
  `revision_history`: a part headed "Revision history", "Document history", "Change log" …
  is taken out with its subsections before numbering (so a history placed first does not
  shift the numbers); failing that, a table headed Revision/Version/Issue with Date or
  Description is taken out of whichever section holds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from questions.documents.labels import (
    KIND_OF_DOCUMENT,
    Field,
    clean_value,
    field_for,
    header_row_pairs,
)
from questions.documents.model import Block, BlockKind, Section
from questions.documents.numbering import number_headings, own_number
from questions.documents.parsed import Heading, Item

Rows = tuple[tuple[str, ...], ...]

_HISTORY_HEADING = re.compile(
    r"^(?:(?:revision|change|amendment|version|issue|document)\s+(?:history|log)"
    r"|(?:revision|amendment|change|issue|version)\s+(?:record|status|table)s?"
    r"|record of (?:revisions|changes|amendments|issues)|revisions|change\s*log)$",
    re.IGNORECASE,
)
_HISTORY_COLUMN = re.compile(r"date|description|change|amendment|detail|summary|reason", re.I)
_HEADER_FIELDS = {Field.ID, Field.TITLE, Field.REVISION, Field.OWNER, Field.OWNER_SLACK_ID}


@dataclass(frozen=True)
class Split:
    title: str
    preamble: tuple[Block, ...]
    header: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    revision_history: Rows


def split_sections(items: Sequence[Item]) -> Split:
    """Sections as the document numbers them; `sections` is empty when it has no headings."""
    title, items = _take_title(list(items))
    header, items = _take_header_table(items)
    history, items = _take_history_section(items)
    first = next((i for i, item in enumerate(items) if isinstance(item, Heading)), len(items))
    preamble = tuple(item for item in items[:first] if isinstance(item, Block))
    sections = _sections(items[first:])
    if not history:
        history, sections = _take_history_table(sections)
    if not history:
        history = next((b.rows for b in preamble if is_revision_table(b)), ())
    return Split(title, preamble, header, tuple(sections), history)


def is_revision_table(block: Block) -> bool:
    """A table headed like "Revision | Date | Description"."""
    if block.kind is not BlockKind.TABLE or len(block.rows) < 2:
        return False
    header = block.rows[0]
    has_revision = any(field_for(cell) is Field.REVISION for cell in header)
    return has_revision and any(_HISTORY_COLUMN.search(cell) for cell in header)


def _take_title(items: list[Item]) -> tuple[str, list[Item]]:
    headings = [(i, item) for i, item in enumerate(items) if isinstance(item, Heading)]
    if len(headings) < 2:
        return "", items
    at, first = headings[0]
    if _is_history_heading(first.text):  # "Revision Record" placed before the first section
        return "", items
    if KIND_OF_DOCUMENT.match(" ".join(first.text.split())):
        return _take_title(items[:at] + items[at + 1 :])
    following_at, following = headings[1]
    if (
        following_at == at + 1
        and following.level == first.level
        and own_number(first.text)[0] is None
        and own_number(following.text)[0] is None
        and all(h.level > first.level for _, h in headings[2:])
        and len(headings) > 2
    ):
        # The company's name above the title, as a heading of its own: the title is the next.
        return _take_title(items[:at] + items[at + 1 :])
    if (
        following_at == at + 1
        and following.level > first.level
        and own_number(first.text)[0] is None
        and own_number(following.text)[0] is None
        and len(headings) > 2
        and all(
            own_number(h.text)[0] is not None
            for _, h in headings[2:]
            if not _is_history_heading(h.text)
        )
    ):
        # "# Harwell Precision Ltd" over "## Supplier Evaluation" over "## 1. Purpose": the
        # company above the title, found on a held-out procedure.
        return _take_title(items[:at] + items[at + 1 :])
    rest = [h for _, h in headings[1:]]
    below = all(h.level > first.level for h in rest)
    numbered_below = all(own_number(h.text)[0] is not None for h in rest)
    if not (below or numbered_below) or own_number(first.text)[0] is not None:
        return "", items
    return first.text, items[:at] + items[at + 1 :]


def _take_header_table(items: list[Item]) -> tuple[tuple[tuple[str, str], ...], list[Item]]:
    """The first key/value table before the second heading, and the items without it."""
    headings = 0
    for at, item in enumerate(items):
        headings += isinstance(item, Heading)
        if headings > 1:
            break
        pairs = _key_values(item) if isinstance(item, Block) else ()
        if pairs:
            return pairs, _without_empty_heading(items[:at] + items[at + 1 :], at)
    return (), items


def _key_values(block: Block) -> tuple[tuple[str, str], ...]:
    """A header table's labelled facts, or () when the block is not one."""
    if block.kind is not BlockKind.TABLE or not block.rows:
        return ()
    rows = block.rows
    if header := header_row_pairs(rows):
        pairs = tuple((label, clean_value(value)) for label, value in header)
    elif all(len(row) == 2 for row in rows):
        pairs = tuple((row[0], clean_value(row[1])) for row in rows)
    elif all(len(row) == 4 for row in rows):  # "Document No. | QP-08 | Rev. | 4"
        pairs = tuple((row[at], clean_value(row[at + 1])) for row in rows for at in (0, 2))
    elif len(rows) == 2 and len(rows[0]) == len(rows[1]):
        pairs = tuple(zip(rows[0], (clean_value(v) for v in rows[1]), strict=True))
    else:
        return ()
    known = [label for label, _ in pairs if field_for(label) in _HEADER_FIELDS]
    return pairs if len(known) >= 2 else ()


def _without_empty_heading(items: list[Item], at: int) -> list[Item]:
    """Drop the heading whose only content was the header table that stood at `at`."""
    before = at - 1
    if before < 0 or not isinstance(heading := items[before], Heading):
        return items
    after = items[at] if at < len(items) else None
    if after is None or (isinstance(after, Heading) and after.level <= heading.level):
        return items[:before] + items[at:]
    return items


def _sections(items: Sequence[Item]) -> list[Section]:
    starts = [i for i, item in enumerate(items) if isinstance(item, Heading)]
    if not starts:
        return []
    headings = [items[i] for i in starts]
    numbered = number_headings([h for h in headings if isinstance(h, Heading)])
    sections = []
    for start, end, heading, number in zip(
        starts, [*starts[1:], len(items)], headings, numbered, strict=True
    ):
        blocks = tuple(item for item in items[start + 1 : end] if isinstance(item, Block))
        sections.append(
            Section(
                number=number.number,
                heading=number.heading,
                blocks=blocks,
                location=heading.location,
                level=number.level,
                numbered_by_document=number.by_document,
            )
        )
    return sections


def _take_history_section(items: list[Item]) -> tuple[Rows, list[Item]]:
    """A revision-history heading's first table, and the items without that heading's part."""
    for at, item in enumerate(items):
        if isinstance(item, Heading) and _is_history_heading(item.text):
            end = next(
                (
                    i
                    for i in range(at + 1, len(items))
                    if isinstance(h := items[i], Heading) and h.level <= item.level
                ),
                len(items),
            )
            part = items[at + 1 : end]
            rows = next((b.rows for b in part if isinstance(b, Block) and b.rows), ())
            return rows, items[:at] + items[end:]
    return (), items


def _is_history_heading(text: str) -> bool:
    return bool(_HISTORY_HEADING.match(own_number(text)[1].strip(" :")))


def _take_history_table(sections: list[Section]) -> tuple[Rows, list[Section]]:
    """A revision table inside a section, and the sections with it taken out."""
    for at, section in enumerate(sections):
        table = next((b for b in section.blocks if is_revision_table(b)), None)
        if table is not None:
            blocks = tuple(b for b in section.blocks if b is not table)
            rest = [*sections[:at], _with_blocks(section, blocks), *sections[at + 1 :]]
            return table.rows, rest
    return (), sections


def _with_blocks(section: Section, blocks: tuple[Block, ...]) -> Section:
    return Section(
        section.number,
        section.heading,
        blocks,
        section.location,
        section.level,
        section.numbered_by_document,
    )
