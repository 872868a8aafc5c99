"""The readable Markdown copy of a procedure that the project keeps in git with its questions.

Front matter carries who the procedure is; each section is a heading with its number and a
comment saying where it came from; lists keep their markers and tables become pipe tables.
`read_document` on the copy gives back the same id, title, revision, section numbers,
headings and texts, and the revision history's rows.
"""

from __future__ import annotations

import re

import yaml

from questions.documents.model import Block, BlockKind, ProcedureDocument, Section

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")
_STARTS_BLOCK = re.compile(r"^(\d{1,3}|\(?[a-zA-Z]|\(?[ivx]{1,5})([.)])(\s)|^([-+#>=])")
_MAX_HEADING = 6


def to_markdown(document: ProcedureDocument) -> str:
    parts = [_front_matter(document)]
    if document.title:
        parts.append(f"# {_escape(document.title)}")
    parts += [_section(section) for section in document.sections]
    if document.revision_history:
        parts.append("## Revision history\n\n" + _table(document.revision_history))
    return "\n\n".join(parts) + "\n"


def _front_matter(document: ProcedureDocument) -> str:
    fields = {
        "id": document.id,
        "original_id": document.original_id,
        "title": document.title,
        "revision": document.revision,
        "owner": document.owner or "",
        "owner_slack_id": document.owner_slack_id or "",
        "source": document.source,
    }
    dumped = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{dumped}---"


def _section(section: Section) -> str:
    marks = "#" * min(section.level + 1, _MAX_HEADING)
    # A number the document doesn't print stays unprinted: read back, the heading is numbered
    # by its place again, and drafts cite it by its heading rather than by a made-up number.
    number = f"{section.number} " if section.numbered_by_document else ""
    lines = [f"{marks} {number}{_escape(section.heading)}", f"<!-- {section.location} -->"]
    blocks = [_block(block) for block in section.blocks]
    return "\n\n".join(["\n".join(lines), *blocks])


def _block(block: Block) -> str:
    if block.kind is BlockKind.TABLE:
        return _table(block.rows)
    if block.kind is BlockKind.LIST_ITEM:
        return "  " * block.depth + f"{_marker(block.marker or '')} {_escape(block.text)}"
    return _escape_start(_escape(" ".join(block.text.split())))


def _marker(marker: str) -> str:
    if marker.isdigit():
        return f"{marker}."
    if marker.isalpha() and (len(marker) == 1 or set(marker) <= set("ivx")):
        return f"{marker})"
    return "-"


def _table(rows: tuple[tuple[str, ...], ...]) -> str:
    header, *body = rows
    lines = [_row(header), "|" + "---|" * len(header)]
    return "\n".join(lines + [_row(row) for row in body])


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_escape(" ".join(cell.split())) for cell in cells) + " |"


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _escape_start(text: str) -> str:
    """A paragraph that would read as a list item or heading, with its first mark escaped."""
    match = _STARTS_BLOCK.match(text)
    if match is None:
        return text
    if match[4]:
        return "\\" + text
    return f"{match[1]}\\{match[2]}{text[match.end(2) :]}"
