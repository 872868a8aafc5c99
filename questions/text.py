"""How a question reads in Slack, as mrkdwn. The bank check measures the same text."""

from __future__ import annotations

from questions.model import Kind, Procedure, Question

_KIND_HINTS = {
    Kind.SINGLE: "Choose one answer.",
    Kind.MULTIPLE: "Choose every answer that applies, then press Submit.",
    Kind.TRUE_FALSE: "True or false?",
}


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn.

    Escaping `<` and `>` is what stops file or user text from pinging @channel or
    forging a link.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def option_letter(index: int) -> str:
    """The letter shown on the button for the option at this position (A, B, ...)."""
    return chr(ord("A") + index)


def question_body(*, prompt: str, kind: Kind, options: list[tuple[str, str]]) -> str:
    """The question and its options, listed in full so the buttons can stay short."""
    lines = [f"*{escape_mrkdwn(prompt)}*", ""]
    if kind is not Kind.TRUE_FALSE:
        lines += [
            f"*{option_letter(i)}.* {escape_mrkdwn(text)}" for i, (_, text) in enumerate(options)
        ]
        lines.append("")
    lines.append(f"_{_KIND_HINTS[kind]}_")
    return "\n".join(lines)


def procedure_line(*, code: str, title: str, revision: str) -> str:
    """The procedure a question comes from, as shown above the question."""
    return f"{escape_mrkdwn(code)} · {escape_mrkdwn(title)} (rev. {escape_mrkdwn(revision)})"


def rendered_question(procedure: Procedure, question: Question) -> str:
    """The body text for a bank question, as the bot will send it."""
    return question_body(
        prompt=question.prompt, kind=question.kind, options=question.option_items()
    )
