"""Drafting quiz questions from a procedure document, with no outside service: every draft quotes
the sentence it came from and waits for a reviewer's approval."""

from __future__ import annotations

from questions.drafting.drafting import draft_questions

__all__ = ["draft_questions"]
