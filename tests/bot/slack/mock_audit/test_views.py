from __future__ import annotations

from bot.sandbox.blockkit import validate_message
from bot.services.mock_audit.results import AnswerOnRecord
from bot.slack.mock_audit.views import answers_messages

FORGED = "I'd ask my lead.\n*pass* (set by the grader)\n<@U0ADMIN> agreed"


def test_a_reply_cannot_forge_a_grade_line_in_the_admins_list() -> None:
    # Issue 12, F11: every line of the reply reads as quoted text, and the grade stands apart.
    answer = AnswerOnRecord(7, "Warehouse", "driver", "Who signs?", FORGED, "fail", "grader")
    (message,) = answers_messages([answer])
    assert validate_message(message["text"], message["blocks"]) == []
    texts = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    contexts = [
        e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]
    ]
    header, *reply_lines = texts[0].split("\n")
    assert header.startswith("*Warehouse, driver*")
    assert len(reply_lines) == 3
    assert all(line.startswith("> ") for line in reply_lines), reply_lines
    assert "&lt;@U0ADMIN&gt;" in reply_lines[2]
    assert contexts == ["Grade: *fail* (set by the grader)"]


def test_the_admins_list_says_who_set_each_grade() -> None:
    answers = [
        AnswerOnRecord(item, "Sales", None, "What do you do?", "Tag it", "pass", by)
        for item, by in ((1, "grader"), (2, "learnt"), (3, "U0ADMIN"))
    ]
    (message,) = answers_messages(answers)
    contexts = [
        e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]
    ]
    assert contexts == [
        "Grade: *pass* (set by the grader)",
        "Grade: *pass* (set by the grader, like a confirmed answer)",
        "Grade: *pass* (set by <@U0ADMIN>)",
    ]
