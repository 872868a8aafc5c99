from __future__ import annotations

import pytest

from questions.documents.ids import normalise_procedure_id
from questions.model import PROCEDURE_ID_PATTERN


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("CSC PR.016", "CSC-PR-016"),
        ("qp 08", "QP-08"),
        ("SOP_12.3", "SOP-12-3"),
        ("QP08", "QP-08"),
        ("QP-08", "QP-08"),
        ("  isp / 04 ", "ISP-04"),
        ("QMS--P--7", "QMS-P-7"),
        ("Qualité-3", "QUALITE-3"),
    ],
)
def test_ids_take_the_banks_spelling(written: str, normalised: str) -> None:
    assert normalise_procedure_id(written) == normalised
    assert PROCEDURE_ID_PATTERN.match(normalised)


@pytest.mark.parametrize("written", ["", "08", "QP", "-", "1-QP"])
def test_what_cannot_be_an_id_gives_nothing(written: str) -> None:
    assert normalise_procedure_id(written) == ""
