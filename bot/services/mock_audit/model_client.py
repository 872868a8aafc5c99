"""The company's model, shared by the grader and drafting: see `bot.services.model_client`."""

from __future__ import annotations

from bot.services.model_client import (
    DEFAULT_MODEL,
    MOST_ANSWER_BYTES,
    ModelClient,
    NoAnswer,
    chat_completions_url,
)

__all__ = ["DEFAULT_MODEL", "MOST_ANSWER_BYTES", "ModelClient", "NoAnswer", "chat_completions_url"]
