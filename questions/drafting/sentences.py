"""A procedure's sentences, each with the section it came from, and the text clean-ups drafting
needs: normalising for comparison, and turning a clause into the "thing" a prompt asks about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from questions.documents.model import Block, BlockKind, ProcedureDocument, Section

# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "para.", "no.", "max.", "min.", "approx.", "vs.", "cf.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_PUNCTUATION = re.compile(r"[^\w\s]")
# Italics read from Word or PDF come as "*core and safety processes*"; left in, Slack shows
# them bold and a prompt shows stray asterisks.
_EMPHASIS = re.compile(r"\*\*|__|`|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
# A clause number opening a paragraph ("6.1.1 All IMTE shall …"): where it is, not what it says.
_CLAUSE_NUMBER = re.compile(r"^\(?\d+(?:\.\d+)+\)?\.?\s+(?=\S)")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a section: a paragraph's sentence, a list item, or a table row as words.

    `lead_in` is the sentence a list item completes ("The SIRT is responsible for:"), so a
    rule can read "lead-in + item" as one statement while `text` stays the item's own words.
    """

    text: str
    section: Section
    block: Block
    lead_in: str = ""

    @property
    def full(self) -> str:
        """The sentence as a reader takes it: a list item joined to the line that introduces it."""
        return f"{self.lead_in} {self.text}" if self.lead_in else self.text


def normalise(text: str) -> str:
    """Casefolded, punctuation stripped, whitespace collapsed: how prompts are compared."""
    return " ".join(_PUNCTUATION.sub(" ", text.casefold()).split())


def clean(text: str) -> str:
    """Markdown emphasis dropped and whitespace collapsed; the words stay as written."""
    return " ".join(_EMPHASIS.sub("", text).split())


def without_parentheses(text: str) -> str:
    """The text without its asides in brackets, which make prompts and options hard to read."""
    previous = None
    while previous != text:
        previous, text = text, _PARENTHESIS.sub("", text)
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, not broken at "e.g." and the like."""
    protected = text
    for index, abbreviation in enumerate(_ABBREVIATIONS):
        pattern = re.compile(re.escape(abbreviation), re.IGNORECASE)
        protected = pattern.sub(f"\x00{index}\x00", protected)
    pieces = [p.strip() for p in _SENTENCE_END.split(protected) if p.strip()]
    restored = []
    for piece in pieces:
        for index, abbreviation in enumerate(_ABBREVIATIONS):
            piece = piece.replace(f"\x00{index}\x00", abbreviation)
        restored.append(piece)
    return restored


def sentences(document: ProcedureDocument) -> Iterator[Sentence]:
    """Every sentence of the document in reading order; tables are left to their own readers."""
    for section in document.sections:
        yield from section_sentences(section)


def section_sentences(section: Section) -> Iterator[Sentence]:
    lead_in = ""
    for block in section.blocks:
        if block.kind is BlockKind.TABLE:
            lead_in = ""
            continue
        text = clean(block.text)
        if block.kind is BlockKind.LIST_ITEM:
            # A step may hold several sentences: "… before starting work. The induction is
            # valid for 12 months." Each is read alone, under the list's lead-in.
            opened = lead_in if lead_in.endswith(":") else ""
            for part in split_sentences(text) or [text]:
                yield Sentence(part, section, block, opened)
            continue
        # A PDF line break lost can run "… 6.6.1 ends. 6.6.2 Animal by-product …" into one
        # paragraph; each sentence sheds its own clause number (one was asked on a blind set).
        parts = [_CLAUSE_NUMBER.sub("", part) for part in split_sentences(text)]
        for part in parts:
            yield Sentence(part, section, block)
        lead_in = parts[-1] if parts else ""


def table_row_sentence(header: tuple[str, ...], row: tuple[str, ...]) -> str:
    """A table row as a sentence a reviewer can find in the table: "Role: X; Responsibility: Y." """
    pairs = [f"{clean(h)}: {clean(c)}" for h, c in zip(header, row, strict=False) if clean(c)]
    return "; ".join(pairs).rstrip(".") + "."


def names_several(name: str) -> bool:
    """ "Section Supervisors" name several people; "Quality Manager", "Process", "QA" one."""
    last = name.split()[-1] if name.split() else ""
    return last.endswith("s") and not last.endswith("ss") and not is_acronym(last)


def is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2


_FUNCTION_WORDS = frozenset(
    ["The", "A", "An", "Each", "Every", "All", "Any", "This", "These", "If", "When", "Where",
     "Unless", "Once", "While", "Until", "Before", "After", "For", "In", "On", "At", "During"]
)  # fmt: skip


def lower_first(text: str) -> str:
    """The first word in lower case, unless it is an acronym or a name with inner capitals."""
    if not text:
        return text
    words = text.split(" ")
    first = words[0]
    if is_acronym(first) or any(c.isdigit() for c in first):
        return text
    # "Technical Documentation" is a name; "Approving the NCR" is not; "The Site Manager" has
    # an article before a name.
    # "If Q1 is full" opens a clause, not a name (drafted "Who contacts … If Q1 is full?" on a
    # blind test set).
    if first in _FUNCTION_WORDS:
        return first.lower() + text[len(first) :]
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return first[0].lower() + text[1:]


def heading_case(text: str) -> bool:
    """Title Case, as headings are written: "Handling of Documents"."""
    words = [w for w in text.split() if w[:1].isalpha() and len(w) > 3]
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def sentence_case(heading: str) -> str:
    """A heading as words in a sentence: "Handling of Documents" → "handling of documents",
    acronyms and names inside a lower-case heading kept: "Input for CAPA" → "input for CAPA".
    """
    words = heading.split()
    if not heading_case(heading):
        return lower_first(heading)
    return " ".join(w if is_acronym(w) else w[:1].lower() + w[1:] for w in words)


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def as_thing(text: str) -> str:
    """A clause cut down to the thing a prompt names: no asides, no leading article, no full stop.

    "The NCR register." → "NCR register"; "Approving concessions;" → "approving concessions".
    """
    thing = without_parentheses(clean(text)).strip(" .;:,")
    thing = re.sub(r"\s+(and|or)$", "", thing)
    return lower_first(thing)


def strip_article(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", text, flags=re.IGNORECASE)
