"""Warnings for a bank that loads but will likely grade worse than its author meant."""

from __future__ import annotations

from pathlib import Path

import pytest

from questions.bank_warnings import bank_warnings, file_warnings
from questions.loader import BankError, load_bank, sample_bank_path
from tests.questions.test_bank_check import BAD, GOOD, OPEN, open_question, write


def warnings_of(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, "qp-08.yaml", text)
    ((_, bank_file),) = load_bank(tmp_path).files
    return [str(w) for w in file_warnings(path, bank_file)]


def test_a_well_written_open_question_draws_no_warning(tmp_path: Path) -> None:
    assert warnings_of(tmp_path, OPEN) == []


def test_closed_questions_draw_no_warning(tmp_path: Path) -> None:
    assert warnings_of(tmp_path, GOOD) == []


@pytest.mark.parametrize("accept", ["[]", "[put it in the quarantine area]"])
def test_a_key_point_without_a_terse_accepted_reply(tmp_path: Path, accept: str) -> None:
    text = open_question("accept: [quarantine it]", f"accept: {accept}")
    (warning,) = warnings_of(tmp_path, text)
    assert warning == (
        f"{tmp_path / 'qp-08.yaml'}: question QP-08-010: key point 2 "
        '("Keep it apart in quarantine"): accept: no accepted short reply of 3 words or fewer; '
        'add the terse ways people make this point ("tag it", "tell the boss") so a terse '
        "right answer counts"
    )


def test_an_accepted_reply_of_more_than_8_words_belongs_in_phrasings(tmp_path: Path) -> None:
    long = "[quarantine it, put it in the cage by the goods in door]"
    (warning,) = warnings_of(tmp_path, open_question("[quarantine it]", long))
    assert warning.endswith(
        'key point 2 ("Keep it apart in quarantine"): accept: \'put it in the cage by the '
        "goods in door' is 10 words; accept is for short replies, so move it to phrasings"
    )


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        (
            "[bin it]",
            "key point 2 (\"Keep it apart in quarantine\"): contradicts: 'bin it' is part of the "
            "phrasing 'put it in the reject bin': a reply making this point also makes the "
            "wrong claim and fails; reword the claim",
        ),
        (
            "[Quarantine]",
            "key point 2 (\"Keep it apart in quarantine\"): contradicts: 'Quarantine' is the "
            "same as the phrasing 'quarantine'",
        ),
        (
            # Said by the phrasing "red tag" too; the accepted reply says nothing else.
            "[tagging it]",
            "key point 1 (\"Tag it as nonconforming\"): contradicts: 'tagging it' is the same "
            "as the accepted reply 'tag it'",
        ),
        # The vocabulary makes "team leader" the supervisor of "tell my supervisor".
        (
            "[tell the team leader]",
            'key point 3 ("Tell the supervisor or Quality"): contradicts: \'tell the team '
            "leader' is the same as the phrasing 'tell my supervisor'",
        ),
    ],
)
def test_a_wrong_claim_that_right_answers_make_too(
    tmp_path: Path, claims: str, expected: str
) -> None:
    (warning,) = warnings_of(tmp_path, open_question("[ship it anyway, fix it myself]", claims))
    assert expected in warning, warning


@pytest.mark.parametrize(
    "claims",
    [
        "[never tag it]",  # said in the negative: a reply that tags it doesn't say it
        "[tag it and ship it]",  # holds a phrasing, but "tag it" alone doesn't say it
        "[bin it straight away]",
    ],
)
def test_a_wrong_claim_no_right_answer_makes_draws_no_warning(tmp_path: Path, claims: str) -> None:
    assert warnings_of(tmp_path, open_question("[ship it anyway, fix it myself]", claims)) == []


def test_the_same_phrasing_under_two_key_points(tmp_path: Path) -> None:
    text = open_question("[red tag, label it as reject]", "[red tag, Quarantine]")
    assert [w.split(": question QP-08-010: ")[1] for w in warnings_of(tmp_path, text)] == [
        "key point 2 (\"Keep it apart in quarantine\"): phrasings: 'quarantine' is also listed "
        'under key point 1 ("Tag it as nonconforming"); a reply saying it meets only one of '
        "them, so keep it under the point it makes",
        # "it" is a filler word, so the accepted reply says the same to the grader.
        "key point 2 (\"Keep it apart in quarantine\"): accept: 'quarantine it' is also listed "
        "under key point 1 (\"Tag it as nonconforming\") as 'Quarantine'; a reply saying it "
        "meets only one of them, so keep it under the point it makes",
    ]


