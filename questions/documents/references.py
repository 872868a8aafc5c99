"""How a question names the section it came from, and which sections such a name means.

A section the document numbers is named by its number ("4.2"). One it doesn't number is named
by its heading ("Responsibilities"): a number given by place is printed nowhere, so staff told
to read "section 2.4" can't find it. Found in independent review, on every draft of two
unnumbered procedures. A heading used twice is named with the heading above it
("Pre-qualification › Records"); one too long for the bank's field keeps its place number.
"""

from __future__ import annotations

import re

from questions import limits
from questions.documents.model import ProcedureDocument, Section

_PATH = " › "
_NUMBER = re.compile(r"^[A-Z]?\d+(?:\.\d+)*$|^[A-Z](?:\.\d+)*$")


def section_references(document: ProcedureDocument) -> dict[str, str]:
    """What a question drafted from each section writes in its `section` field, by the
    section's number; a section missing here is named by its number."""
    return _references(document)


def numbers_named(document: ProcedureDocument, reference: str) -> tuple[str, ...] | None:
    """The section numbers a question's `section` field names, or None when it names a
    heading this revision doesn't have (renamed or removed, so its questions need review).

    Numbers are taken as they are, even ones this revision lacks, so that a removed section
    still matches its questions. A field may name several sections ("4.1, 4.2").
    """
    by_reference = {ref: number for number, ref in _references(document).items()}
    whole = reference.strip()
    if whole in by_reference:
        return (by_reference[whole],)
    numbers = []
    for part in (p.strip() for p in re.split(r"[,;]", whole)):
        if part in by_reference:
            numbers.append(by_reference[part])
        elif _NUMBER.match(part):
            numbers.append(part)
        elif part:
            return None
    return tuple(numbers)


def is_section_number(reference: str) -> bool:
    """True for "4.2" or "A.1", false for a heading."""
    return all(_NUMBER.match(p.strip()) for p in re.split(r"[,;]", reference) if p.strip())


def _references(document: ProcedureDocument) -> dict[str, str]:
    unnumbered = [s for s in document.sections if not s.numbered_by_document]
    if not unnumbered:
        return {}
    headings = [s.heading.strip() for s in document.sections]
    references = {}
    for section in unnumbered:
        name = section.heading.strip()
        if headings.count(name) > 1:
            parent = _parent(document, section)
            name = f"{parent.heading.strip()}{_PATH}{name}" if parent is not None else ""
        if name and len(name) <= limits.SECTION and not _NUMBER.match(name):
            references[section.number] = name
    taken = list(references.values())
    return {n: ref for n, ref in references.items() if taken.count(ref) == 1}


def _parent(document: ProcedureDocument, section: Section) -> Section | None:
    earlier = document.sections[: document.sections.index(section)]
    return next((s for s in reversed(earlier) if s.level < section.level), None)
