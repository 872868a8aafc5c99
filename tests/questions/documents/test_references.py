"""How drafts name the section they came from: the document's number, or else its heading."""

from __future__ import annotations

from questions.documents.model import Location, ProcedureDocument, Section
from questions.documents.references import is_section_number, numbers_named, section_references


def _section(number: str, heading: str, level: int, by_document: bool) -> Section:
    return Section(number, heading, (), Location(1), level=level, numbered_by_document=by_document)


def _document(*sections: Section) -> ProcedureDocument:
    return ProcedureDocument(
        id="HS-SOP-12",
        original_id="HS-SOP-12",
        title="Control of Contractors",
        revision="3",
        source="contractors.docx",
        sections=sections,
    )


UNNUMBERED = _document(
    _section("1", "Purpose", 1, False),
    _section("2", "Pre-qualification", 1, False),
    _section("2.1", "Records", 2, False),
    _section("3", "Completion", 1, False),
    _section("3.1", "Records", 2, False),
    _section("4", "A heading far too long to fit in the bank's section field of sixty", 1, False),
)


def test_an_unnumbered_section_is_named_by_its_heading_and_a_repeated_one_by_its_parent() -> None:
    assert section_references(UNNUMBERED) == {
        "1": "Purpose",
        "2": "Pre-qualification",
        "2.1": "Pre-qualification › Records",
        "3": "Completion",
        "3.1": "Completion › Records",
    }


def test_a_numbered_document_keeps_its_numbers() -> None:
    numbered = _document(_section("4", "Procedure", 1, True), _section("4.1", "Records", 2, True))
    assert section_references(numbered) == {}


def test_a_name_leads_back_to_the_sections_number() -> None:
    assert numbers_named(UNNUMBERED, "Pre-qualification") == ("2",)
    assert numbers_named(UNNUMBERED, "Completion › Records") == ("3.1",)
    # Numbers stay as they are, even one this revision lacks (a removed section).
    assert numbers_named(UNNUMBERED, "4, 7.2") == ("4", "7.2")
    assert numbers_named(UNNUMBERED, "Purpose; Completion") == ("1", "3")


def test_a_heading_the_revision_lacks_names_nothing() -> None:
    assert numbers_named(UNNUMBERED, "Records") is None
    assert numbers_named(UNNUMBERED, "Induction") is None


def test_numbers_and_headings_are_told_apart() -> None:
    assert is_section_number("4.2") and is_section_number("A.1") and is_section_number("4.1, 4.2")
    assert not is_section_number("Responsibilities")
    assert not is_section_number("Pre-qualification › Records")
