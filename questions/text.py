"""How a question reads in Slack, as mrkdwn. The bank check measures the same text."""

from __future__ import annotations

from questions.documents.references import is_section_number
from questions.model import Kind, Question

_KIND_HINTS = {
    Kind.SINGLE: "Choose one answer.",
    Kind.MULTIPLE: "Choose every answer that applies, then press Submit.",
    Kind.TRUE_FALSE: "True or false?",
    Kind.OPEN: "Reply in this thread, in your own words.",
}


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn.

    Escaping `<` and `>` is what stops file or user text from pinging @channel or
    forging a link.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_mrkdwn(text: str) -> str:
    """Undo Slack's escaping of message text, so a reply reads as the person typed it."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def section_name(section: str) -> str:
    """ "section 4.2" for a number; a heading, for a document that doesn't number it, quoted."""
    return f"section {section}" if is_section_number(section) else f"“{section}”"


def option_letter(index: int) -> str:
    """The letter shown on the button for the option at this position (A, B, ...)."""
    return chr(ord("A") + index)


def question_body(*, prompt: str, kind: Kind, options: list[tuple[str, str]]) -> str:
    """The question and its options, listed in full so the buttons can stay short."""
    lines = [f"*{escape_mrkdwn(prompt)}*", ""]
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        lines += [
            f"*{option_letter(i)}.* {escape_mrkdwn(text)}" for i, (_, text) in enumerate(options)
        ]
        lines.append("")
    lines.append(f"_{_KIND_HINTS[kind]}_")
    return "\n".join(lines)


def right_answer(*, kind: Kind, options: list[tuple[str, str]], correct: list[str]) -> str:
    """The right answer(s) as shown after answering: letter and full text."""
    if kind is Kind.TRUE_FALSE:
        labels = dict(options)
        return "\n".join(f"*{labels[k]}*" for k in correct if k in labels)
    return "\n".join(
        f"*{option_letter(i)}.* {escape_mrkdwn(text)}"
        for i, (key, text) in enumerate(options)
        if key in correct
    )


# Room left in the verdict section for the line "Not quite. You answered A, B, …".
VERDICT_ALLOWANCE = 200


def procedure_line(*, code: str, title: str, revision: str) -> str:
    """The procedure a question comes from, as shown above the question."""
    return f"{escape_mrkdwn(code)} · {escape_mrkdwn(title)} (rev. {escape_mrkdwn(revision)})"


def rendered_sections(question: Question) -> dict[str, str]:
    """Each piece of a bank question that becomes one Slack section, keyed by bank field."""
    options = question.option_items()
    return {
        "prompt": question_body(prompt=question.prompt, kind=question.kind, options=options),
        "answer": "x" * VERDICT_ALLOWANCE
        + right_answer(kind=question.kind, options=options, correct=question.correct_keys()),
        "explanation": escape_mrkdwn(question.explanation),
    }
