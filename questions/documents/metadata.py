"""Who a procedure is: its id, title, revision and owner, from wherever the document says so.

Looked for in this order, the first found winning: front matter or Word document properties; the
title block (the title heading, then lines such as "Document No: QP-08", "Rev. 4", "Revision: C",
"Issue 3", or a code just before its revision, "QP-08 Rev 4"); a key/value header table near the
top; the running page header and footer; the revision history's latest row, for the revision and,
where the table has a document column, the id. An owner's Slack user, written "<@U012ABCDEF>" or
"Slack: U012ABCDEF", is taken out of the owner's name into `owner_slack_id`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from questions.documents.labels import (
    Field,
    clean_value,
    field_for,
    header_row_pairs,
    plausible,
    revision_value,
)
from questions.documents.model import Block, BlockKind
from questions.documents.parsed import ParsedDocument
from questions.documents.sections import Rows, Split

_LABEL = (
    r"(?:document|doc|procedure|sop)\.?\s*(?:no|number|id|ref|reference|code)\.?"
    r"|(?:document|ref(?:erence)?\.?(?:\s*no\.?)?)(?=\s*:)"
    r"|rev(?:ision)?\.?(?:\s*no\.?)?|version|ver\.|issue(?:\s*no\.?)?"
    r"|title|(?:process\s+|document\s+)?owner|slack"
)
_TITLE_BLOCK = re.compile(
    rf"(?<!\w)(?<!of\s)(?P<label>{_LABEL})(?!\s*date)(?:\s*(?P<colon>[:#])\s*|\s+(?=(?-i:[A-Z0-9])))",
    re.IGNORECASE,
)
# Where a value ends when one line holds several ("Ref: ISMS-05 · Version: 2.1 · Owner: …",
# "Document: QP-19    Issue: C    Date: 03 June 2024"): a wide gap, a separator, or the next
# label of any kind, ours or not. A label's later words are lower case or abbreviations
# ("Effective date:", "Document No.:"), so "Owner: Quality Manager Effective date: …" keeps
# "Manager" in the owner's name.
_VALUE_END = re.compile(
    r"\s{2,}|\t|\s*[·•|;]\s*"
    r"|\s+(?=[A-Z][A-Za-z.]*(?:\s(?:[a-z][A-Za-z.]*|No\.?|ID|Ref\.?|Nr\.?)){0,2}\s*:)"
)
_SLACK = re.compile(
    r"<@(?P<mention>[UW][A-Z0-9]{6,})(?:\|[^>]*)?>|\bslack(?:\s*id)?\s*[:=]?\s*@?(?P<named>[UW][A-Z0-9]{6,})\b",
    re.IGNORECASE,
)
_SLACK_ID = re.compile(r"\b[UW][A-Z0-9]{6,}\b")
_DATES = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"), (3, 2, 1)),
)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_WORDY_DATE = re.compile(r"(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
_TITLE_BLOCK_LENGTH = 300
# An id printed just before its revision, unlabelled, as page headers do ("Q-WI-118 Rev C",
# "FS/CCP/02 Issue 6", "HSE SOP 07 Issue 3"); a few short capitalised words may lead it.
_CODED_REVISION = re.compile(
    r"(?<![\w./-])(?!ISO\s|IEC\s|EN\s)(?P<id>(?:[A-Z]{2,4}\s)*[A-Z0-9]+(?:[-./][A-Z0-9]+)*)"
    r"\s+(?:[-–—|]\s*)?(?i:rev(?:ision)?\.?|issue|version|ver\.)\s*:?\s*(?P<revision>[A-Z0-9][\w.]*)"
)
_TITLED_ID = re.compile(
    r"^(?P<id>[A-Z]{1,6}(?:[-./][A-Z0-9]+)*[-./]?\d[\w.]*)\s+[-–—:]?\s*(?=[A-Z])"
)


@dataclass(frozen=True)
class Metadata:
    id: str = ""
    original_id: str = ""
    title: str = ""
    revision: str = ""
    owner: str = ""
    owner_slack_id: str = ""


def find_metadata(parsed: ParsedDocument, split: Split) -> Metadata:
    found: dict[Field, str] = {}
    for field, value in _candidates(parsed, split):
        if value and field not in found:
            found[field] = value
    owner, slack_id = _owner_and_slack(found.get(Field.OWNER, ""))
    ids = [found.get(Field.ID, ""), found.get(Field.ORIGINAL_ID, "")]
    titled = _TITLED_ID.match(found.get(Field.TITLE, ""))
    if not any(ids) and titled:  # "# HR-PR-03 Training and Awareness" names its id
        found[Field.ID] = ids[0] = titled["id"]
    return Metadata(
        id=found.get(Field.ID, ""),
        original_id=found.get(Field.ORIGINAL_ID, ""),
        title=_without_id(found.get(Field.TITLE, ""), ids),
        revision=revision_value(found.get(Field.REVISION, "")),
        owner=owner,
        owner_slack_id=(_slack_id(found.get(Field.OWNER_SLACK_ID, "")) or slack_id).upper(),
    )


def latest_revision(rows: Rows) -> str:
    """The revision of a history table's latest row: by date where all rows have one, else last."""
    if len(rows) < 2:
        return ""
    header, body = rows[0], rows[1:]
    column = next((i for i, cell in enumerate(header) if field_for(cell) is Field.REVISION), None)
    if column is None:
        return ""
    dated = next((i for i, cell in enumerate(header) if "date" in cell.casefold()), None)
    entries = [row for row in body if len(row) > column and clean_value(row[column])]
    if not entries:
        return ""
    dates = [
        _date(row[dated]) if dated is not None and len(row) > dated else None for row in entries
    ]
    if all(dates):
        latest = max(range(len(entries)), key=lambda i: (dates[i], i))
        return clean_value(entries[latest][column])
    return clean_value(entries[-1][column])


