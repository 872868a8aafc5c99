"""The ISO clauses a procedure document names, in the bank's spelling ("ISO 9001:2015 8.7")."""

from __future__ import annotations

import re

from questions.documents.model import ProcedureDocument

# "ISO 9001:2015 clause 8.7", "ISO 13485:2016 Section 8.3", "ISO/IEC 27001:2022 A.5.24".
REFERENCE = re.compile(
    r"\bISO(?P<iec>/IEC)?\s*(?P<standard>\d{4,5}):\s*(?P<year>\d{4})"
    r"(?:[\s,]+(?:clause|section|§)?\s*(?P<clause>(?:A\.)?\d+(?:\.\d+)*))?",
    re.IGNORECASE,
)


def clause_references(document: ProcedureDocument) -> list[str]:
    """Every clause named with its number, once each, in the order they first appear."""
    found: list[str] = []
    texts = [document.title, *(f"{s.heading}\n{s.text}" for s in document.sections)]
    for text in texts:
        for match in REFERENCE.finditer(text):
            if match["clause"] is None:
                continue
            prefix = "ISO/IEC" if match["iec"] else "ISO"
            clause = f"{prefix} {match['standard']}:{match['year']} {match['clause']}"
            if clause not in found:
                found.append(clause)
    return found
