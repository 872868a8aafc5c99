"""Whether a wrong answer is chosen more than chance would explain: practice may differ.

Per department and question: if the people who got it wrong guessed evenly, each wrong option
would draw about the same share. The test asks whether the most chosen wrong option draws
more than that, allowing for its being the largest of several (a Bonferroni factor of the
number of wrong options). Questions with a single wrong option (true/false) can't be tested
this way, because "the wrong one" is then every wrong answer; they are left to the question
checks. Every test of the report shares one false-discovery control (Benjamini–Hochberg).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

# A flag needs this many people choosing the wrong option, and this share of the department's
# answers to the question, as well as the test.
MIN_CHOSEN = 5
MIN_SHARE = 0.25
FALSE_DISCOVERY_RATE = 0.05


@dataclass(frozen=True)
class ChoiceSpread:
    """One department's answers to one question: right, and per wrong option."""

    department: str
    question: str
    wrong_options: int
    answers: int
    wrong: dict[str, int]


@dataclass(frozen=True)
class DistractorTest:
    spread: ChoiceSpread
    choice: str
    chosen: int
    p_value: float
    q_value: float

    @property
    def share(self) -> float:
        return self.chosen / self.spread.answers if self.spread.answers else 0.0


def top_wrong(spread: ChoiceSpread) -> tuple[str, int]:
    choice = max(spread.wrong, key=lambda c: (spread.wrong[c], c))
    return choice, spread.wrong[choice]


def distractor_p_value(*, chosen: int, wrong: int, wrong_options: int) -> float:
    """P(the top of `wrong_options` evenly chosen options draws `chosen` or more of `wrong`)."""
    if wrong_options < 2 or wrong <= 0:
        return 1.0
    tail = float(stats.binom.sf(chosen - 1, wrong, 1.0 / wrong_options))
    return min(1.0, wrong_options * tail)


def practice_tests(spreads: Sequence[ChoiceSpread]) -> list[DistractorTest]:
    """Every testable department × question, with its p-value and Benjamini–Hochberg q-value."""
    testable = [s for s in spreads if s.wrong_options >= 2 and s.wrong]
    if not testable:
        return []
    tops = [top_wrong(s) for s in testable]
    chosen = np.asarray([n for _c, n in tops])
    wrong = np.asarray([sum(s.wrong.values()) for s in testable])
    options = np.asarray([s.wrong_options for s in testable])
    # distractor_p_value for every test at once
    p_values = np.minimum(1.0, options * stats.binom.sf(chosen - 1, wrong, 1.0 / options))
    q_values = stats.false_discovery_control(p_values, method="bh")
    return [
        DistractorTest(s, choice, n, float(p), float(q))
        for s, (choice, n), p, q in zip(testable, tops, p_values, q_values, strict=True)
    ]


def is_flagged(test: DistractorTest) -> bool:
    return (
        test.q_value <= FALSE_DISCOVERY_RATE
        and test.chosen >= MIN_CHOSEN
        and test.share >= MIN_SHARE
    )


def practice_flags(spreads: Sequence[ChoiceSpread]) -> list[DistractorTest]:
    """The flags worth a manager's time, strongest evidence first."""
    flagged = [t for t in practice_tests(spreads) if is_flagged(t)]
    return sorted(flagged, key=lambda t: (t.p_value, -t.chosen, t.spread.department))
