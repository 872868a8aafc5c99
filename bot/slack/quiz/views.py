"""What `/quiz` answers: help, and pausing and resuming scheduled questions."""

from __future__ import annotations

from datetime import date

QUIZ_HELP = (
    "`/quiz` sends you one question from your own procedures in a direct message.\n"
    "`/quiz pause until 2026-12-24` stops scheduled questions while you are away; "
    "`/quiz resume` starts them again."
)
RESUMED = ":wave: Welcome back. Scheduled questions start again with the next round."


def paused(until: date) -> str:
    return (
        f":palm_tree: Paused: no scheduled questions up to and including {until:%A %d %B %Y}. "
        "`/quiz` still works, and `/quiz resume` starts them again sooner."
    )
