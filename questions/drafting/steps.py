"""Numbered steps, as a list of actions (1, 2, 3 or a, b, c) or a table laid out "Step | Action |
By whom": drafts asking for the first step and for the step that comes after another, with
other steps as wrong options.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from questions.documents.model import Block, BlockKind, ProcedureDocument, Section
from questions.drafting.drafts import Answers, Draft, see
from questions.drafting.headings import heading_words
from questions.drafting.sentences import (
    clean,
    normalise,
    sentence_case,
    upper_first,
    without_parentheses,
)
from questions.drafting.verbs import gerund, is_duty_verb
from questions.model import Kind

_GENERIC_HEADING = frozenset(
    [
        "process",
        "processes",
        "steps",
        "step",
        "procedure",
        "procedures",
        "method",
        "workflow",
        "activities",
        "description",
        "the",
        "of",
        "and",
    ]
)
_TITLE_PREFIX = re.compile(r"^(?:sop|procedure|policy|process)\s*[:-]?\s+", re.IGNORECASE)
# Lettered lists under these headings are requirements side by side, not steps in order.
_NOT_STEPS = re.compile(r"polic|statement|requirement|principle|definition|scope", re.I)
_ALTERNATIVES = re.compile(
    r"\b(?:options?|alternatives?|one of|either|may include|can include|possible)\b", re.I
)
_BRANCH = re.compile(r"^(?:if|once|when|where|unless|otherwise|in the case)\b", re.IGNORECASE)
_QUOTABLE_WORDS = 12
_NEXT_SENTENCE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")
# An item this short names something rather than saying what to do.
_NAME_WORDS = 3
_AFTER_QUESTIONS = 1


@dataclass(frozen=True)
class Steps:
    """One sequence of steps and what it is the steps of ("releasing documents")."""

    section: Section
    context: str
    texts: tuple[str, ...]
    cites: tuple[str, ...]
    ordered: bool = False


def step_drafts(document: ProcedureDocument) -> Iterator[Draft]:
    original = document.original_id or document.id
    title = document.title
    # Only lists of actions: sub-section headings ("Creation", "Review") read as steps taught
    # only the order of a document's headings, and an independent reviewer rejected them.
    for steps in _listed(document, title):
        if steps.ordered and _actions(steps.texts):
            yield from _drafts(steps, original)


_BAND = re.compile(
    r"^(?:[<>≤≥]|\d|(?:below|above|under|over|less than|more than|up to|at least)\b)",
    re.IGNORECASE,
)


# "Backups shall follow the 3-2-1 rule", "Monthly: restore 10 files", "Sample sizes: …": rules
# that all hold at once, or tasks on their own cycles, not steps taken one after another. A
# blind reviewer rejected "What is the first step …?" asked of such lists as meaningless.
_STANDING_RULE = re.compile(
    r"^[^.]*\b(?:shall|must|should|may|will be)\b"
    r"|^(?:daily|weekly|monthly|quarterly|annually|yearly|every|each)\b"
    r"|^[A-Z][\w&/ -]{0,30}:\s",
    re.IGNORECASE,
)

# "The Technical Manager reviews a sample of records weekly", "Probes are calibrated every 12
# months": each on its own cycle, so none comes first.
_ON_A_CYCLE = re.compile(
    r"\b(?:daily|weekly|monthly|quarterly|annually|yearly)\b"
    r"|\b(?:every|each)\s+(?:\d+\s+)?(?:day|week|month|quarter|year)s?\b",
    re.IGNORECASE,
)


def _actions(texts: tuple[str, ...]) -> bool:
    """A list of things to do, not of names or states ("Draft", "Ready for Review", "Approved"),
    whose order would teach only the order of the list, nor of standing rules."""
    short = sum(len(text.split()) <= _NAME_WORDS for text in texts)
    # "80 to 100 – Approved", "Below 60 – Not approved": bands of a score, not things to do.
    banded = sum(bool(_BAND.match(text)) for text in texts)
    rules = sum(bool(_STANDING_RULE.match(text) or _ON_A_CYCLE.search(text)) for text in texts)
    return short * 2 <= len(texts) and banded * 2 < len(texts) and rules * 2 < len(texts)


def _drafts(steps: Steps, original: str) -> Iterator[Draft]:
    texts = steps.texts
    if len(texts) < 3:
        return
    first_wrong = _pick([t for t in texts[1:]], 3)
    yield Draft(
        kind=Kind.SINGLE,
        prompt=f"What is the first step {steps.context}?",
        section=steps.section,
        cites=steps.cites[0],
        explanation=f"First: {_sentence(texts[0])} Next: {_sentence(texts[1])} "
        f"{see(original, steps.section)}",
        answers=Answers.STEP,
        topic=steps.context,
        right=texts[0],
        wrong=tuple(first_wrong),
    )
    anchors = [i for i in range(1, len(texts) - 1) if _quotable(texts[i], texts[i + 1])]
    for index in anchors[:_AFTER_QUESTIONS]:
        others = [t for j, t in enumerate(texts) if j not in (index, index + 1)]
        later = [t for j, t in enumerate(texts) if j > index + 1]
        wrong = _pick(later + [t for t in others if t not in later], 3)
        yield Draft(
            kind=Kind.SINGLE,
            prompt=f"{_capital(steps.context)}, what comes after “{texts[index].rstrip('.')}”?",
            section=steps.section,
            cites=steps.cites[index + 1],
            explanation=f"After “{texts[index].rstrip('.')}” comes: {_sentence(texts[index + 1])} "
            f"{see(original, steps.section)}",
            answers=Answers.STEP,
            topic=steps.context,
            right=texts[index + 1],
            wrong=tuple(wrong),
        )


def _capital(context: str) -> str:
    return context[:1].upper() + context[1:]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _pick(texts: list[str], count: int) -> list[str]:
    return list(dict.fromkeys(texts))[:count]


def _quotable(anchor: str, following: str) -> bool:
    return (
        len(anchor.split()) <= _QUOTABLE_WORDS
        and not _BRANCH.match(anchor)
        and not _BRANCH.match(following)
        and _instruction(anchor)
        and _instruction(following)
    )


# "Mixed-date pallets: split by date …", "Product past its use-by date – no decision needed",
# "Client decision obtained in writing": rows of a table that are rules or states, not things
# done one after the other; asked "what comes after" they taught a false order on a blind set.
_RULE_OR_STATE = re.compile(r":\s|\s[–—]\s")


def _instruction(text: str) -> bool:
    return not _RULE_OR_STATE.search(text)


def _context(heading: str, title: str) -> str:
    """ "Handling of Documents" → "when handling documents"; "Containment" → "in containment";
    a heading that says only "Process Steps" → the procedure's title: "in the CAPA process".
    """
    heading_read = heading_words(heading)
    words = heading_read.words
    if not words:
        return ""
    if set(normalise(words).split()) <= _GENERIC_HEADING:
        named = sentence_case(without_parentheses(_TITLE_PREFIX.sub("", clean(title))))
        return f"in the {named} process" if named else ""
    first, *rest = words.split()
    if heading_read.instruction:  # "Step 1 – Prepare", "Shut down and isolate"
        doing = [gerund(w) if i and rest[i - 1] == "and" and is_duty_verb(w) else w
                 for i, w in enumerate(rest)]  # fmt: skip
        return " ".join(["when", gerund(first.lower()), *doing])
    if first.endswith("ing"):
        rest = rest[1:] if rest and rest[0] == "of" else rest
        return " ".join(["when", first, *rest])
    # "first step in issue of tools", "in lost tool" read as broken English in independent
    # review; the heading quoted reads whole whatever its words.
    return f"under “{upper_first(words)}”"


# A list whose order the document itself stresses: "in the following order", "Steps", "then".
# Over four blind reviews, 4 of 25 questions on the order of other numbered lists were approved:
# reviewers called them list trivia, or saw no order in the list at all.
_ORDER_CUE = re.compile(
    r"\b(?:order|sequence|sequential|steps?|stages?|step[- ]by[- ]step|in turn|then|before"
    r"|first|followed by)\b",
    re.IGNORECASE,
)


def _listed(document: ProcedureDocument, title: str) -> Iterator[Steps]:
    for section in document.sections:
        if _NOT_STEPS.search(section.heading):
            continue
        context = _context(section.heading, title)
        for run in _runs(section.blocks):
            texts = tuple(_step_text(b.text) for b in run)
            if any(not t for t in texts) or _enumeration(run) or _choices(section, run):
                continue
            # An activity's heading ("Calibrating a gauge", "Shut down and isolate") over a
            # numbered list says the list is how it is done.
            ordered = context.startswith("when ") or bool(
                _ORDER_CUE.search(f"{section.heading} {_lead(section, run)}")
            )
            yield Steps(section, context, texts, tuple(b.text for b in run), ordered)
        for block in section.blocks:
            if actions := _tabled_actions(block):
                texts = tuple(_step_text(text) for text in actions)
                if all(texts):
                    yield Steps(section, context, texts, actions, ordered=True)


_STEP_COLUMN = re.compile(r"^(?:step|stage|no\.?|#|seq(?:uence)?)$", re.IGNORECASE)
_ACTION_COLUMN = re.compile(
    r"^(?:action|activity|description|task|what to do|instruction)s?$", re.I
)


def _tabled_actions(block: Block) -> tuple[str, ...]:
    """The action column of a table laid out "Step | Action | By whom", its rows numbered in
    order (1, 2, 3 or on from an earlier table); () for any other table."""
    if block.kind is not BlockKind.TABLE or len(block.rows) < 4:
        return ()
    header, rows = block.rows[0], block.rows[1:]
    if not _STEP_COLUMN.match(header[0].strip()):
        return ()
    action = next((i for i, cell in enumerate(header) if _ACTION_COLUMN.match(cell.strip())), None)
    numbers = [row[0].strip().rstrip(".") for row in rows]
    # Numbered on from an earlier table ("5", "6", "7" under "Issuing the permit") is as good.
    start = int(numbers[0]) if numbers[0].isdigit() else 0
    if action is None or not start or numbers != [str(n) for n in range(start, start + len(rows))]:
        return ()
    return tuple(row[action] for row in rows if len(row) > action)


def _choices(section: Section, run: list[Block]) -> bool:
    """A list introduced as options ("The options are:") holds alternatives, not steps."""
    return bool(_ALTERNATIVES.search(_lead(section, run)))


def _lead(section: Section, run: list[Block]) -> str:
    """The paragraph that introduces a list ("Carry out these steps in order:")."""
    index = next(i for i, block in enumerate(section.blocks) if block is run[0])
    return section.blocks[index - 1].text if index else ""


def _step_text(text: str) -> str:
    """A step as an option: its first sentence, the step itself ("Obtain the ECP."), without
    the sentences that qualify it ("If there is no ECP, stop. …"), which made options too long
    to read in independent review."""
    first = _NEXT_SENTENCE.split(without_parentheses(clean(text)), maxsplit=1)[0]
    return first.rstrip(" ;:")


def _enumeration(run: list[Block]) -> bool:
    """Alternatives or a list of things ("Email;", "Phone call; or"), not steps in order."""
    ends = [b.text.rstrip() for b in run]
    return any(e.endswith((";", " or", " and", ",")) for e in ends) or all(
        len(e.split()) < 3 for e in ends
    )


def _runs(blocks: tuple[Block, ...]) -> Iterator[list[Block]]:
    """Top-level list items numbered 1, 2, 3 (or a, b, c) in a row, deeper items skipped."""
    run: list[Block] = []
    for block in blocks:
        if block.kind is BlockKind.LIST_ITEM and block.depth > 0:
            continue
        if block.kind is BlockKind.LIST_ITEM and _follows(run, block.marker):
            run.append(block)
            continue
        if len(run) >= 3:
            yield run
        run = [block] if block.kind is BlockKind.LIST_ITEM and _first(block.marker) else []
    if len(run) >= 3:
        yield run


def _first(marker: str | None) -> bool:
    return marker in ("1", "a", "A", "i")


def _follows(run: list[Block], marker: str | None) -> bool:
    if not run or marker is None or run[-1].marker is None:
        return False
    previous = run[-1].marker
    if previous.isdigit() and marker.isdigit():
        return int(marker) == int(previous) + 1
    return len(previous) == 1 and len(marker) == 1 and ord(marker) == ord(previous) + 1
