"""Markdown procedures: YAML front matter, ATX or underlined headings, lists, pipe tables.

A small reader of the Markdown that procedures are written in, not a full CommonMark parser:
HTML comments, code fences and thematic breaks are skipped, block quotes read as paragraphs,
and inline emphasis, code spans, links and HTML tags are reduced to their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from questions.documents.model import Block, BlockKind, DocumentError, Location
from questions.documents.parsed import Heading, Item, ParsedDocument

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_ITEM = re.compile(r"^(\s*)([-*+•]|\d{1,3}[.)]|\(?(?:[a-zA-Z]|[ivx]{1,5})[.)])\s+(.*)$")
_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_INLINE = re.compile(
    r"\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|<>~])"
    r"|!?\[(?P<link>[^\]]*)\]\([^)]*\)"
    r"|<(?P<url>https?://[^>\s]+)>"
    r"|<br\s*/?>"
    r"|</?[A-Za-z][^<>]*>"
    r"|\*\*|__|~~|`"
    r"|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*])"
)


def read_markdown(path: Path) -> ParsedDocument:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            path.name,
            f"is not UTF-8 text (byte {error.start}): save it as UTF-8 and import it again",
        ) from None
    return parse_markdown(text, source=path.name)


def parse_markdown(text: str, *, source: str) -> ParsedDocument:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    properties, start = _front_matter(lines, source)
    reader = _Reader(lines[start:])
    return ParsedDocument(items=tuple(reader.read()), properties=properties)


def plain(text: str) -> str:
    """Markdown inline text as words: emphasis, code marks and tags dropped, escapes undone."""

    def replace(match: re.Match[str]) -> str:
        kept = match["escaped"] or match["link"] or match["url"]
        if kept is not None:
            return kept
        return " " if match[0].lower().startswith("<br") else ""

    return " ".join(_INLINE.sub(replace, text).split())


def _front_matter(lines: list[str], source: str) -> tuple[tuple[tuple[str, str], ...], int]:
    if not lines or lines[0].strip() != "---":
        return (), 0
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        return (), 0
    try:
        loaded = yaml.load("\n".join(lines[1:end]), Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise DocumentError(
            source,
            f"its front matter between the --- lines is not valid YAML{where}: "
            "correct it or remove it",
        ) from None
    if not isinstance(loaded, dict):
        return (), end + 1
    pairs = ((str(k), v) for k, v in loaded.items() if isinstance(v, str))
    return tuple(pairs), end + 1


@dataclass
class _Reader:
    lines: list[str]
    at: int = 0
    paragraph: int = 0
    pending: list[str] = field(default_factory=list)

    def read(self) -> Iterator[Item]:
        while self.at < len(self.lines):
            yield from self._step()
        yield from self._flush()

    def _step(self) -> Iterator[Item]:
        line = self.lines[self.at]
        following = self.lines[self.at + 1] if self.at + 1 < len(self.lines) else ""
        if not line.strip() or line.lstrip().startswith("<!--") or _FENCE.match(line):
            yield from self._flush()
            self._skip(line)
        elif heading := _ATX.match(line):
            yield from self._flush()
            yield self._heading(heading[2] or "", len(heading[1]))
        elif self.pending == [] and line.strip() and _underlined(line, following):
            yield self._heading(line, 1 if following.strip().startswith("=") else 2)
            self.at += 1
        elif _BREAK.match(line):
            yield from self._flush()
            self.at += 1
        elif "|" in line and _DELIMITER_ROW.match(following) and "-" in following:
            yield from self._flush()
            yield self._table()
        elif item := _ITEM.match(line):
            yield from self._flush()
            yield self._item(item)
        else:
            self.pending.append(line.strip().lstrip(">").strip())
            self.at += 1

    def _skip(self, line: str) -> None:
        """Past a blank line, an HTML comment or a fenced block, which say nothing to staff."""
        if line.lstrip().startswith("<!--"):
            while self.at < len(self.lines) and "-->" not in self.lines[self.at]:
                self.at += 1
        elif fence := _FENCE.match(line):
            self.at += 1
            while self.at < len(self.lines) and not self.lines[self.at].strip().startswith(
                fence[1]
            ):
                self.pending.append(self.lines[self.at].strip())
                self.at += 1
        self.at += 1

    def _next_location(self) -> Location:
        self.paragraph += 1
        return Location(self.paragraph)

    def _flush(self) -> Iterator[Item]:
        text = plain(" ".join(self.pending))
        self.pending = []
        if text:
            yield Block(BlockKind.PARAGRAPH, text, self._next_location())

    def _heading(self, text: str, level: int) -> Heading:
        self.at += 1
        return Heading(plain(text), level, self._next_location())

    def _table(self) -> Block:
        rows: list[tuple[str, ...]] = [_cells(self.lines[self.at])]
        self.at += 2
        while self.at < len(self.lines) and "|" in self.lines[self.at]:
            rows.append(_cells(self.lines[self.at]))
            self.at += 1
        kept = rows if any(rows[0]) else rows[1:]
        text = "\n".join(" | ".join(row) for row in kept)
        return Block(BlockKind.TABLE, text, self._next_location(), rows=tuple(kept))

    def _item(self, match: re.Match[str]) -> Block:
        indent = len(match[1].replace("\t", "    "))
        words = [match[3]]
        self.at += 1
        while self.at < len(self.lines) and _continues(self.lines[self.at]):
            words.append(self.lines[self.at].strip())
            self.at += 1
        marker = match[2].strip("().")
        marker = "•" if marker in "-*+•" else marker.rstrip(")")
        return Block(
            BlockKind.LIST_ITEM,
            plain(" ".join(words)),
            self._next_location(),
            marker=marker,
            depth=indent // 2,
        )


def _underlined(line: str, following: str) -> bool:
    if _ITEM.match(line) or _BREAK.match(line) or "|" in line or line.lstrip().startswith("<"):
        return False
    return bool(_SETEXT.match(following))


def _continues(line: str) -> bool:
    """A list item's next line that carries on its text rather than starting a new block."""
    if not line.strip() or _ITEM.match(line) or _ATX.match(line) or "|" in line:
        return False
    return not (_BREAK.match(line) or line.lstrip().startswith("<!--") or _FENCE.match(line))


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return tuple(plain(cell) for cell in _CELL_SPLIT.split(inner))