def _candidates(parsed: ParsedDocument, split: Split) -> Iterator[tuple[Field, str]]:
    yield from _labelled(parsed.properties)
    yield Field.TITLE, split.title or parsed.title
    yield from _title_block(split.preamble)
    yield from _labelled(split.header)
    for line in parsed.margins:
        yield from _labelled_lines(line)
        yield from _coded_revision(line)
    yield Field.REVISION, latest_revision(split.revision_history)
    yield Field.ID, history_id(split.revision_history)


def history_id(rows: Rows) -> str:
    """The id in a history table's document column ("Document ID | Version | Date …"), from
    the last row that gives one: some documents print their id nowhere else."""
    if len(rows) < 2:
        return ""
    column = next((i for i, cell in enumerate(rows[0]) if field_for(cell) is Field.ID), None)
    if column is None:
        return ""
    ids = [clean_value(row[column]) for row in rows[1:] if len(row) > column]
    return next((i for i in reversed(ids) if plausible("document", i)), "")


def _labelled(pairs: Iterable[tuple[str, str]]) -> Iterator[tuple[Field, str]]:
    for label, value in pairs:
        field = field_for(label)
        if field is not None and plausible(label, value):
            yield field, clean_value(value)


def _title_block(preamble: Sequence[Block]) -> Iterator[tuple[Field, str]]:
    for block in preamble:
        if block.kind is BlockKind.TABLE:
            yield from _labelled(_table_pairs(block.rows))
            for row in block.rows:
                for cell in row:
                    yield from _labelled_lines(cell)
        elif len(block.text) <= _TITLE_BLOCK_LENGTH:
            yield from _labelled_lines(block.text)
            yield from _coded_revision(block.text)


def _coded_revision(text: str) -> Iterator[tuple[Field, str]]:
    """ "Q-WI-118 Rev C  First Article Inspection" → (id, "Q-WI-118"), (revision, "C")."""
    for match in _CODED_REVISION.finditer(text):
        if any(c.isdigit() for c in match["id"]) and any(c.isalpha() for c in match["id"]):
            yield Field.ID, match["id"]
            yield Field.REVISION, match["revision"]
            return


def _labelled_lines(text: str) -> Iterator[tuple[Field, str]]:
    """ "Document No: QP-08 Rev. 4" → ("Document No", "QP-08"), ("Rev.", "4")."""
    matches = list(_TITLE_BLOCK.finditer(text))
    if not matches:
        return
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(text)
        value = text[match.end() : end].strip(" *_`")
        if stop := _VALUE_END.search(value):
            value = value[: stop.start()]
        value = value.strip(" ,;|()")
        if not match["colon"]:
            value = value.split()[0] if value.split() else ""
        field = field_for(match["label"])
        if field is not None and plausible(match["label"], value):
            yield field, clean_value(value)


def _table_pairs(rows: Rows) -> list[tuple[str, str]]:
    """Label and value cells: a header row over its values, a row of two, or of four
    ("Document No. | QP-08 | Rev. | 4")."""
    if header := header_row_pairs(rows):
        return header
    return [
        (row[at], row[at + 1]) for row in rows if len(row) in (2, 4) for at in range(0, len(row), 2)
    ]


def _without_id(title: str, ids: list[str]) -> str:
    """ "HR-PR-03 Training, Competence and Awareness" → "Training, Competence and Awareness"."""
    for known in filter(None, ids):
        if title.startswith(known) and title[len(known) :].strip(" -–—:"):
            return title[len(known) :].strip(" -–—:")
    return title


def _owner_and_slack(owner: str) -> tuple[str, str]:
    match = _SLACK.search(owner)
    if match is None:
        return owner, ""
    name = (owner[: match.start()] + owner[match.end() :]).strip(" ()-,;:")
    return " ".join(name.split()), match["mention"] or match["named"]


def _slack_id(text: str) -> str:
    """ "U012ABCDEF" or "<@U012ABCDEF>" as the bare id; "" when it is not a Slack user id."""
    found = _SLACK_ID.search(text)
    return found[0] if found else ""


def _date(text: str) -> tuple[int, int, int] | None:
    for pattern, (year, month, day) in _DATES:
        if found := pattern.search(text):
            return int(found[year]), int(found[month]), int(found[day])
    if (wordy := _WORDY_DATE.search(text)) and wordy[2].casefold() in _MONTHS:
        return int(wordy[3]), _MONTHS.index(wordy[2].casefold()) + 1, int(wordy[1] or 1)
    return None
