"""How learning from confirmations (questions/confirmed.py) does on the labelled replies.

The labelled set (tests/questions/open_answers.yaml) holds replies people wrote independently,
each graded by a person. Two measures, at several thresholds:

- leave one out: each reply against every other reply to its question, taken as confirmed with
  the person's grade. Independent replies should rarely be near copies; a reply learnt with a
  grade other than its own is a wrong learning (a borderline reply learnt as pass counts too);
- typo copies: each pass or fail reply with two letters of its longest word swapped, against
  the reply itself: the near copies learning is for. The share learnt is its recall;
- the ratio alone: leaving one out again, with only the threshold checked (no word check, no
  negations and hedges), to show what the guards are for.

    python benchmarks/learning.py
    python benchmarks/learning.py --labelled path/to/replies.yaml --thresholds 85 90
"""

from __future__ import annotations

import argparse
import random
from collections import defaultdict
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from questions import confirmed
from questions.confirmed import FILLER, ConfirmedReply, closest_confirmed, normalised
from questions.grading import Verdict

LABELLED = Path(__file__).resolve().parent.parent / "tests" / "questions" / "open_answers.yaml"
GRADED = ("pass", "fail")


def typo(text: str, rng: random.Random) -> str:
    """`text` with two neighbouring letters of its longest word swapped, as fast typing does."""
    words = text.split()
    at = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[at]
    if len(word) >= 4:
        i = rng.randrange(1, len(word) - 2)
        words[at] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def ratio_alone(reply: str, others: list[ConfirmedReply], threshold: int) -> Verdict | None:
    """The verdict of the near ones by the threshold alone; None if none or they disagree."""
    near = {
        o.verdict for o in others if fuzz.ratio(_content(reply), _content(o.reply)) >= threshold
    }
    return near.pop() if len(near) == 1 else None


def _content(text: str) -> str:
    return " ".join(w for w in normalised(text).split() if w not in FILLER)


def measure(replies: list[dict[str, str]], threshold: int) -> list[int]:
    """Learnt and learnt wrongly leaving one out; typo copies and those learnt; learnt and
    learnt wrongly by the ratio alone: at `threshold`."""
    confirmed.THRESHOLD = threshold  # the module reads it on every call
    by_question: dict[str, list[tuple[int, dict[str, str]]]] = defaultdict(list)
    for number, reply in enumerate(replies):
        by_question[reply["question"]].append((number, reply))
    learnt = wrong = copies = copied = alone = alone_wrong = 0
    rng = random.Random(7)
    for answers in by_question.values():
        for number, reply in answers:
            others = [
                ConfirmedReply(n, other["reply"], Verdict(other["grade"]))
                for n, other in answers
                if n != number and other["grade"] in GRADED
            ]
            found = closest_confirmed(reply["reply"], others)
            if found is not None:
                learnt += 1
                wrong += found.verdict.value != reply["grade"]
            by_ratio = ratio_alone(reply["reply"], others, threshold)
            if by_ratio is not None:
                alone += 1
                alone_wrong += by_ratio.value != reply["grade"]
            if reply["grade"] in GRADED:
                itself = ConfirmedReply(number, reply["reply"], Verdict(reply["grade"]))
                copies += 1
                copied += closest_confirmed(typo(reply["reply"], rng), [itself]) is not None
    return [learnt, wrong, copies, copied, alone, alone_wrong]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labelled", type=Path, default=LABELLED)
    parser.add_argument("--thresholds", type=int, nargs="+", default=[80, 85, 90, 95])
    args = parser.parse_args()
    replies = yaml.safe_load(args.labelled.read_text(encoding="utf-8"))["replies"]
    chosen = confirmed.THRESHOLD
    print(f"{len(replies)} labelled replies; the module's threshold is {chosen}")
    print(
        f"{'threshold':>9}  {'learnt (wrong)':>14}  {'typo copies learnt':>18}  ratio alone (wrong)"
    )
    for threshold in args.thresholds:
        learnt, wrong, copies, copied, alone, alone_wrong = measure(replies, threshold)
        share = f"{copied} of {copies} ({copied / copies:.0%})"
        print(f"{threshold:>9}  {f'{learnt} ({wrong})':>14}  {share:>18}  {alone} ({alone_wrong})")
    learnt, wrong, copies, copied, *_ = measure(replies, chosen)
    print(
        f"wrong learnt at {chosen}: {wrong} of {learnt}; typo copies learnt: {copied / copies:.2f}"
    )


if __name__ == "__main__":
    main()
