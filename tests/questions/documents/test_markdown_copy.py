from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from questions.documents.markdown_copy import to_markdown
from questions.documents.model import Block, BlockKind, Location, ProcedureDocument, Section
from questions.documents.reading import read_document
from tests.questions.documents.builders import (
    build_docx,
    build_docx_properties,
    build_markdown,
    build_markdown_front_matter,
    build_pdf,
)

BUILDERS = [
    build_markdown,
    build_markdown_front_matter,
    build_docx,
    build_docx_properties,
    build_pdf,
]


def _copy_read_back(tmp_path: Path, document: ProcedureDocument) -> ProcedureDocument:
    path = tmp_path / "copy" / f"{document.id.lower() or 'unknown'}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(to_markdown(document), encoding="utf-8")
    return read_document(path)


def _contents(document: ProcedureDocument) -> list[tuple[str, str, str, int]]:
    return [(s.number, s.heading, s.text, s.level) for s in document.sections]


@pytest.mark.parametrize("build", BUILDERS)
def test_the_copy_reads_back_as_the_same_procedure(
    tmp_path: Path, build: Callable[[Path], Path]
) -> None:
    document = read_document(build(tmp_path))

    again = _copy_read_back(tmp_path, document)

    assert (again.id, again.original_id, again.title, again.revision) == (
        document.id,
        document.original_id,
        document.title,
        document.revision,
    )
    assert (again.owner, again.owner_slack_id) == (document.owner, document.owner_slack_id)
    assert _contents(again) == _contents(document)
    assert again.revision_history == document.revision_history
    assert [s.fingerprint for s in again.sections] == [s.fingerprint for s in document.sections]


def test_the_copy_keeps_markers_and_cells(tmp_path: Path) -> None:
    document = read_document(build_markdown(tmp_path))

    again = _copy_read_back(tmp_path, document)

    def shape(
        d: ProcedureDocument,
    ) -> list[tuple[str, str | None, int, tuple[tuple[str, ...], ...]]]:
        return [(b.kind.value, b.marker, b.depth, b.rows) for s in d.sections for b in s.blocks]

    assert shape(again) == shape(document)


def test_the_copy_says_where_each_section_came_from(tmp_path: Path) -> None:
    document = read_document(build_pdf(tmp_path))

    copy = to_markdown(document)

    assert copy.startswith("---\nid: SP-04\noriginal_id: SP-04\n")
    assert "source: sp-04.pdf\n" in copy
    assert "## 4 Evaluating a new supplier\n<!-- page 2, paragraph 8 -->\n" in copy
    assert "| Role | Responsibility |\n|---|---|\n" in copy


def test_text_that_looks_like_markdown_survives_the_copy(tmp_path: Path) -> None:
    tricky = (
        "1. Not a list, but a sentence with *stars*, _underscores_, a | pipe and <@U012ABCDEF>",
        "- not a bullet either",
        "# not a heading",
        "a) nor a lettered item \\ with a backslash",
    )
    blocks = tuple(
        Block(BlockKind.PARAGRAPH, text, Location(n)) for n, text in enumerate(tricky, 2)
    )
    table = Block(BlockKind.TABLE, "A | B\nx|y | z", Location(9), rows=(("A", "B"), ("x|y", "z")))
    item = Block(BlockKind.LIST_ITEM, "Nested *step*", Location(10), marker="ii", depth=1)
    document = ProcedureDocument(
        id="QP-01",
        original_id="QP 01",
        title="Odd [text] procedure",
        revision="2",
        source="qp-01.docx",
        sections=(Section("1", "Purpose_of *it*", (*blocks, table, item), Location(1)),),
    )

    again = _copy_read_back(tmp_path, document)

    assert again.title == document.title
    assert _contents(again) == _contents(document)
    assert again.sections[0].blocks[-1].marker == "ii"
    assert again.sections[0].blocks[-1].depth == 1


def test_a_number_the_document_does_not_print_stays_unprinted_in_the_copy(tmp_path: Path) -> None:
    source = tmp_path / "unnumbered.md"
    source.write_text(
        "---\nid: QP 30\ntitle: Spills\nrevision: '2'\n---\n\n# Spills\n\n## Purpose\n\n"
        "Keep spills out of drains.\n\n## Responding\n\n### Containing\n\n"
        "The first responder shall fetch the spill kit.\n",
        encoding="utf-8",
    )
    document = read_document(source)
    copy = tmp_path / "copy.md"
    copy.write_text(to_markdown(document), encoding="utf-8")
    again = read_document(copy)
    assert "2.1 Containing" not in copy.read_text(encoding="utf-8")
    assert [(s.number, s.heading, s.numbered_by_document) for s in again.sections] == [
        ("1", "Purpose", False),
        ("2", "Responding", False),
        ("2.1", "Containing", False),
    ]
