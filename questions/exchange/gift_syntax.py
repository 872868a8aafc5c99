"""GIFT's lexical rules: escapes, comments, question blocks and text formats.

Escaped characters are swapped for private-use placeholders while the structure is read, as
Moodle does, so `\\{` or `\\~` in a text never opens an answer block or starts an answer, and
are swapped back only in the finished texts.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

ESCAPABLE = "\\~=#{}:"
_PLACEHOLDERS = {char: chr(0xE000 + index) for index, char in enumerate(ESCAPABLE)}
_NEWLINE = chr(0xE010)
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_FORMAT = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
_LINE_BREAK_TAG = re.compile(r"<\s*(br\s*/?|/p|/div|/li|/h\d)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def protect(line: str) -> str:
    """A line with its escapes (`\\~ \\= \\# \\{ \\} \\: \\\\ \\n`) hidden from the parser."""
    return _ESCAPE.sub(lambda m: _NEWLINE if m[1] == "n" else _PLACEHOLDERS[m[1]], line)


def restore(text: str) -> str:
    for char, placeholder in _PLACEHOLDERS.items():
        text = text.replace(placeholder, char)
    return text.replace(_NEWLINE, "\n")


def escape(text: str) -> str:
    """Text written so GIFT reads it back as the same text."""
    escaped = text.replace("\\", "\\\\")
    for char in ESCAPABLE[1:]:
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\r", "").replace("\n", "\\n")


@dataclass(frozen=True)
class Block:
    """One question's lines, trimmed and without comments, each with its line number."""

    lines: list[tuple[int, str]]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)

    @property
    def first_line(self) -> int:
        return self.lines[0][0]

    def line_at(self, offset: int) -> int:
        """The file's line number of a position in `text`."""
        return self.lines[self.text.count("\n", 0, offset)][0]


def split_blocks(text: str) -> list[Block]:
    """Questions are separated by blank lines; lines starting `//` are comments."""
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            if current:
                blocks.append(Block(current))
            current = []
        elif not line.startswith("//"):
            current.append((number, protect(line)))
    if current:
        blocks.append(Block(current))
    return blocks


def split_format(text: str, inherited: str = "moodle") -> tuple[str, str]:
    """A text's `[html]`, `[markdown]`, `[plain]` or `[moodle]` marker, and the text after it."""
    found = _FORMAT.match(text)
    if found is None:
        return inherited, text
    return found[1].lower(), text[found.end() :]


def finished(text: str, text_format: str) -> str:
    """A protected text as the bank keeps it: escapes undone, HTML tags gone, trimmed."""
    if text_format == "html":
        text = _html_to_text(text)
    lines = [line.rstrip() for line in restore(text).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean(text: str, inherited: str) -> str:
    """An answer or feedback text: its own format marker, or the question's, applied."""
    text_format, rest = split_format(text, inherited)
    return finished(rest, text_format)


def _html_to_text(text: str) -> str:
    text = " ".join(text.split())
    text = _LINE_BREAK_TAG.sub("\n", text)
    text = _TAG.sub("", text)
    return "\n".join(" ".join(line.split()) for line in html.unescape(text).splitlines())
