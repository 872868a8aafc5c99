"""How one revision of a procedure differs from the one before, section by section.

Sections are matched by their number, since that is what a bank question names. A section
whose number is new is NEW; one whose heading or wording changed (spacing and case aside) is
CHANGED; a number the new revision lacks is REMOVED. Renumbering therefore reads as removals
and additions, which is what it means for the questions that cite the old numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Change(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class SectionChanges:
    """Each current section's change, in document order, and the numbers no longer there."""

    by_section: Mapping[str, Change]
    removed: tuple[str, ...]

    @property
    def changed(self) -> tuple[str, ...]:
        """Numbers whose questions must be reviewed: changed or removed sections."""
        edited = [n for n, change in self.by_section.items() if change is Change.CHANGED]
        return (*edited, *self.removed)

    @property
    def new(self) -> tuple[str, ...]:
        return tuple(n for n, change in self.by_section.items() if change is Change.NEW)


def compare_sections(
    previous: Mapping[str, str] | None, current: Iterable[tuple[str, str]]
) -> SectionChanges:
    """Compare fingerprints by section number; with no previous revision nothing changed."""
    by_section: dict[str, Change] = {}
    for number, fingerprint in current:
        if previous is None:
            by_section[number] = Change.UNCHANGED
        elif number not in previous:
            by_section[number] = Change.NEW
        elif previous[number] != fingerprint:
            by_section[number] = Change.CHANGED
        else:
            by_section[number] = Change.UNCHANGED
    removed = () if previous is None else tuple(n for n in previous if n not in by_section)
    return SectionChanges(by_section=by_section, removed=removed)


def section_affected(question_section: str, changed: Iterable[str]) -> bool:
    """A question on "4.2" is affected by a change to 4.2 or to a subsection such as 4.2.1.

    A question may name several sections ("4.1, 4.2"); any one of them changing counts.
    """
    cited = [part.strip() for part in question_section.replace(";", ",").split(",")]
    return any(
        number == section or number.startswith(f"{section}.")
        for section in cited
        if section
        for number in changed
    )
