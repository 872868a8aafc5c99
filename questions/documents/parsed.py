"""What each format's reader hands to the splitter: headings and blocks in reading order."""

from __future__ import annotations

from dataclasses import dataclass

from questions.documents.model import Block, Location


@dataclass(frozen=True)
class Heading:
    """A heading as written, its number still in `text`; `level` 1 is the outermost."""

    text: str
    level: int
    location: Location


Item = Heading | Block


@dataclass(frozen=True)
class ParsedDocument:
    """One file's content before it is split into sections.

    `title` is a title the layout marks as such (Word's Title style, a PDF's first line);
    `properties` are labelled facts the file carries apart from its text (front matter, Word
    document properties), in the order they should win. `margins` are the running page
    headers and footers, where some documents print their id and revision and nowhere else
    ("Q-WI-118 Rev C", "FS/CCP/02 Issue 6 – Uncontrolled when printed").
    """

    items: tuple[Item, ...]
    title: str = ""
    properties: tuple[tuple[str, str], ...] = ()
    margins: tuple[str, ...] = ()
