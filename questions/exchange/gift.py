"""Reading Moodle's GIFT format into bank questions, reporting by line what does not fit.

The rules, as Moodle's GIFT documentation gives them:

- Questions are separated by one or more blank lines; lines are trimmed. A line starting
  with `//` is a comment, wherever it is. `$CATEGORY: path` at the start of a block names a
  Moodle category: it is reported, since the bank files questions by procedure.
- `::title::` may open a question; the title is reported beside the new id, not kept.
- The question text may run over several lines (line breaks are kept). It may start with a
  format marker, `[moodle]`, `[plain]`, `[markdown]` or `[html]`: the marker is removed, and
  HTML tags are removed from an `[html]` text (entities decoded, `<br>` and `</p>` become line
  breaks). Answers and feedback take the question's format unless they carry their own marker.
- The answers sit in one `{...}` block. With text after the block ("Fill {=x ~y} in."), the
  prompt gets a blank `_____` where the block was.
- `\\~ \\= \\# \\{ \\} \\:` and `\\\\` stand for the character itself, `\\n` for a line break.
- Inside the block: `####text` at the end is general feedback; each answer starts with `=`
  (right) or `~` (wrong), may start with a weight `%50%` (`%-100%`), and may end with
  `#feedback`.

How they map:

- `{=right ~wrong ...}`: a `single` question. Several right answers, or positive weights
  adding to 100% (`~%50%a ~%50%b ~%-100%c`), make a `multiple` question: the bank's are
  all-or-nothing, so every weight other than full or no credit is reported as dropped, with
  what the answer became. Where positive weights do not add to 100%, the full-credit answers
  are the right ones; with none, the question is skipped.
- `{T}`, `{TRUE}`, `{F}`, `{FALSE}`: `true_false`.
- `{=a =b}` with only `=` answers: short answer, imported as an `open` question with one key
  point per accepted answer (that answer its phrasing, and its accepted reply when short),
  any one passing (pass_mark 1).
  Partial-credit answers are left out and reported.
- The explanation is the right answers' feedback, then the general feedback. True/false
  feedback is `{T#when wrong#when right}`: the second, else the first, is kept. Feedback on
  wrong answers is not kept, and that is noted.
- Matching (`{=a -> b}`), numerical (`{#...}`), essay (`{}`) and description (no block)
  items are reported by line and skipped, as is anything malformed (an unclosed `{`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from questions.exchange.gift_syntax import Block, clean, finished, split_blocks, split_format
from questions.exchange.result import BLANK, Candidate, DroppedWeight, Finding, Parsed
from questions.model import Kind

CATEGORY = "$CATEGORY:"
TRUE_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_MARK = re.compile(r"[~=]")
# Weights of 1/3 or 1/6 are written rounded (33.33333%), so their sum may miss 100 a little.
_TOLERANCE = 0.01


class Unusable(Exception):
    """This question cannot become a bank question; the line and reason are reported."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Answer:
    line: int
    right: bool
    weight: str | None
    text: str
    feedback: str

    @property
    def credit(self) -> float:
        if self.weight is not None:
            return float(self.weight)
        return 100.0 if self.right else 0.0


@dataclass(frozen=True)
class _Question:
    """What every kind's reader needs: where the question is, and its text."""

    block: Block
    line: int
    title: str | None
    prompt: str
    text_format: str
    general: str
    answers_at: int


def parse_gift(text: str) -> Parsed:
    """Every question of a GIFT file, and a report of what did not fit."""
    parsed = Parsed()
    for block in split_blocks(text):
        question_block = _take_category(block, parsed)
        if question_block is None:
            continue
        try:
            parsed.candidates.append(_read_question(question_block, parsed))
        except Unusable as problem:
            parsed.skipped.append(Finding(problem.line, problem.message))
    return parsed


def _take_category(block: Block, parsed: Parsed) -> Block | None:
    number, first = block.lines[0]
    if not first.startswith(CATEGORY):
        return block
    category = finished(first.removeprefix(CATEGORY), "plain")
    parsed.notes.append(
        Finding(number, f"category {category!r} noted; questions go to the procedure given")
    )
    return Block(block.lines[1:]) if len(block.lines) > 1 else None


