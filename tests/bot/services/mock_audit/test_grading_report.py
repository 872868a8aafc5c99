"""The grader against the admins' grades, per question, on SQLite and PostgreSQL.

The history is `two_rounds_graded` (tests/bot/services/mock_audit/interviews.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.services.access import Access, NotAllowed, person
from bot.services.mock_audit.errors import UnknownMockRound
from bot.services.mock_audit.grading_report import (
    BankSuggestion,
    GradingReportService,
    LearntReply,
    QuestionGrading,
)
from storage.db import UnitOfWork
from tests.bot.services.mock_audit.interviews import (
    ASIDE,
    LABELLED,
    LABELLED_AGAIN,
    NEAR_COPY,
    RING_QA,
    USE_ANYWAY,
    interviewing,
    two_rounds_graded,
)
from tests.bot.services.mock_audit.test_service import ADMIN
from tests.conftest import Clock

CODE = "INT-01-002"


@pytest.fixture
def first_round(uow: Callable[[], UnitOfWork], clock: Clock, tmp_path: Path) -> int:
    return two_rounds_graded(interviewing(uow, clock, tmp_path))


@pytest.fixture
def report(uow: Callable[[], UnitOfWork], first_round: int) -> GradingReportService:
    return GradingReportService(uow=uow, access=Access(uow=uow, admins=["UADMIN"]))


def test_each_question_counts_the_graders_verdicts_against_the_admins(
    report: GradingReportService,
) -> None:
    graded = report.report(caller=ADMIN)

    # LABELLED_AGAIN counts as unsure -> fail: its learnt pass was never the grader's verdict.
    decided = {
        ("unsure", "pass"): 1,
        ("unsure", "fail"): 2,
        ("pass", "fail"): 1,
        ("fail", "fail"): 1,
    }
    decided[("fail", "pass")] = 1
    assert graded.questions == [QuestionGrading(CODE, decided, learnt=2, learnt_regraded=1)]
    assert graded.questions[0].agreed == 1
    assert graded.learnt == [
        LearntReply(CODE, NEAR_COPY, "pass", "pass", LABELLED, "pass"),
        LearntReply(CODE, LABELLED_AGAIN, "pass", "fail", LABELLED, "pass"),
    ]


def test_one_round_counts_only_its_own_replies(
    report: GradingReportService, first_round: int
) -> None:
    first = report.report(caller=ADMIN, round_id=first_round)

    decided = {("unsure", "pass"): 1, ("unsure", "fail"): 1, ("pass", "fail"): 1}
    assert first.questions == [QuestionGrading(CODE, decided, learnt=1, learnt_regraded=0)]
    assert [learnt.reply for learnt in first.learnt] == [NEAR_COPY]


def test_suggestions_are_the_admins_grades_the_grader_got_wrong(
    report: GradingReportService, first_round: int
) -> None:
    # LABELLED (passed) and LABELLED_AGAIN (failed) are one reply that admins disagree on.
    assert report.suggestions(caller=ADMIN) == [
        BankSuggestion(CODE, [RING_QA], [ASIDE, USE_ANYWAY], too_long=0, disputed=1)
    ]
    assert report.suggestions(caller=ADMIN, round_id=first_round) == [
        BankSuggestion(CODE, [LABELLED], [ASIDE, USE_ANYWAY], too_long=0, disputed=0)
    ]


def test_only_admins_read_it_and_an_unknown_round_is_named(report: GradingReportService) -> None:
    with pytest.raises(NotAllowed):
        report.report(caller=person("P0"))
    with pytest.raises(NotAllowed):
        report.suggestions(caller=person("P0"))
    with pytest.raises(UnknownMockRound, match="no mock audit #99"):
        report.report(caller=ADMIN, round_id=99)
