"""Learning from confirmations: which replies are near copies of one an admin graded."""

from __future__ import annotations

import pytest

from questions.confirmed import (
    THRESHOLD,
    ConfirmedReply,
    closest_confirmed,
    normalised,
    polarity,
)
from questions.grading import Verdict

TOLD = ConfirmedReply(
    1, "I'd put a red tag on it, quarantine it and tell my supervisor.", Verdict.PASS
)
SILENT = ConfirmedReply(2, "I wouldn't tell my supervisor, I'd just fix it", Verdict.FAIL)
DESPATCH = ConfirmedReply(
    3, "Get the order number and let the despatch office deal with it", Verdict.PASS
)


def test_normalising_folds_case_accents_punctuation_and_contractions() -> None:
    assert normalised("  Don’t  PANIC—it's   the Café's rôle!! ") == (
        "do not panic it is the cafe s role"
    )
    assert normalised("I wouldn't; we can't; they won't; I'd say") == (
        "i would not we can not they will not i would say"
    )
    assert normalised("cannot") == "can not"


def test_polarity_counts_negations_and_hedges() -> None:
    said = polarity(normalised("I'm not sure, maybe nobody; I don't think so"))
    assert said == {"not": 2, "not sure": 1, "maybe": 1, "nobody": 1, "think": 1}


def test_a_near_copy_takes_the_confirmed_verdict() -> None:
    learnt = closest_confirmed(
        "I would put a red tag on it, quarantine it, and tell my supervisor", [TOLD, DESPATCH]
    )
    assert learnt is not None
    assert (learnt.verdict, learnt.confirmed) == (Verdict.PASS, TOLD)
    assert THRESHOLD <= learnt.similarity <= 100


@pytest.mark.parametrize(
    "reply",
    [
        "i'd put a red tagg on it, quarentine it and tel my supervisor",
        "I'd put a red tag on it, quarantine it and tell my superviser!",
        "I’d put the red tag on it, quarantine it & tell my supervisor",
    ],
)
def test_typo_variants_are_learnt(reply: str) -> None:
    learnt = closest_confirmed(reply, [TOLD])
    assert learnt is not None and learnt.verdict is Verdict.PASS


@pytest.mark.parametrize(
    ("reply", "confirmed"),
    [
        ("I'd put a red tag on it, quarantine it and not tell my supervisor", TOLD),
        ("I would tell my supervisor, I'd just fix it", SILENT),
        ("I'd never put a red tag on it, quarantine it and tell my supervisor", TOLD),
    ],
)
def test_a_negation_difference_is_never_learnt(reply: str, confirmed: ConfirmedReply) -> None:
    assert closest_confirmed(reply, [confirmed]) is None


@pytest.mark.parametrize(
    "reply",
    [
        "Maybe I'd put a red tag on it, quarantine it and tell my supervisor",
        "I think I'd put a red tag on it, quarantine it and tell my supervisor",
        "I'd probably put a red tag on it, quarantine it and tell my supervisor",
    ],
)
def test_a_hedge_difference_is_never_learnt(reply: str) -> None:
    assert closest_confirmed(reply, [TOLD]) is None


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        ("I'd tell my supervisor", "far below the threshold"),
        ("Get the order number and let the sales office deal with it", "another department"),
        (
            "Get the order number and let the despatch office deal with it, and log it",
            "a clause added",
        ),
    ],
)
def test_replies_that_say_something_else_are_not_learnt(reply: str, why: str) -> None:
    assert closest_confirmed(reply, [TOLD, DESPATCH]) is None, why


def test_one_word_and_filler_replies_are_never_learnt() -> None:
    quarantine = ConfirmedReply(4, "Quarantine", Verdict.FAIL)
    assert closest_confirmed("quarantine", [quarantine]) is None
    filler = ConfirmedReply(5, "I would", Verdict.PASS)
    assert closest_confirmed("I would.", [filler]) is None


def test_confirmations_that_disagree_teach_nothing() -> None:
    passed = ConfirmedReply(5, "Put it aside and tell the chargehand", Verdict.PASS)
    failed = ConfirmedReply(6, "Put it aside and tell the chargehand.", Verdict.FAIL)
    reply = "put it aside and tell the chargehand"
    assert closest_confirmed(reply, [passed, failed]) is None
    learnt = closest_confirmed(reply, [passed, ConfirmedReply(7, passed.reply, Verdict.PASS)])
    assert learnt is not None and learnt.confirmed.item_id == 7  # the newest of equals


def test_nothing_confirmed_teaches_nothing() -> None:
    assert closest_confirmed("I'd put a red tag on it", []) is None
