"""Writing bank questions as Moodle GIFT, so `questions import` reads them back the same.

Each procedure starts with `$CATEGORY: <procedure id> <title>`; each question is titled
`::<question id>::`, its explanation is the general feedback `####...`, and every text is
escaped (`\\~ \\= \\# \\{ \\} \\: \\\\`, line breaks as `\\n`).

- `single`: the right answer `=`, the others `~`.
- `multiple`: Moodle's multiple-answer form: each right answer `~%W%` with W = 100 divided by
  their number, each wrong one `~%-100%`, so choosing a wrong one costs everything.
- `true_false`: `{TRUE}` or `{FALSE}`.
- `open`: written as a short answer only when any one key point passes (pass_mark 1), since
  a short answer accepts any one of its `=` answers: every phrasing and accepted reply of
  every key point becomes one. Moodle compares the whole reply, which is stricter than the
  bot's grading, so this is noted. With a higher pass mark GIFT cannot say "two of these
  three", and the question is left out with a note. Contradicting phrasings are not kept.
- A prompt with one `_____` blank followed by more text gets the answers in the blank.
- Section, clauses, audience, stage, status and citation have no place in GIFT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from questions.exchange.gift_syntax import escape
from questions.exchange.result import BLANK
from questions.model import Kind, Procedure, Question

NO_CREDIT = "%-100%"


@dataclass
class Exported:
    """The GIFT text, the questions in it, and what was left out or changed."""

    text: str = ""
    question_ids: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def export_gift(sections: Iterable[tuple[Procedure, list[Question]]]) -> Exported:
    """Each procedure's questions under a category of their own."""
    exported = Exported()
    chunks: list[str] = []
    for procedure, questions in sections:
        written = [q for q in questions if _exportable(q, exported.notes)]
        if not written:
            continue
        chunks.append(f"$CATEGORY: {procedure.id} {' '.join(procedure.title.split())}")
        chunks.extend(question_gift(q) for q in written)
        exported.question_ids.extend(q.id for q in written)
    exported.text = "\n\n".join(chunks) + "\n" if chunks else ""
    return exported


def _exportable(question: Question, notes: list[str]) -> bool:
    if question.kind is not Kind.OPEN:
        return True
    if question.pass_mark != 1:
        notes.append(
            f"{question.id}: left out: an open question passing on {question.pass_mark} of "
            f"{len(question.key_points)} key points has no GIFT equivalent"
        )
        return False
    notes.append(
        f"{question.id}: written as a short answer; Moodle accepts only a reply equal to one "
        "of its phrasings"
    )
    if question.contradicts:
        notes.append(f"{question.id}: its contradicting phrasings are not written")
    return True


def question_gift(question: Question) -> str:
    """One question as a GIFT block."""
    answers = _answers(question)
    if question.explanation:
        answers.append("####" + escape(question.explanation))
    title = f"::{escape(question.id)}:: "
    before, blank, after = question.prompt.partition(BLANK)
    if blank and after.strip() and BLANK not in after:
        return f"{title}{escape(before)}{{{' '.join(answers)}}}{escape(after)}"
    lines = "\n".join(f"\t{answer}" for answer in answers)
    return f"{title}{escape(question.prompt)} {{\n{lines}\n}}"


def _answers(question: Question) -> list[str]:
    if question.kind is Kind.TRUE_FALSE:
        return ["TRUE" if question.answer is True else "FALSE"]
    if question.kind is Kind.OPEN:
        return [f"={escape(text)}" for text in _accepted(question)]
    right = question.correct_keys()
    if question.kind is Kind.SINGLE:
        return [
            f"{'=' if key in right else '~'}{escape(text)}" for key, text in question.option_items()
        ]
    credit = f"%{_share(len(right))}%"
    return [
        f"~{credit if key in right else NO_CREDIT}{escape(text)}"
        for key, text in question.option_items()
    ]


def _share(count: int) -> str:
    """100 split between the right answers as Moodle writes weights: 50, 33.33333, 25."""
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")


def _accepted(question: Question) -> list[str]:
    texts = [t for point in question.key_points for t in (*point.phrasings, *point.accept)]
    seen: dict[str, str] = {}
    for text in texts:
        seen.setdefault(text.casefold(), text)
    return list(seen.values())
