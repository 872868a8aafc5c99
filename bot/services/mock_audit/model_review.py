"""A model's second opinion on a recorded reply the grader is unsure of, asked outside any lock.

`MockAuditService.reply` records and grades a reply in one transaction, under the interview's
row lock, and commits. Only then, when the rules and the confirmed replies leave it unsure, is
the model asked; its answer changes the grade in a short transaction of its own, and only if
nobody has graded the reply since. A slow or absent model keeps no lock waiting, and a reply,
recorded once, is asked about once. See docs/model-second-opinion.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from bot.services.mock_audit.learning import GRADER
from bot.services.mock_audit.records import set_grade
from questions.grading import Grading, Verdict
from questions.second_opinion import combine
from storage import models
from storage.db import UnitOfWork

NO_OPINION = "A model was asked but gave no answer, so a person decides."


class SecondOpinion(Protocol):
    """What reply grading needs of a model: model_client.ModelClient has it."""

    def points_said(
        self, *, question: str, key_points: Sequence[str], reply: str
    ) -> tuple[bool, ...] | None: ...


def ask_second_opinion(
    *,
    uow: Callable[[], UnitOfWork],
    clock: Callable[[], datetime],
    second_opinion: SecondOpinion,
    item_id: int,
    grading: Grading,
) -> str | None:
    """Ask the model about the unsure reply to `item_id`, graded `grading` by the rules, and
    record what it changes; the verdict on record afterwards."""
    with uow() as work:
        item = work.session.get_one(models.InterviewItem, item_id)
        if not _still_unsure(item):
            return item.verdict
        question, reply = item.question_version.prompt, item.reply or ""
    said = second_opinion.points_said(
        question=question, key_points=[p.point for p in grading.points], reply=reply
    )
    if said is None:
        decided = replace(grading, reason=f"{grading.reason} {NO_OPINION}")
    else:
        decided = combine(grading, said)
    with uow() as work:
        item = work.session.scalars(
            select(models.InterviewItem).where(models.InterviewItem.id == item_id).with_for_update()
        ).one()
        if not _still_unsure(item):
            return item.verdict
        # Still the grader's grade, with the rules' count of points met: the model only decides
        # between the verdicts the rules leave open, and the grade note says it did.
        set_grade(
            work, item, decided.verdict.value, GRADER, clock(), decided.reason, item.points_met
        )
        work.commit()
    return decided.verdict.value


def _still_unsure(item: models.InterviewItem) -> bool:
    return item.verdict == Verdict.UNSURE and item.graded_by == GRADER
