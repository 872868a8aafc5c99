from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from questions.documents.model import Block, BlockKind, Missing, ProcedureDocument
from questions.documents.reading import read_document
from tests.questions.documents.builders import (
    build_docx,
    build_docx_properties,
    build_markdown,
    build_markdown_front_matter,
    build_pdf,
    write_docx,
    write_markdown,
    write_pdf,
)
from tests.questions.documents.sample_procedures import (
    CALIBRATION,
    INTERNAL_AUDIT,
    NONCONFORMING,
    SUPPLIER_EVALUATION,
    SampleProcedure,
)

BUILT = [
    (build_markdown, NONCONFORMING),
    (build_markdown_front_matter, CALIBRATION),
    (build_docx, INTERNAL_AUDIT),
    (build_docx_properties, NONCONFORMING),
    (build_pdf, SUPPLIER_EVALUATION),
]
IDS = ["markdown", "markdown-front-matter", "docx", "docx-properties", "pdf"]


def _headings(document: ProcedureDocument) -> tuple[tuple[str, str], ...]:
    return tuple((s.number, s.heading) for s in document.sections)


def _blocks(document: ProcedureDocument, number: str, kind: BlockKind) -> list[Block]:
    section = document.section(number)
    assert section is not None, f"no section {number}"
    return [b for b in section.blocks if b.kind is kind]


@pytest.mark.parametrize(("build", "sample"), BUILT, ids=IDS)
def test_each_format_gives_the_documents_sections(
    tmp_path: Path, build: Callable[[Path], Path], sample: SampleProcedure
) -> None:
    document = read_document(build(tmp_path))

    assert _headings(document) == sample.expected_sections


@pytest.mark.parametrize(("build", "sample"), BUILT, ids=IDS)
def test_each_format_gives_the_documents_metadata(
    tmp_path: Path, build: Callable[[Path], Path], sample: SampleProcedure
) -> None:
    document = read_document(build(tmp_path))

    assert (document.id, document.original_id) == (sample.id, sample.written_id)
    assert (document.title, document.revision) == (sample.title, sample.revision)
    assert document.missing == ()


@pytest.mark.parametrize(("build", "sample"), BUILT, ids=IDS)
def test_the_revision_history_is_kept_out_of_the_sections(
    tmp_path: Path, build: Callable[[Path], Path], sample: SampleProcedure
) -> None:
    document = read_document(build(tmp_path))

    assert document.revision_history == sample.history
    assert all("history" not in s.heading.casefold() for s in document.sections)
    assert all(b.rows != sample.history for s in document.sections for b in s.blocks)


@pytest.mark.parametrize("build", [build_markdown, build_docx, build_pdf])
def test_the_roles_table_keeps_its_cells(tmp_path: Path, build: Callable[[Path], Path]) -> None:
    document = read_document(build(tmp_path))

    (table,) = _blocks(document, "3", BlockKind.TABLE)
    assert table.rows[0] == ("Role", "Responsibility")
    assert len(table.rows) >= 5
    assert all(len(row) == 2 and all(row) for row in table.rows)


@pytest.mark.parametrize("build", [build_markdown, build_docx_properties])
def test_lists_keep_their_markers(tmp_path: Path, build: Callable[[Path], Path]) -> None:
    document = read_document(build(tmp_path))

    steps = _blocks(document, "5.1", BlockKind.LIST_ITEM)
    options = _blocks(document, "5.2", BlockKind.LIST_ITEM)
    bullets = _blocks(document, "4", BlockKind.LIST_ITEM)
    assert [b.marker for b in steps] == ["1", "2", "3", "4", "5"]
    assert steps[3].text == "Raise a nonconformance report on form QF-12."
    assert [b.marker for b in options] == ["a", "b", "c", "d"]
    assert {b.marker for b in bullets} == {"•"}


def test_a_word_list_starts_again_in_each_section(tmp_path: Path) -> None:
    document = read_document(build_docx(tmp_path))

    steps = _blocks(document, "5.1", BlockKind.LIST_ITEM)
    assert [b.marker for b in steps] == ["1", "2", "3", "4", "5", "6"]


def test_pdf_steps_are_list_items_on_their_page(tmp_path: Path) -> None:
    document = read_document(build_pdf(tmp_path))

    steps = _blocks(document, "4", BlockKind.LIST_ITEM)
    assert [b.marker for b in steps] == ["1", "2", "3", "4", "5"]
    assert {b.location.page for b in steps} == {2}
    assert steps[0].text == "Send the supplier questionnaire, form QF-30, to the supplier."


