"""What the checks know of a whole document: its facts, its words and how sections are named."""

from __future__ import annotations

from questions.documents.model import ProcedureDocument
from questions.documents.references import section_references
from questions.drafting import records, responsibilities, time_limits
from questions.drafting.checks import Evidence
from questions.drafting.roles import RoleBook
from questions.drafting.sentences import normalise, without_parentheses


def evidence_of(document: ProcedureDocument, book: RoleBook | None = None) -> Evidence:
    """The same evidence for the rules' drafts and for a model's proposals."""
    book = book or RoleBook(document)
    words = "\n".join(f"{s.heading}\n{s.text}" for s in document.sections)
    return Evidence(
        facts=(
            *responsibilities.facts(responsibilities.duties(document, book)),
            *records.facts(document),
            *time_limits.facts(document),
        ),
        text=normalise(words),
        without_asides=normalise(without_parentheses(words)),
        section_names=section_references(document),
    )
