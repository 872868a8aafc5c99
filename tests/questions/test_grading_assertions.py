"""The grader counts what a reply asserts: clauses, negation and hedge scope, lists of terms,
contradicting claims, accepted short replies and the bank's vocabulary.

The key points are written here rather than taken from the sample bank, so each rule is tested
on its own and the bank can grow without changing these tests.
"""

from __future__ import annotations

import pytest

from questions.grading import Grading, KeyPointSpec, Verdict, grade_open_answer

# "You find a part that doesn't meet the drawing: what do you do?"
PART = (
    KeyPointSpec("Tag it", ("red tag", "label it", "tag it"), accept=("red tag", "tag it")),
    KeyPointSpec(
        "Separate it",
        ("quarantine", "put it aside", "segregate"),
        accept=("quarantine", "put it aside"),
    ),
    KeyPointSpec(
        "Tell someone who decides",
        ("tell my supervisor", "tell quality", "raise an NCR"),
        accept=("tell the supervisor", "NCR"),
    ),
)
WRONG_CLAIMS = ("use it anyway", "just bin it", "fix it myself")
VOCABULARY = {"supervisor": ["team leader", "foreman"], "quality": ["QA"]}


def grade(reply: str, pass_mark: int = 2) -> Grading:
    return grade_open_answer(
        reply, PART, pass_mark, contradicts=WRONG_CLAIMS, vocabulary=VOCABULARY
    )


def test_statements_of_what_the_person_does_pass() -> None:
    assert grade("I'd red tag it, quarantine it and tell my supervisor").verdict is Verdict.PASS


# --- Lists of terms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "red tag, quarantine, supervisor",
        "tag quarantine supervisor",
        "Red tag. Quarantine. Supervisor.",
    ],
)
def test_a_bare_list_of_terms_is_unsure_at_best(reply: str) -> None:
    grading = grade(reply)
    assert grading.verdict is Verdict.UNSURE
    assert "lists terms but states nothing" in grading.reason or "Unclear" in grading.reason


def test_naming_just_the_accepted_short_replies_is_a_terse_answer_not_a_list() -> None:
    assert grade("red tag, quarantine").verdict is Verdict.PASS
    # Naming more than was asked, in bare terms, is a list again.
    assert grade("red tag, quarantine, NCR").verdict is Verdict.UNSURE


def test_fragments_count_once_a_statement_makes_a_point() -> None:
    grading = grade("Quarantine cage by the door. Then I tell my supervisor")
    assert grading.verdict is Verdict.PASS
    assert grading.points_met == 2


# --- Negation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "I wouldn't label it or put it aside",  # the negation distributes over "or"
        "I wouldn't tag it or quarantine it or tell my supervisor",
        "I'd neither tag it nor put it aside",
        "honestly I never bother to tag it, or put it aside, not my job",  # far from the term
    ],
)
def test_negation_carries_over_a_coordination(reply: str) -> None:
    grading = grade(reply)
    assert grading.verdict is Verdict.FAIL, grading.reason
    assert grading.points_met == 0


def test_a_clause_with_its_own_subject_is_not_negated_by_the_one_before() -> None:
    grading = grade("I wouldn't use it, I'd tag it and I'd quarantine it")
    assert grading.verdict is Verdict.PASS, grading.reason


def test_negation_in_a_subordinate_clause_stays_there() -> None:
    # "because it's not right" negates nothing of what the person does.
    grading = grade("I tag it and quarantine it because it's not right to send it on")
    assert grading.verdict is Verdict.PASS, grading.reason
    # And the main clause's negation doesn't reach into "because".
    grading = grade("I don't tag it because the supervisor does, I just put it aside")
    assert grading.points[0].negated
    assert grading.verdict is not Verdict.PASS


def test_a_negator_after_the_words_in_the_same_clause_counts() -> None:
    grading = grade("I quarantine it, I tell my supervisor nothing")
    assert not grading.points[2].matched
    assert grading.points[2].negated


def test_negation_inside_a_condition_stays_there() -> None:
    assert grade("if it's not to drawing I tag it and quarantine it").verdict is Verdict.PASS


def test_negation_carries_over_and_from_a_clause_with_a_subject_but_not_after_an_order() -> None:
    assert grade("I wouldn't tag it and put it aside").verdict is Verdict.FAIL
    assert grade("don't use it, tag it and tell my supervisor").verdict is Verdict.PASS
    assert (
        grade("Don't touch it and tell my supervisor, then quarantine it").verdict is Verdict.PASS
    )


def test_a_negation_pointing_back_negates_what_came_before() -> None:
    grading = grade("tagging it, quarantining it - that's stuff I don't bother with")
    assert grading.verdict is Verdict.FAIL
    assert grade("Red tag, quarantine. None of that happens here").verdict is Verdict.FAIL
    # Opening the reply, it points ahead.
    assert grade("Not something I'd do, tagging it and putting it aside").verdict is Verdict.FAIL