def _read_question(block: Block, parsed: Parsed) -> Candidate:
    text = block.text
    title, start = _title(block)
    opened = text.find("{", start)
    if opened < 0:
        raise Unusable(block.first_line, "a description with no answers: nothing to ask")
    closed = _closing_brace(block, start, opened)
    text_format, before = split_format(text[start:opened])
    after = text[closed + 1 :]
    prompt = before + BLANK + after if after.strip() else before
    answers, _, general = text[opened + 1 : closed].partition("####")
    question = _Question(
        block=block,
        line=block.first_line,
        title=title,
        prompt=finished(prompt, text_format),
        text_format=text_format,
        general=clean(general, text_format),
        answers_at=opened + 1,
    )
    return _by_kind(question, answers, parsed)


def _title(block: Block) -> tuple[str | None, int]:
    text = block.text
    if not text.startswith("::"):
        return None, 0
    end = text.find("::", 2)
    if end < 0:
        raise Unusable(block.first_line, "the title opened with '::' is never closed")
    return finished(text[2:end], "plain"), end + 2


def _closing_brace(block: Block, start: int, opened: int) -> int:
    text = block.text
    stray = text.find("}", start, opened)
    if stray >= 0:
        raise Unusable(block.line_at(stray), "a '}' before the answers opened (write \\} in text)")
    closed = text.find("}", opened)
    if closed < 0:
        raise Unusable(block.line_at(opened), "the '{' of the answers is never closed with '}'")
    inner = text.find("{", opened + 1, closed)
    if inner >= 0:
        raise Unusable(block.line_at(inner), "a second '{' inside the answers (write \\{)")
    extra = next((i for i in range(closed + 1, len(text)) if text[i] in "{}"), -1)
    if extra >= 0:
        raise Unusable(block.line_at(extra), "a second answer block; a question has one")
    return closed


def _by_kind(question: _Question, answers: str, parsed: Parsed) -> Candidate:
    body = answers.strip()
    if not body:
        raise Unusable(question.line, "an essay question ({}) has no bank equivalent")
    if body.startswith("#"):
        raise Unusable(question.line, "a numerical question ({#...}) has no bank equivalent")
    if "~" in body:
        return _choice_question(question, _split_answers(question, answers), parsed)
    if "=" not in body:
        return _true_false(question, body)
    if "->" in body:
        raise Unusable(question.line, "a matching question ({=a -> b}) has no bank equivalent")
    return _short_answer(question, _split_answers(question, answers), parsed)


def _split_answers(question: _Question, answers: str) -> list[Answer]:
    block, base = question.block, question.answers_at
    marks = [found.start() for found in _MARK.finditer(answers)]
    lead = answers[: marks[0]].strip()
    if lead:
        raise Unusable(block.line_at(base), f"{lead!r} comes before the first ~ or = answer")
    ends = [*marks[1:], len(answers)]
    return [
        _answer(answers[mark], answers[mark + 1 : end], block.line_at(base + mark), question)
        for mark, end in zip(marks, ends, strict=True)
    ]


def _answer(mark: str, raw: str, line: int, question: _Question) -> Answer:
    raw = raw.strip()
    weight = _WEIGHT.match(raw)
    if weight is not None:
        raw = raw[weight.end() :]
    text, _, feedback = raw.partition("#")
    return Answer(
        line=line,
        right=mark == "=",
        weight=weight[1] if weight else None,
        text=clean(text, question.text_format),
        feedback=clean(feedback, question.text_format),
    )


def _true_false(question: _Question, body: str) -> Candidate:
    word, *feedback = body.split("#")
    value = TRUE_WORDS.get(finished(word, "plain").upper())
    if value is None:
        raise Unusable(
            question.block.line_at(question.answers_at),
            f"{{{finished(word, 'plain')}}} is no GIFT answer: write {{T}}, {{F}} or ~/= answers",
        )
    texts = [clean(f, question.text_format) for f in feedback]
    kept = texts[1] if len(texts) > 1 and texts[1] else (texts[0] if texts else "")
    return _candidate(question, Kind.TRUE_FALSE, answer=value, feedback=[kept])


