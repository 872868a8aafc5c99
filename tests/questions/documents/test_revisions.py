from __future__ import annotations

from questions.documents.revisions import Change, compare_sections, section_affected


def test_a_first_revision_changes_nothing() -> None:
    changes = compare_sections(None, [("1", "aa"), ("2", "bb")])
    assert changes.changed == () and changes.new == () and changes.removed == ()


def test_sections_are_compared_by_number() -> None:
    before = {"1": "aa", "2": "bb", "3": "cc"}
    changes = compare_sections(before, [("1", "aa"), ("2", "b2"), ("4", "dd")])
    assert changes.by_section == {"1": Change.UNCHANGED, "2": Change.CHANGED, "4": Change.NEW}
    assert changes.removed == ("3",)
    assert changes.changed == ("2", "3")
    assert changes.new == ("4",)


def test_a_question_is_affected_by_its_section_or_a_subsection_of_it() -> None:
    assert section_affected("4.2", ["4.2"])
    assert section_affected("4.2", ["4.2.1"])
    assert section_affected("4.1, 4.2", ["4.2"])
    assert not section_affected("4.2", ["4"])
    assert not section_affected("4.2", ["4.20"])
    assert not section_affected("", ["4.2"])