def test_a_negation_interrupted_by_a_condition_reaches_its_verb() -> None:
    grading = grade("I wouldn't, if it was late or a weekend, be tagging it or quarantining it")
    assert grading.points_met == 0


def test_playing_the_procedure_down_narrowing_or_disowning_it_goes_to_a_person() -> None:
    for reply in (
        "I tag it and quarantine it, no point telling my supervisor",
        "I tag it and quarantine it but only if QA are around",
        # Disowning it, or keeping it in theory.
        "I red tag it and quarantine it, anything more is above my pay grade",
        "I red tag it and quarantine it. The rest is not my department, the office sort it",
        "By the book it's red tag and quarantine, tell the supervisor. That's the theory",
    ):
        grading = grade(reply)
        assert grading.verdict is Verdict.UNSURE, reply
        assert "plays something down" in grading.reason
    assert grade("I tag it and quarantine it, not only the one part").verdict is Verdict.PASS


def test_narrowing_with_only_at_the_end_of_a_clause_goes_to_a_person() -> None:
    narrowed = grade("I red tag it and quarantine it, that's for big faults only")
    assert narrowed.verdict is Verdict.UNSURE
    assert "plays something down" in narrowed.reason
    # A label's wording is no narrowing.
    labelled = grade("I red tag it, quarantine it and mark the drawing for reference only")
    assert labelled.verdict is Verdict.PASS


@pytest.mark.parametrize(
    "reply",
    [
        "I'd red tag it and quarantine it, but honestly it doesn't change anything",
        "Red tags and the quarantine cage are there but I've never used them",
        "I red tag it and quarantine it. It doesn't really involve me though",
    ],
)
def test_a_denial_after_but_or_before_though_takes_back_what_came_before(reply: str) -> None:
    grading = grade(reply)
    assert grading.verdict is Verdict.UNSURE, reply
    assert "plays something down" in grading.reason


@pytest.mark.parametrize(
    "reply",
    [
        # Conceding a fact takes nothing back.
        "I red tag it and quarantine it, even though nobody checks",
        # Saying no to a wrong claim makes a point of its own.
        "I red tag it and quarantine it, but I wouldn't fix it myself",
        # So does a key point said in the negative form its phrasing has.
        "I red tag it, but I don't keep it at the machine: I put it aside",
    ],
)
def test_a_denial_that_makes_a_point_takes_nothing_back(reply: str) -> None:
    assert grade(reply).verdict is Verdict.PASS, reply


def test_a_key_point_as_the_subject_of_a_verb_said_no_to_is_not_met() -> None:
    grading = grade("I red tag it. Quarantine isn't part of it here")
    assert grading.verdict is not Verdict.PASS
    separate = grading.points[1]
    assert not separate.matched and separate.negated
    # Said first, with its verb said yes to, it is met.
    assert grade("Quarantine is where it goes, and I red tag it").verdict is Verdict.PASS


def test_names_listed_before_an_unrelated_statement_are_names_not_points() -> None:
    grading = grade("Tags, quarantine and NCRs are all on the agenda for Thursday's meeting")
    assert grading.verdict is not Verdict.PASS
    # Names in a statement about something else make no point: no person need read it.
    named = grade("the supervisor said the quarantine cage needs new tags")
    assert named.verdict is Verdict.FAIL
    assert [p.doubt for p in named.points[:2]] == ["named among others in one clause"] * 2
    # Each said with its own verb, they are points.
    assert grade("Red tag it, quarantine it, and QA get told").verdict is Verdict.PASS


# --- Hedges -------------------------------------------------------------------------------------


def test_a_hedge_makes_its_clause_unclear_not_the_whole_reply() -> None:
    hedged = grade("maybe tag it? and put it aside I guess")
    assert hedged.verdict is Verdict.UNSURE
    assert {p.doubt for p in hedged.points if p.evidence} == {"hedged"}
    # A hedge alone in its clause covers the clause next to it...
    assert grade("not sure, tag it and quarantine it").verdict is Verdict.UNSURE
    # ...but not over a "but".
    assert grade("not sure why, but I tag it and quarantine it").verdict is Verdict.PASS


def test_a_hedge_carries_over_a_coordination_like_negation() -> None:
    guess = grade("maybe tag it or quarantine it")
    assert [p.doubt for p in guess.points[:2]] == ["hedged", "hedged"]
    assert guess.verdict is Verdict.UNSURE
    # A clause with its own subject makes its own claim.
    assert grade("maybe tag it, I quarantine it and I tell quality").verdict is Verdict.PASS


