from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from questions.grading import (
    Grading,
    KeyPointSpec,
    Verdict,
    grade_open_answer,
    key_points_from_json,
    stem,
)
from questions.loader import load_bank, sample_bank_path
from questions.model import Kind, Question, Stage

LABELLED = Path(__file__).with_name("open_answers.yaml")
FILES = load_bank(sample_bank_path()).files
BANK = {q.id: q for _, f in FILES for q in f.questions}
VOCABULARY = {q.id: f.vocabulary for _, f in FILES for q in f.questions}
# INT-01-006: a part that doesn't meet the drawing. Points: tag it, separate it, tell
# someone who decides; pass mark 2.
PART = BANK["INT-01-006"]
NEAR_MISS = BANK["INT-01-007"]


def grade(question: Question, reply: str) -> Grading:
    """Grade as an interview does: with the question's wrong claims and its bank's words."""
    assert question.pass_mark is not None
    return grade_open_answer(
        reply,
        question.key_points,
        question.pass_mark,
        contradicts=question.contradicts,
        vocabulary=VOCABULARY[question.id],
    )


def met(grading: Grading) -> list[str]:
    return [p.point.split(":")[0] for p in grading.points if p.matched]


# --- Matching ---------------------------------------------------------------------------------


def test_a_full_answer_passes_with_the_words_that_showed_each_point() -> None:
    grading = grade(PART, "Red tag it, put it in quarantine and tell quality")
    assert grading.verdict is Verdict.PASS
    assert grading.points_met == 3
    assert [p.evidence for p in grading.points] == ["Red tag", "quarantine", "tell quality"]
    assert "3 of 3 key points met (pass mark 2)" in grading.reason


@pytest.mark.parametrize(
    "reply",
    [
        "qurantine it and tel qualty",  # typos
        "tell quality and quarantine it",  # word order
        "QUARANTINE IT AND TELL QUALITY!!!",  # case and punctuation
        "quality needs telling, and the part gets quarantined",  # verb forms
        "I'd segregate the parts and let my supervisor know",  # plural and paraphrase
    ],
)
def test_matching_forgives_typos_order_case_and_word_forms(reply: str) -> None:
    grading = grade(PART, reply)
    assert grading.verdict is Verdict.PASS, grading.reason
    assert met(grading) == ["Separate it", "Tell someone who decides"]


def test_evidence_is_the_reply_s_own_words_as_typed() -> None:
    reply = "Well I'd put it in the QUARENTINE cage, then let my supervisor know."
    grading = grade(PART, reply)
    evidence = [p.evidence for p in grading.points if p.matched]
    assert evidence == ["QUARENTINE", "let my supervisor know"]
    assert all(e is not None and e in reply for e in evidence)


@pytest.mark.parametrize(
    "reply",
    [
        "I would not tell anyone, I'd just quarantine it",
        "i'd never report it, i'd just quarantine it",
        "I'd quarantine it. I wouldn't report it.",
        "quarantine it without telling quality",
        "I'd quarantine it instead of reporting it",
    ],
)
def test_a_point_said_in_the_negative_does_not_count(reply: str) -> None:
    grading = grade(PART, reply)
    assert grading.verdict is Verdict.FAIL, grading.reason
    assert met(grading) == ["Separate it"]


def test_a_negated_point_is_reported_as_such_with_the_negation_as_evidence() -> None:
    grading = grade(PART, "I'd put it aside. I wouldn't report it.")
    told = grading.points[2]
    assert told.negated and not told.matched and told.score == 0.0
    assert told.evidence == "wouldn't report"
    assert 'Said in the negative: Tell someone who decides: supervisor or quality ("wouldn' in (
        grading.reason
    )


def test_negation_of_something_else_in_another_clause_does_not_spread() -> None:
    grading = grade(PART, "Don't panic, red tag it and tell my supervisor")
    assert grading.verdict is Verdict.PASS
    grading = grade(PART, "not sure, but I'd tag it and tell quality")
    assert grading.verdict is Verdict.PASS


