"""The labels documents put before their id, title, revision and owner, in any of their layouts.

Front matter keys, Word document properties, title-block lines ("Document No: QP-08") and the
first column of a header table all name the same few facts; this maps their labels to fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum


class Field(StrEnum):
    ID = "id"
    ORIGINAL_ID = "original_id"
    TITLE = "title"
    REVISION = "revision"
    OWNER = "owner"
    OWNER_SLACK_ID = "owner_slack_id"


# "Document: QP-19" names the id, but "Document: Quality Manual" names another document.
_NAMES_A_DOCUMENT = {"document", "doc"}
_ID = "id identifier number code reference ref refno no docno docid docref docnumber"
_REVISION = "revision rev version ver issue revno revisionno issueno versionno sopversion"
_LABELS: dict[Field, set[str]] = {
    Field.ID: {
        *_ID.split(),
        *(f"{kind}{what}" for kind in ("document", "procedure", "sop") for what in _ID.split()),
        "procedure",
        *_NAMES_A_DOCUMENT,
    },
    Field.ORIGINAL_ID: {"originalid"},
    Field.TITLE: {"title", "documenttitle", "proceduretitle", "procedurename", "documentname"},
    Field.REVISION: {
        *_REVISION.split(),
        *(
            f"{kind}{what}"
            for kind in ("document", "doc", "procedure")
            for what in _REVISION.split()
        ),
        "issuerevision",
        "revisionissue",
        "issuerev",
        "versionrevision",
        "revisionnumber",
        "issuenumber",
        "versionnumber",
        "currentrevision",
        "currentversion",
    },
    Field.OWNER: {"owner", "processowner", "documentowner", "procedureowner", "ownedby"},
    Field.OWNER_SLACK_ID: {"slack", "slackid", "ownerslack", "ownerslackid", "ownerslackuser"},
}
_NOT_A_LETTER = re.compile(r"[^a-z]")
_PLACEHOLDER = re.compile(r"^(?:<[^@].*>|\[.*\]|n/?a|tbd|tbc|-+|—|–)$", re.IGNORECASE)


def field_for(label: str) -> Field | None:
    """The field a label names: "Document No." and "doc_id" name the id, "Rev" the revision."""
    key = _NOT_A_LETTER.sub("", label.casefold())
    return next((field for field, labels in _LABELS.items() if key in labels), None)


def header_row_pairs(rows: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """A table whose first row is all labels and whose second row holds their values
    ("Document No. | Title | Revision | Owner" over "QA-PR-018 | … | 3 | Quality Manager"),
    as label and value pairs; [] for any other table. Found on a held-out procedure, where the
    four cells were read as two label-value pairs ("Document No." = "Title")."""
    if len(rows) < 2 or len(rows[0]) != len(rows[1]) or len(rows[0]) < 2:
        return []
    if not all(field_for(cell) is not None for cell in rows[0]):
        return []
    return list(zip(rows[0], rows[1], strict=True))


def plausible(label: str, value: str) -> bool:
    """Whether `value` can be what `label` names: under a bare "Document" only an id with a
    number in it is taken; a revision is a number or a letter or two ("the current issue
    Page 1 of 3" names none, found on a held-out procedure)."""
    key = _NOT_A_LETTER.sub("", label.casefold())
    if field_for(label) is Field.REVISION:
        bare = revision_value(value)
        return bool(bare) and (any(c.isdigit() for c in bare) or len(bare) <= 2)
    return key not in _NAMES_A_DOCUMENT or any(c.isdigit() for c in value)


_REVISION_WORD = re.compile(r"^(?:rev(?:ision)?|issue|version|ver)\.?\s*(?:no\.?\s*)?:?\s*", re.I)
_LAST_REVISION = re.compile(r"\b(?:rev(?:ision)?)\.?\s*:?\s*([A-Z0-9][\w.]*)\s*$", re.IGNORECASE)


def revision_value(value: str) -> str:
    """A revision without the word for it: "Rev. C" → "C", "Issue 4" → "4", and of "Issue 3 /
    Rev. 04" the revision, "04"."""
    value = value.strip()
    if "/" in value and (last := _LAST_REVISION.search(value)):
        return last.group(1)
    return _REVISION_WORD.sub("", value).strip()


def clean_value(value: str) -> str:
    """The value without surrounding punctuation; "" for a template's placeholder ("<enter…>")."""
    stripped = value.strip().strip("*_`").strip()
    return "" if _PLACEHOLDER.match(stripped) else stripped


# "STANDARD OPERATING PROCEDURE" in a band over the title names the kind of document, not the
# procedure (read as the title of a blind test document).
KIND_OF_DOCUMENT = re.compile(
    r"^(?:(?:standard operating|quality|quality management system|health,? safety"
    r"(?: (?:&|and))? environment(?:al)?|hse|ehs|sheq|environmental|operating|site|controlled)"
    r"\s+)?(?:procedure|work instruction|policy|sop|instruction|document)$",
    re.IGNORECASE,
)
