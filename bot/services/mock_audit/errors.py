"""What a mock audit service refuses for reasons other than who asks."""

from __future__ import annotations


class UnknownMockRound(LookupError):
    def __init__(self, round_id: int) -> None:
        super().__init__(f"there is no mock audit #{round_id}")
