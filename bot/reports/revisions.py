"""A procedure's share correct under its current revision beside the share under earlier ones.

Worded the same way in the Slack summary and every report: each share comes with the answers
it rests on and its 95% Wilson interval, so two answers under a new revision don't read as a
verdict.
"""

from __future__ import annotations

from typing import Any

from bot.domain.summary.gaps import wilson
from bot.services.summary.counts import RevisionSplit

NO_FIGURE = "–"
REVISION_KEYS = (
    "current_revision",
    "current_answers",
    "current_correct",
    "current_share",
    "earlier_answers",
    "earlier_correct",
    "earlier_share",
)
REVISION_HEADINGS = ("current revision", "share correct, current", "share correct, earlier")


def share_text(correct: int, answers: int) -> str:
    """ "62% (5/8; 95% 31–86%)", or "no answers"."""
    interval = wilson(correct, answers)
    if interval is None:
        return "no answers"
    spread = f"{interval.low * 100:.0f}–{interval.high * 100:.0f}%"
    return f"{correct / answers * 100:.0f}% ({correct}/{answers}; 95% {spread})"


def revision_name(split: RevisionSplit | None) -> str:
    if split is None or split.current_revision is None:
        return NO_FIGURE
    return split.current_revision


def counts_text(correct: int, answers: int) -> str:
    """The counts alone, where too few people answered for a share to mean anything."""
    return "no answers" if not answers else f"{correct}/{answers} right"


def revision_figures(split: RevisionSplit | None, *, shares: bool = True) -> list[str]:
    """The current revision, its share correct, and the share under earlier revisions.

    `shares=False` gives the counts alone, as for a cell with not enough evidence.
    """
    if split is None:
        return [NO_FIGURE, "no answers", "no answers"]
    shown = share_text if shares else counts_text
    return [
        revision_name(split),
        shown(split.current_correct, split.current_answers),
        shown(split.earlier_correct, split.earlier_answers),
    ]


def revision_sentence(split: RevisionSplit | None) -> str:
    """ "rev D (current): 50% (2/4; …) · earlier revisions: 88% (7/8; …)"."""
    name, current, earlier = revision_figures(split)
    return f"rev {name} (current): {current} · earlier revisions: {earlier}"


def revision_json(split: RevisionSplit | None, *, shares: bool = True) -> dict[str, Any]:
    """The split as flat keys; `shares=False` leaves the shares null but keeps the counts."""
    if split is None:
        split = RevisionSplit("", "", None)
    values = (
        split.current_revision,
        split.current_answers,
        split.current_correct,
        _rounded(split.current_share) if shares else None,
        split.earlier_answers,
        split.earlier_correct,
        _rounded(split.earlier_share) if shares else None,
    )
    return dict(zip(REVISION_KEYS, values, strict=True))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