def test_a_dump_of_terms_fails() -> None:
    grading = grade("red tag, quarantine, supervisor, NCR")
    assert grading.verdict is Verdict.FAIL
    assert "lists terms but states nothing" in grading.reason


def test_a_list_is_explained_as_a_list() -> None:
    grading = grade("red tag, quarantine, supervisor")
    assert "lists terms but states nothing" in grading.reason
    assert "unclear points decide" not in grading.reason


# --- Contradictions -----------------------------------------------------------------------------


def test_a_wrong_claim_beats_the_key_points_present() -> None:
    grading = grade("I'd red tag it and tell my supervisor, then use it anyway")
    assert grading.points_met == 2
    assert grading.verdict is Verdict.FAIL
    assert grading.contradiction == "use it anyway"
    assert "claims what the procedure rules out" in grading.reason


def test_a_wrong_claim_of_one_word_among_filler_is_matched_word_for_word() -> None:
    # "just bin it" is the wrong claim; "the reject bin" is the right place.
    assert grade("tag it and put it in the reject bin").contradiction is None
    assert grade("tag it, tell my supervisor, then just bin it").verdict is Verdict.FAIL


def test_a_hedged_wrong_claim_goes_to_a_person() -> None:
    grading = grade("tag it and tell my supervisor, or maybe just bin it")
    assert grading.verdict is Verdict.UNSURE
    assert grading.contradiction is not None


def test_a_wrong_claim_said_in_the_negative_is_no_wrong_claim() -> None:
    grading = grade("I'd tag it and tell my supervisor, I wouldn't use it anyway")
    assert grading.verdict is Verdict.PASS
    assert grading.contradiction is None


# --- Terse accepted forms and the vocabulary --------------------------------------------------


@pytest.mark.parametrize("reply", ["tag it + NCR", "red tag and quarantine", "Tag it. Quarantine."])
def test_terse_accepted_forms_pass(reply: str) -> None:
    assert grade(reply).verdict is Verdict.PASS, grade(reply).reason


def test_an_accepted_form_meets_a_pass_mark_of_one_on_its_own() -> None:
    assert grade("NCR", pass_mark=1).verdict is Verdict.PASS


def test_the_vocabulary_stands_in_for_the_words_of_a_phrasing() -> None:
    grading = grade("I'd quarantine it and tell my foreman")
    assert grading.verdict is Verdict.PASS
    assert grading.points[2].evidence == "tell my foreman"
    assert grade("tag it and tell QA").verdict is Verdict.PASS
    without = grade_open_answer("quarantine it and tell my foreman", PART, 2)
    assert without.verdict is not Verdict.PASS


def test_words_between_quotes_are_named_not_said() -> None:
    grading = grade("Our team won the quiz for knowing what 'red tag' and 'quarantine' mean")
    assert grading.verdict is not Verdict.PASS
    assert all(not p.matched for p in grading.points)
    # A quoted label on a point said outside the quotes leaves the point met.
    assert grade("I red tag it 'Reject' and quarantine it").verdict is Verdict.PASS


def test_a_question_put_to_oneself_doubts_what_came_before_it() -> None:
    grading = grade("I red tag it, or is it the yellow tag... and quarantine it")
    assert grading.verdict is Verdict.UNSURE
    assert grading.points[0].doubt == "hedged"
    # "or" before a clause of its own is no question.
    assert grade("I red tag it and quarantine it or it gets used").verdict is Verdict.PASS


def test_a_negating_prefix_is_no_small_typo() -> None:
    copies = (KeyPointSpec("Uses the controlled copy", ("controlled copy",)),)
    assert not grade_open_answer("I use the uncontrolled copy", copies, 1).points[0].matched
    assert grade_open_answer("I use the controled copy", copies, 1).points[0].matched


def test_clipped_sentences_that_keep_their_small_words_are_said_not_listed() -> None:
    reply = "red tag on the part, into quarantine, tell the supervisor, log the NCR"
    assert grade(reply).verdict is Verdict.PASS
    # The same items with the small words dropped are a dump of terms.
    grading = grade("red tag part, quarantine, tell supervisor, log NCR")
    assert grading.verdict is Verdict.UNSURE
    assert "lists terms" in grading.reason


def test_one_point_short_with_other_words_goes_to_a_person_only_when_said_plainly() -> None:
    # The other words may make the missing point in words the bank doesn't have...
    plain = grade("I red tag it and walk the thing over to the holding area myself")
    assert plain.verdict is Verdict.UNSURE
    assert "one point short" in plain.reason
    # ...but said with a "just", or beside a "no", they are short of the point itself.
    for reply in (
        "I red tag it and just leave the thing sitting beside the machine for later",
        "I red tag it. Nobody walks the thing over to the holding area here",
    ):
        assert grade(reply).verdict is Verdict.FAIL, reply


