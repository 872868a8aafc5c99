"""How the open-answer grader agrees with people, on each part of a labelled set of replies.

Each reply in the set carries the question it answers, the part of the set it belongs to
(`set`: the development parts the rules were tuned on, and held-out parts written after), the
grade a person gave it (`grade`: pass, fail, or borderline: a pass of a borderline reply counts
as a false pass, and recall doesn't need it) and, optionally, what kind of reply it is
(`kind`: terse, keyword list, negated, …). For each part it prints:

- precision and recall of "pass", counting only the replies the grader decided (unsure excluded),
  each with its 95% (Wilson) interval: on a hundred replies a figure is only so sure;
- the share it sent to a person as unsure;
- the confusion of the person's grade against the grader's verdict, by kind of reply;
- every false pass, in full: the error that hides a gap from the quality manager.

Besides, as a baseline measured in the same run, a keyword count: pass when the reply contains
one phrasing of at least `pass_mark` key points, whatever it says about them. The last line is
`precision ratio to keyword baseline: N.NN` on the held-out parts.

    python benchmarks/grader.py                                  # the project's labelled set
    python benchmarks/grader.py --labelled path/to/replies.yaml  # another set, same format
    python benchmarks/grader.py --parts dev dev2 dev3 --misses   # tuning: every disagreement
"""

from __future__ import annotations

import argparse
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from questions.grading import Verdict, grade_open_answer
from questions.loader import load_bank, sample_bank_path
from questions.model import Question

WORDS = re.compile(r"[^a-z0-9]+")
LABELLED = Path(__file__).resolve().parent.parent / "tests" / "questions" / "open_answers.yaml"
HELD_OUT = ("holdout", "holdout2", "holdout6", "holdout9", "holdout10")


@dataclass(frozen=True)
class BankQuestion:
    """An open question with the bank-level words it is graded with."""

    question: Question
    vocabulary: dict[str, list[str]]


@dataclass(frozen=True)
class Reply:
    question: str
    text: str
    truth: str
    part: str
    kind: str


@dataclass(frozen=True)
class Figures:
    replies: int
    unsure: int
    passed: int  # the grader's passes
    right: int  # of them, the person's passes too
    should: int  # the person's passes the grader decided

    @property
    def precision(self) -> float:
        return self.right / self.passed if self.passed else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.should if self.should else 0.0

    def line(self, name: str) -> str:
        share = self.unsure / self.replies if self.replies else 0.0
        return (
            f"{name:<10} replies {self.replies:>4}  unsure {self.unsure:>3} ({share:4.0%})  "
            f"precision of pass {self.precision:.3f} {_interval(self.right, self.passed)}  "
            f"recall of pass {self.recall:.3f} {_interval(self.right, self.should)}"
        )


def _interval(hits: int, total: int) -> str:
    """The 95% Wilson interval of a share: how sure a figure on this many replies is."""
    if not total:
        return "[    -    ]"
    z = 1.96
    share = hits / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    half /= 1 + z * z / total
    return f"[{max(centre - half, 0.0):.2f}-{min(centre + half, 1.0):.2f}]"


def read_replies(path: Path) -> list[Reply]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["replies"]
    return [
        Reply(r["question"], r["reply"], r["grade"], r["set"], r.get("kind", "unlabelled"))
        for r in raw
    ]


def grader_verdict(item: BankQuestion, text: str) -> str:
    question = item.question
    assert question.pass_mark is not None
    return grade_open_answer(
        text,
        question.key_points,
        question.pass_mark,
        contradicts=question.contradicts,
        vocabulary=item.vocabulary,
    ).verdict.value


def keyword_verdict(item: BankQuestion, text: str) -> str:
    """The baseline: enough key points named anywhere in the reply, in any sense."""
    question = item.question
    assert question.pass_mark is not None
    said = f" {normalise(text)} "
    named = sum(
        any(f" {normalise(p)} " in said for p in point.phrasings) for point in question.key_points
    )
    return Verdict.PASS.value if named >= question.pass_mark else Verdict.FAIL.value


def normalise(text: str) -> str:
    return WORDS.sub(" ", text.casefold()).strip()


def figures(pairs: list[tuple[Reply, str]]) -> Figures:
    decided = [(r, v) for r, v in pairs if v != Verdict.UNSURE.value]
    passed = [r for r, v in decided if v == Verdict.PASS.value]
    right = [r for r in passed if r.truth == "pass"]
    should = [r for r, _ in decided if r.truth == "pass"]
    return Figures(
        replies=len(pairs),
        unsure=len(pairs) - len(decided),
        passed=len(passed),
        right=len(right),
        should=len(should),
    )


def confusion(pairs: list[tuple[Reply, str]]) -> list[str]:
    counts = Counter((r.kind, r.truth, v) for r, v in pairs)
    kinds = sorted({r.kind for r, _ in pairs})
    lines = [f"  {'kind':<18} {'person':<6} {'pass':>5} {'fail':>5} {'unsure':>6}"]
    for kind in kinds:
        for truth in ("pass", "fail", "borderline"):
            row = [counts[(kind, truth, v.value)] for v in (Verdict.PASS, Verdict.FAIL)]
            unsure = counts[(kind, truth, Verdict.UNSURE.value)]
            if sum(row) + unsure:
                lines.append(f"  {kind:<18} {truth:<6} {row[0]:>5} {row[1]:>5} {unsure:>6}")
    return lines


def run(
    replies: list[Reply], bank: dict[str, BankQuestion], judge: Callable[[BankQuestion, str], str]
) -> list[tuple[Reply, str]]:
    return [(r, judge(bank[r.question], r.text)) for r in replies]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    parser.add_argument("--bank", type=Path, default=sample_bank_path())
    parser.add_argument("--parts", nargs="*", help="only these parts of the set")
    parser.add_argument("--misses", action="store_true", help="print every disagreement")
    options = parser.parse_args()
    bank = {
        q.id: BankQuestion(q, dict(f.vocabulary))
        for _, f in load_bank(options.bank).files
        for q in f.questions
    }
    replies = [
        r for r in read_replies(options.labelled) if not options.parts or r.part in options.parts
    ]
    graded = run(replies, bank, grader_verdict)
    baseline = run(replies, bank, keyword_verdict)
    print(f"labelled set: {options.labelled} ({len(replies)} replies)")
    for part in sorted({r.part for r in replies}):
        mine = [(r, v) for r, v in graded if r.part == part]
        print(figures(mine).line(part))
        print("\n".join(confusion(mine)))
        for r, v in mine:
            if v == Verdict.PASS.value and r.truth != "pass":
                print(f"  false pass: {r.question} ({r.kind}): {r.text}")
            elif options.misses and v != r.truth:
                print(f"  {r.truth} graded {v}: {r.question} ({r.kind}): {r.text}")
    if not any(r.part in HELD_OUT for r in replies):
        return
    held = [(r, v) for r, v in graded if r.part in HELD_OUT]
    held_baseline = [(r, v) for r, v in baseline if r.part in HELD_OUT]
    print(figures(held).line("held out"))
    print(figures(held_baseline).line("keywords"))
    baseline_precision = figures(held_baseline).precision
    ratio = figures(held).precision / baseline_precision if baseline_precision else 0.0
    print(f"precision ratio to keyword baseline: {ratio:.2f}")


if __name__ == "__main__":
    main()
