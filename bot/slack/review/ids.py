"""The review feature's Block Kit ids.

Kept beside the feature rather than in `bot/slack/ids.py` while that module is shared work in
progress; nothing outside this folder reads them.
"""

from __future__ import annotations

from enum import StrEnum


class ReviewId(StrEnum):
    APPROVE = "review.approve"
    EDIT = "review.edit"
    REJECT = "review.reject"
    ACTIONS = "review"  # the buttons' block_id prefix, suffixed with the question id
    REJECT_MODAL = "review.reject_modal"
    EDIT_MODAL = "review.edit_modal"
    REASON = "reason"
    PROMPT = "prompt"
    OPTIONS = "options"
    ANSWER = "answer"
    EXPLANATION = "explanation"
    SECTION = "section"
    VALUE = "value"  # every input's action_id; the block says which field it is


# The fields of the edit modal, in the order a problem is matched to one.
EDIT_FIELDS = (
    ReviewId.PROMPT,
    ReviewId.OPTIONS,
    ReviewId.ANSWER,
    ReviewId.EXPLANATION,
    ReviewId.SECTION,
)