def test_a_long_list_that_keeps_its_small_words_is_no_dump_of_terms() -> None:
    waste = (
        KeyPointSpec("Oily rags in the red drum", ("oily rags in the red drum",)),
        KeyPointSpec("Swarf kept separate", ("swarf in separate skips",)),
    )
    said = "oily rags in the red drum, swarf in separate skips, plastic in the other bin, paper"
    # Not failed as a recital: its points are read like any fragment's.
    assert grade_open_answer(said, waste, 1).verdict is Verdict.UNSURE
    dumped = "oily rags red drum, swarf separate skips, plastic bin, paper"
    assert grade_open_answer(dumped, waste, 1).verdict is Verdict.FAIL


@pytest.mark.parametrize(
    "reply",
    [
        "I red tag it, quarantine it and tell my supervisor at the end of the week",
        "I red tag it and quarantine it, and raise the NCR when I get a chance",
    ],
)
def test_putting_the_procedure_off_goes_to_a_person(reply: str) -> None:
    grading = grade(reply)
    assert grading.verdict is Verdict.UNSURE, reply
    assert "plays something down" in grading.reason


def test_a_denial_pointing_back_after_a_but_reaches_the_sentence_before() -> None:
    said = "You red tag it and quarantine it, that's the rule."
    assert grade(said + " But that's quality's job, I'm not touching any of it.").verdict is (
        Verdict.FAIL
    )
    # Without the "but", a denial that points back stays in its own sentence.
    assert grade(said + " That's handy, I'm not touching any of the scrap.").verdict is not (
        Verdict.FAIL
    )


def test_a_wrong_claims_words_split_by_a_because_are_no_claim() -> None:
    reply = "I red tag it and quarantine it, use it as evidence, because anyway the NCR needs it"
    assert grade(reply).contradiction is None
    assert grade(reply).verdict is Verdict.PASS
    assert grade("I red tag it and quarantine it, then use it anyway").verdict is Verdict.FAIL


def test_points_only_heard_of_are_named_not_said() -> None:
    for reply in (
        "last time I heard red tags and quarantine in one sentence was at the Christmas party",
        "red tags and quarantine came up at the toolbox talk, the foreman went on and on",
    ):
        grading = grade(reply)
        assert grading.verdict is Verdict.FAIL, reply
        assert not any(p.matched for p in grading.points[:2]), reply
    assert grade("I red tag it and quarantine it, I heard that at induction").verdict is (
        Verdict.PASS
    )


def test_terms_followed_by_where_they_were_read_are_a_recital() -> None:
    recital = grade("red tag it, quarantine it, tell the supervisor. it's all on the poster")
    assert recital.verdict is Verdict.FAIL
    assert "lists terms" in recital.reason
    # Said by someone who does it, the same words answer.
    assert (
        grade("I red tag it, quarantine it and tell the supervisor. it's all on the poster").verdict
        is Verdict.PASS
    )
    # "It's all on the intranet" before the points says where they are: it recites nothing.
    assert grade("it's all on the poster: red tag it and quarantine it").verdict is Verdict.PASS


def test_points_said_to_be_somewhere_are_named_not_done() -> None:
    lab = (
        KeyPointSpec("Take it to the Quality lab", ("take it to the quality lab", "quality lab")),
        KeyPointSpec("Get a replacement from the store", ("gauge store",)),
    )
    premises = "The Quality lab is next to the gauge store, which is handy for the canteen"
    assert grade_open_answer(premises, lab, 2).verdict is Verdict.FAIL
    assert grade_open_answer(
        "I take it to the Quality lab and get another from the gauge store", lab, 2
    ).verdict is (Verdict.PASS)
    # A place that isn't a point's subject still says where: "the policy is on the noticeboard".
    where = (KeyPointSpec("Where it is", ("noticeboard", "intranet")),)
    assert grade_open_answer("The policy is on the noticeboard", where, 1).verdict is (Verdict.PASS)


def test_a_labels_wording_says_nothing_about_what_is_done() -> None:
    stop = (
        KeyPointSpec("Stop using it", ("do not use", "stop using it")),
        KeyPointSpec("Tell quality", ("tell quality",)),
    )
    assert (
        not grade_open_answer("I got a Do not use sticker for my locker", stop, 1).points[0].matched
    )
    assert grade_open_answer("Do not use it, tell quality", stop, 2).verdict is Verdict.PASS


def test_points_in_a_scene_set_once_are_named_not_said() -> None:
    scene = "I was stood by the red tag box while the foreman was emptying the quarantine cage"
    assert grade(scene).verdict is Verdict.FAIL
    # The past said plainly is what the person did: "I red tagged it and quarantined it".
    assert grade("Last time I red tagged it and quarantined it").verdict is Verdict.PASS