def test_a_phrasing_that_is_itself_negative_needs_the_negation() -> None:
    danger = BANK["INT-01-012"]
    assert grade(danger, "stop work and walk away, I won't be punished").verdict is Verdict.PASS
    punished = grade(danger, "I'd stop work but I'd be punished for it")
    assert punished.verdict is Verdict.FAIL
    assert not punished.points[2].matched


@pytest.mark.parametrize(
    "reply", ["I don't know", "no idea mate", "dunno", "Not a clue, sorry", "idk tbh"]
)
def test_dont_know_fails_clearly(reply: str) -> None:
    grading = grade(PART, reply)
    assert grading.verdict is Verdict.FAIL
    assert grading.points_met == 0
    assert "don't know" in grading.reason or "too short" in grading.reason


def test_saying_dont_know_but_then_answering_is_graded_on_the_answer() -> None:
    grading = grade(
        PART, "I don't know really, but I'd put it in the red bin and tell my supervisor"
    )
    assert grading.verdict is Verdict.PASS
    # Still guessing when it gives the answer: a person reads it.
    guessing = grade(
        PART, "I don't know really, maybe put it in the red bin and tell my supervisor?"
    )
    assert guessing.verdict is Verdict.UNSURE


@pytest.mark.parametrize("reply", ["", "   ", "👍", "?"])
def test_empty_replies_fail_clearly(reply: str) -> None:
    grading = grade(PART, reply)
    assert grading.verdict is Verdict.FAIL
    assert grading.reason == "Fail: the reply is empty."


@pytest.mark.parametrize("reply", ["tag it", "quarantine", "ok"])
def test_a_reply_too_short_to_reach_the_pass_mark_fails(reply: str) -> None:
    assert grade(PART, reply).verdict is Verdict.FAIL


def test_one_word_of_the_reply_counts_for_one_key_point_only() -> None:
    # "incident report" is the form; the same word "report" doesn't also count as telling.
    grading = grade(NEAR_MISS, "I'd fill in an incident report")
    assert met(grading) == [
        "Record it on the incident or near-miss form before the end of the shift"
    ]
    assert grading.verdict is Verdict.FAIL
    both = grade(NEAR_MISS, "I'd report it to the supervisor and fill in an incident report")
    assert both.verdict is Verdict.PASS


def test_words_are_shared_out_so_that_as_many_points_as_possible_are_met() -> None:
    # "complaints log" would take "complaint" for logging; giving "log it" to logging leaves
    # "complaint" for treating it as one.
    grading = grade(BANK["INT-01-010"], "Log it as a complaint within a day")
    assert grading.points_met == 2


def test_a_partial_match_is_unclear_and_goes_to_a_person() -> None:
    key_points = [
        {"point": "Call the safety officer", "phrasings": ["call the safety officer"]},
        {"point": "Leave the building", "phrasings": ["evacuate", "leave the building"]},
    ]
    grading = grade_open_answer("evacuate and call the officer", key_points, 2)
    assert grading.verdict is Verdict.UNSURE
    officer = grading.points[0]
    assert officer.uncertain and not officer.matched
    assert 70 <= officer.score < 85
    assert officer.evidence == "call the officer"
    assert grading.reason.endswith("please confirm it.")


def test_a_long_reply_one_point_short_with_other_words_goes_to_a_person() -> None:
    grading = grade(
        BANK["INT-01-005"], "I look it up on the intranet and check it's the latest issue"
    )
    assert grading.verdict is Verdict.UNSURE
    assert grading.points_met == 1
    assert '"latest"' in grading.reason and "please read it and confirm" in grading.reason


def test_a_clear_fail_is_not_sent_for_confirmation() -> None:
    grading = grade(PART, "I'd just rework it myself so the order isn't late")
    assert grading.verdict is Verdict.FAIL
    assert grading.points_met == 0


def test_key_points_stored_as_json_grade_the_same_as_bank_key_points() -> None:
    stored: list[dict[str, Any]] = [k.model_dump() for k in PART.key_points]
    reply = "put it in the quarentine area and let my supervisor know"
    expected = grade(PART, reply)
    for key_points in (key_points_from_json(stored), stored):
        again = grade_open_answer(
            reply, key_points, 2, contradicts=PART.contradicts, vocabulary=VOCABULARY[PART.id]
        )
        assert again == expected
    assert key_points_from_json(stored)[0] == KeyPointSpec(
        stored[0]["point"], tuple(stored[0]["phrasings"]), tuple(stored[0]["accept"])
    )