def _choice_question(question: _Question, answers: list[Answer], parsed: Parsed) -> Candidate:
    right = _right_answers(question, answers)
    # Moodle makes a question with no `=` answer a multiple-answer one, even with one right.
    multiple = len(right) > 1 or not any(answer.right for answer in answers)
    for index, answer in enumerate(answers):
        _report_weight(answer, index in right, len(right) > 1, parsed)
    if len(right) > 1 and sum(a.weight is None and a.right for a in answers) > 1:
        parsed.notes.append(
            Finding(
                question.line,
                "several '=' answers: Moodle accepts any one of them, the "
                "bank's multiple question wants all of them chosen",
            )
        )
    wrong = [answer for index, answer in enumerate(answers) if index not in right]
    _note_wrong_feedback(question, wrong, parsed)
    keys = [chr(ord("a") + index) for index in right]
    return _candidate(
        question,
        Kind.MULTIPLE if multiple else Kind.SINGLE,
        options={chr(ord("a") + index): answer.text for index, answer in enumerate(answers)},
        answer=keys if multiple else keys[0],
        feedback=[answers[index].feedback for index in right],
    )


def _right_answers(question: _Question, answers: list[Answer]) -> list[int]:
    """The positions of the answers the bank counts as right."""
    positive = [index for index, answer in enumerate(answers) if answer.credit > 0]
    total = sum(answers[index].credit for index in positive)
    if abs(total - 100) <= _TOLERANCE:
        return positive
    full = [index for index, answer in enumerate(answers) if answer.credit >= 100]
    if full:
        return full
    raise Unusable(question.line, f"no answer has full credit and the weights add to {total:g}%")


def _report_weight(answer: Answer, right: bool, several: bool, parsed: Parsed) -> None:
    if answer.weight is None or answer.credit == (100 if right and not several else 0):
        return
    if right and several:
        became = "one of the right answers, all of which must be chosen"
    else:
        became = "a right answer" if right else "a wrong answer"
    parsed.dropped.append(DroppedWeight(answer.line, answer.text, answer.weight, became))


def _note_wrong_feedback(question: _Question, wrong: list[Answer], parsed: Parsed) -> None:
    lines = [a.line for a in wrong if a.feedback]
    if lines:
        where = ", ".join(str(line) for line in lines)
        parsed.notes.append(
            Finding(question.line, f"feedback on wrong answers (line {where}) is not kept")
        )


def _short_answer(question: _Question, answers: list[Answer], parsed: Parsed) -> Candidate:
    accepted = [a for a in answers if a.credit >= 100]
    for answer in answers:
        if answer not in accepted:
            parsed.dropped.append(
                DroppedWeight(answer.line, answer.text, answer.weight or "0", "left out")
            )
    if not accepted:
        raise Unusable(question.line, "a short answer with no full-credit answer")
    parsed.notes.append(
        Finding(
            question.line,
            "short answer imported as an open question: each accepted "
            "answer is a key point, and any one passes",
        )
    )
    return _candidate(
        question,
        Kind.OPEN,
        accepted=[a.text for a in accepted],
        feedback=[a.feedback for a in accepted],
    )


def _candidate(
    question: _Question,
    kind: Kind,
    *,
    feedback: list[str],
    options: dict[str, str] | None = None,
    answer: str | bool | list[str] | None = None,
    accepted: list[str] | None = None,
) -> Candidate:
    parts = list(dict.fromkeys(text for text in [*feedback, question.general] if text))
    return Candidate(
        line=question.line,
        title=question.title,
        kind=kind,
        prompt=question.prompt,
        options=options or {},
        answer=answer,
        accepted=accepted or [],
        explanation="\n\n".join(parts),
    )
