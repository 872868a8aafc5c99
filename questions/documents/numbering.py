"""Section numbers: the document's own where it writes them, else by each heading's place.

Sections are matched by number across revisions and cited by bank questions, so every number
must be unique. Headings that all carry unique numbers keep them. Otherwise headings are
numbered by place under their parent, a heading's own number standing in for its place where
it has one ("1. Input" under unnumbered "5 Process steps" becomes 5.1); if that still repeats
a number, every heading is numbered by place alone and keeps its own number in its text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from questions.documents.parsed import Heading

_OWN_NUMBER = re.compile(
    r"^(?:(?:section|clause|part)\s+)?(?P<number>\d{1,3}(?:\.\d{1,3})*)\.?"
    r"(?=\s|[-–—:)]|$)\s*[-–—:)]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Numbered:
    number: str
    heading: str
    level: int
    by_document: bool


def own_number(text: str) -> tuple[str | None, str]:
    """ "4.2 Responsibilities" → ("4.2", "Responsibilities"); ("None", text) when unnumbered."""
    match = _OWN_NUMBER.match(text.strip())
    if match is None or not match["rest"]:
        return None, text.strip()
    return match["number"], match["rest"].strip()


def number_headings(headings: Sequence[Heading]) -> list[Numbered]:
    owns = [own_number(h.text) for h in headings]
    numbers = [number for number, _ in owns]
    if all(numbers) and _unique(numbers):
        return [Numbered(n or "", rest, _depth(n or ""), True) for n, rest in owns]
    mixed = _by_place(headings, keep_own=True)
    return mixed if _unique([n.number for n in mixed]) else _by_place(headings, keep_own=False)


def _by_place(headings: Sequence[Heading], *, keep_own: bool) -> list[Numbered]:
    stack: list[tuple[int, str]] = []
    last_child: dict[str, int] = {}
    numbered: list[Numbered] = []
    for heading in headings:
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        own, rest = own_number(heading.text)
        if keep_own and own:
            number = own if "." in own or not parent else f"{parent}.{own}"
        else:
            number = _joined(parent, last_child.get(parent, 0) + 1)
        head, _, tail = number.rpartition(".")
        last_child[head] = int(tail)
        stack.append((heading.level, number))
        kept_own = own is not None and (number == own or number.endswith(f".{own}"))
        text = rest if kept_own or own is None else heading.text.strip()
        numbered.append(Numbered(number, text, _depth(number), own == number))
    return numbered


def _joined(parent: str, place: int) -> str:
    return f"{parent}.{place}" if parent else str(place)


def _depth(number: str) -> int:
    return number.count(".") + 1


def _unique(numbers: Sequence[str | None]) -> bool:
    return len(set(numbers)) == len(numbers)