def test_the_same_phrasing_in_other_company_words_under_two_key_points(tmp_path: Path) -> None:
    text = open_question("[red tag, label it as reject]", "[red tag, tell the team leader]")
    first, second = warnings_of(tmp_path, text)
    assert (
        "key point 3 (\"Tell the supervisor or Quality\"): phrasings: 'tell my supervisor' is "
        "also listed under key point 1 (\"Tag it as nonconforming\") as 'tell the team leader'"
    ) in first
    assert "key point 3 (\"Tell the supervisor or Quality\"): accept: 'tell the foreman'" in second


def test_vocabulary_no_wording_uses_is_dead(tmp_path: Path) -> None:
    text = open_question(
        "  supervisor: [team leader, foreman]",
        "  supervisor: [team leader, foreman]\n  manager: [boss, gaffer]",
    )
    (warning,) = warnings_of(tmp_path, text)
    assert warning == (
        f"{tmp_path / 'qp-08.yaml'}: vocabulary: no phrasing, accepted reply or wrong claim in "
        "this file says 'manager' or a word listed under it, so the entry changes nothing; use "
        "it or remove it"
    )


def test_vocabulary_used_through_one_of_its_words_is_alive(tmp_path: Path) -> None:
    # Only "foreman", a word under "supervisor", is said by an accepted reply.
    text = open_question("[tell my supervisor, raise an NCR]", "[raise an NCR]")
    assert warnings_of(tmp_path, text) == []


def test_an_open_question_without_wrong_claims(tmp_path: Path) -> None:
    text = open_question("    contradicts: [ship it anyway, fix it myself]\n", "")
    (warning,) = warnings_of(tmp_path, text)
    assert warning.endswith(
        "question QP-08-010: contradicts: lists no wrong claims; add what people say when they "
        'get the procedure wrong ("we never fill it in"), so a reply that says one cannot pass'
    )


def test_an_open_question_without_a_stage_is_never_asked(tmp_path: Path) -> None:
    (warning,) = warnings_of(tmp_path, open_question("    stage: problems\n", ""))
    assert warning.endswith(
        "question QP-08-010: stage: is missing, so no interview asks it (open questions are "
        "asked only in mock audits); add one of policy, objectives, procedures, problems, "
        "implications"
    )


def test_a_long_key_point_is_named_by_its_first_words(tmp_path: Path) -> None:
    point = "Tell the supervisor or Quality, who raise the NCR and decide what happens to it"
    text = open_question("Tell the supervisor or Quality\n", point + "\n")
    text = text.replace("        accept: [tell the foreman]\n", "")
    (warning,) = warnings_of(tmp_path, text)
    assert 'key point 3 ("Tell the supervisor or Quality, who raise the NCR…"): ' in warning


def test_warnings_cover_every_file_in_order(tmp_path: Path) -> None:
    write(tmp_path, "qp-08.yaml", open_question("        accept: [tag it]\n", ""))
    no_claims = open_question("[ship it anyway, fix it myself]", "[]")
    write(tmp_path, "qp-10.yaml", no_claims.replace("QP-08", "QP-10"))
    warnings = bank_warnings(load_bank(tmp_path).files)
    assert [(Path(w.file).name, w.question_id, w.field) for w in warnings] == [
        ("qp-08.yaml", "QP-08-010", "accept"),
        ("qp-10.yaml", "QP-10-010", "contradicts"),
    ]


def test_a_bank_with_problems_keeps_its_valid_files_for_their_warnings(tmp_path: Path) -> None:
    write(tmp_path, "qp-08.yaml", open_question("        accept: [tag it]\n", ""))
    write(tmp_path, "qp-09.yaml", BAD)
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert [p.name for p, _ in caught.value.parsed] == ["qp-08.yaml"]
    assert [w.field for w in bank_warnings(caught.value.parsed)] == ["accept"]


def test_the_sample_bank_warnings_are_about_open_questions_only() -> None:
    bank = load_bank(sample_bank_path())
    open_ids = {q.id for _, f in bank.files for q in f.questions if q.kind == "open"}
    assert {w.question_id for w in bank_warnings(bank.files)} <= open_ids | {None}
