"""Slack's Block Kit limits, and the bank's own limits derived from them.

The bank limits are chosen so that a question, all its options and the answered view
(verdict, right answer, explanation, section) each fit in one 3000-character section.
"""

from __future__ import annotations

SECTION_TEXT = 3000
BUTTON_TEXT = 75
OPTION_TEXT = 75
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40000
BLOCK_ID = 255
ACTION_ID = 255
BUTTON_VALUE = 2000

PROCEDURE_TITLE = 120
PROMPT = 700
OPTION = 300
MAX_OPTIONS = 6
EXPLANATION = 900
SECTION = 60
# A drafted question's quoted source sentence: for the reviewer, never sent to staff.
CITES = 500