def test_grading_is_deterministic() -> None:
    reply = "well it depends, if its a reject I'd tag it and tell the supervisor"
    assert grade(PART, reply) == grade(PART, reply)


def test_a_pass_mark_outside_the_key_points_is_refused() -> None:
    with pytest.raises(ValueError, match="pass_mark 4 must be between 1 and 3"):
        grade_open_answer("tag it and tell quality", PART.key_points, 4)


def test_stems_join_plurals_and_verb_forms() -> None:
    assert len({stem(w) for w in ("tag", "tags", "tagged", "tagging")}) == 1
    assert stem("quarantined") == stem("quarantine") == stem("quarantining")
    assert stem("safely") == stem("safety") == stem("safe")
    assert stem("told") == stem("tell")
    assert stem("labelled") == stem("labeled") == stem("label")


# --- The sample bank's interview questions ----------------------------------------------------


def test_the_interview_file_covers_the_auditors_order_and_mixes_kinds() -> None:
    interview = [q for q in BANK.values() if q.id.startswith("INT-01-")]
    open_questions = [q for q in interview if q.kind is Kind.OPEN]
    assert 10 <= len(open_questions) <= 12
    assert {q.stage for q in open_questions} == set(Stage)
    assert all(3 <= len(q.key_points) <= 4 for q in open_questions)
    closed = [q for q in interview if q.kind is not Kind.OPEN]
    assert 4 <= len(closed) <= 6 and all(q.stage is not None for q in closed)


# --- The labelled replies ---------------------------------------------------------------------
# benchmarks/grader.py prints the figures of each part, with every false pass; these tests keep
# the set's shape and the held-out figures that docs/grading.md states.

HELD_OUT = ("holdout", "holdout2", "holdout6", "holdout9", "holdout10")
KINDS = {
    "terse", "plain-words", "non-native", "misspelt", "wordy", "keyword-stuffed", "negated",
    "wrong-claim", "hedged", "off-topic", "dont-know",
}  # fmt: skip


def labelled() -> list[dict[str, Any]]:
    replies: list[dict[str, Any]] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["replies"]
    return replies


def test_the_labelled_set_is_large_varied_and_covers_every_open_question() -> None:
    raw = labelled()
    assert len(raw) >= 400
    assert {r["grade"] for r in raw} <= {"pass", "fail", "borderline"}
    assert {r["kind"] for r in raw if "kind" in r} == KINDS
    assert all(BANK[r["question"]].kind is Kind.OPEN for r in raw)
    open_ids = {q.id for q in BANK.values() if q.kind is Kind.OPEN}
    assert {r["question"] for r in raw} == open_ids
    procedures = {q.split("-")[0] + "-" + q.split("-")[1] for q in open_ids}
    assert len(procedures) >= 3
    held_out = {r["question"] for r in raw if r["set"] in HELD_OUT}
    assert held_out == open_ids  # every open question is measured on replies not tuned on


def test_the_grader_meets_its_figures_on_the_held_out_replies() -> None:
    held = [r for r in labelled() if r["set"] in HELD_OUT]
    verdicts = [(r["grade"], grade(BANK[r["question"]], r["reply"]).verdict) for r in held]
    decided = [(truth, v) for truth, v in verdicts if v is not Verdict.UNSURE]
    passed = [truth for truth, v in decided if v is Verdict.PASS]
    should = [v for truth, v in decided if truth == "pass"]
    precision = passed.count("pass") / len(passed)
    recall = should.count(Verdict.PASS) / len(should)
    unsure = 1 - len(decided) / len(verdicts)
    # The product aims at 0.97, 0.90 and at most 15%; on these replies the grader scores 0.939,
    # 0.939 and 11% (docs/grading.md), short of the precision target. The floor sits just under
    # those figures, so the rules can't slide back unnoticed.
    assert precision >= 0.93 and recall >= 0.93 and unsure <= 0.12, (precision, recall, unsure)