def test_pdf_sections_know_their_pages(tmp_path: Path) -> None:
    document = read_document(build_pdf(tmp_path))

    pages = {s.number: s.location.page for s in document.sections}
    assert pages == {"1": 1, "2": 1, "3": 1, "4": 2, "5": 2, "6": 2}


def test_locations_count_paragraphs_in_reading_order(tmp_path: Path) -> None:
    document = read_document(build_markdown(tmp_path))

    places = [s.location.paragraph for s in document.sections]
    places += [b.location.paragraph for s in document.sections for b in s.blocks]
    assert len(set(places)) == len(places)
    assert [s.location.paragraph for s in document.sections] == sorted(
        s.location.paragraph for s in document.sections
    )
    assert all(s.location.page is None for s in document.sections)


def test_a_table_in_place_of_a_list_is_kept_as_a_table(tmp_path: Path) -> None:
    document = read_document(build_markdown_front_matter(tmp_path))

    (table,) = _blocks(document, "3", BlockKind.TABLE)
    assert table.rows[0] == ("Step", "Action", "By")
    assert table.rows[4][1] == "Record the readings on form QF-40."


def test_unnumbered_headings_are_numbered_by_place(tmp_path: Path) -> None:
    document = read_document(build_docx(tmp_path))
    numbered = read_document(build_markdown(tmp_path))

    assert not any(s.numbered_by_document for s in document.sections)
    assert all(s.numbered_by_document for s in numbered.sections)
    assert [s.level for s in document.sections] == [1, 1, 1, 1, 1, 2, 2, 1]


@pytest.mark.parametrize("build", [build_markdown, build_markdown_front_matter, build_docx])
def test_the_owner_and_their_slack_user_are_told_apart(
    tmp_path: Path, build: Callable[[Path], Path]
) -> None:
    document = read_document(build(tmp_path))
    sample = {s.id: s for s in (NONCONFORMING, CALIBRATION, INTERNAL_AUDIT)}[document.id]

    assert document.owner == sample.owner
    assert document.owner_slack_id == sample.owner_slack_id


def test_arguments_win_over_the_document(tmp_path: Path) -> None:
    path = build_markdown(tmp_path)

    document = read_document(path, id="qp 80", title="Nonconforming parts", revision="5")

    assert (document.id, document.original_id) == ("QP-80", "qp 80")
    assert (document.title, document.revision) == ("Nonconforming parts", "5")


def test_what_the_document_does_not_say_is_missing(tmp_path: Path) -> None:
    path = write_docx(INTERNAL_AUDIT, tmp_path / "bare.docx")  # no header table, no properties
    path_without_history = tmp_path / "bare.md"
    path_without_history.write_text(
        "# Internal audit\n\n## Purpose\n\nAudits.\n\n## Scope\n\nAll.\n"
    )

    document = read_document(path)
    bare = read_document(path_without_history)

    assert document.missing == (Missing.ID,)
    assert (document.id, document.original_id, document.revision) == ("", "", "3.1")
    assert bare.missing == (Missing.ID, Missing.REVISION)
    assert bare.owner is None and bare.owner_slack_id is None


def test_a_missing_id_can_be_given(tmp_path: Path) -> None:
    path = write_docx(INTERNAL_AUDIT, tmp_path / "bare.docx")

    document = read_document(path, id="QP 14")

    assert (document.id, document.missing) == ("QP-14", ())


def test_a_pdf_header_table_gives_the_metadata(tmp_path: Path) -> None:
    path = write_pdf(INTERNAL_AUDIT, tmp_path / "qp-14.pdf", title_block=False, header_table=True)

    document = read_document(path)

    assert (document.id, document.revision, document.owner) == (
        "QP-14",
        "3.1",
        "Management Representative",
    )
    assert document.owner_slack_id == "U07A8DT2KQ"


def test_a_markdown_header_table_is_metadata_not_a_section(tmp_path: Path) -> None:
    path = write_markdown(NONCONFORMING, tmp_path / "qp-08.md", header_table=True)

    document = read_document(path)

    assert (document.original_id, document.revision) == ("QP 08", "4")
    assert _headings(document) == NONCONFORMING.expected_sections
    assert all("Document ID" not in s.text for s in document.sections)
