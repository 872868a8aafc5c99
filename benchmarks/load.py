"""Ack latency under an open-loop mix of Slack traffic, on one process.

The real app (`create_app`, served by uvicorn on loopback, the product's listener executor and
backlog) runs against the Slack stand-in with `--people` people (a few of them admins), the
sample bank and a roster, on SQLite or PostgreSQL. Requests are sent at fixed times whatever
the answers (open loop, from an asyncio httpx client in the same process), signed as Slack
signs them (`load_traffic.py`):

- `/quiz` (40 %), then a click on an option of a question those produced (35 %; a click
  waits for no question, so one with nothing to click yet is skipped and counted),
- App Home opens, `app_home_opened` (23 %), an admin's being a whole dashboard,
- `/awareness` summaries from admins (2 %).

Phases: a warm-up (2 s at `--rate`, not counted); the baseline, the same mix at
`--baseline-rate` (5/s) for `--baseline-seconds` (10); then the measured run, `--rate` (50/s)
for `--seconds` (60). After it, once the backlog is empty and Slack quiet, every click must have
stored exactly one answer.

Printed: p50/p95/p99 ack latency and errors per kind (a status other than 200, no answer, or an
ack later than Slack's 3 s); clicks sent against answer rows (lost, duplicated); the last line
is `ratio to baseline: N.NN`, the worst kind's p99 over its p99 at the baseline rate. The exit
status is 1 on any error, lost or duplicated answer.

`--find-max` instead steps the rate up (`--start-rate`, ×`--step` each time, `--step-seconds`
each) until a step has an error or a kind's p99 reaches `--target-ms` (300), and prints the
highest rate that kept every kind under it.

    python benchmarks/load.py                                  # SQLite, 50/s for 60 s
    python benchmarks/load.py --database postgresql            # $AUDITREADY_TEST_POSTGRES_URL
    python benchmarks/load.py --rate 20 --seconds 10           # a quick run
    python benchmarks/load.py --find-max --database sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import sys
from collections import Counter
from dataclasses import dataclass

from company import quiet_logging
from load_traffic import (
    CLICK,
    KINDS,
    MIX,
    QUIZ,
    PhaseResult,
    Questions,
    Requests,
    percentile,
    plan,
    reply_latencies,
    run_phase,
)
from load_world import SECRET, World, running_world
from sqlalchemy import func, select

from storage import models

WARM_UP_SECONDS = 2.0


@dataclass(frozen=True)
class Options:
    rate: float
    seconds: float
    database: str
    postgres_url: str | None
    people: int
    admins: int
    baseline_rate: float
    baseline_seconds: float
    slack_latency: float
    seed: int
    find_max: bool
    start_rate: float
    step: float
    step_seconds: float
    max_rate: float
    target_ms: float
    mix: dict[str, float]


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add = parser.add_argument
    add("--rate", type=float, default=50.0, help="requests per second (50)")
    add("--seconds", type=float, default=60.0, help="length of the measured run (60)")
    add("--database", choices=["sqlite", "postgresql"], default="sqlite")
    add(
        "--postgres-url",
        default=None,
        help="a server to create `bench_load` on (default: $AUDITREADY_TEST_POSTGRES_URL)",
    )
    add("--people", type=int, default=300, help="people in the workspace (300)")
    add("--admins", type=int, default=5, help="of whom admins, who ask /awareness (5)")
    add("--baseline-rate", type=float, default=5.0, help="the baseline's rate (5)")
    add("--baseline-seconds", type=float, default=10.0, help="the baseline's length (10)")
    add(
        "--slack-latency",
        type=float,
        default=0.0,
        help="seconds the stand-in adds to each call (0)",
    )
    add("--seed", type=int, default=12, help="seed of the mix (12)")
    add(
        "--find-max",
        action="store_true",
        help="step the rate up to the highest that keeps p99 under target",
    )
    add("--start-rate", type=float, default=25.0, help="--find-max: first rate (25)")
    add("--step", type=float, default=1.25, help="--find-max: rate multiplier per step (1.25)")
    add("--step-seconds", type=float, default=20.0, help="--find-max: length of each step (20)")
    add("--max-rate", type=float, default=400.0, help="--find-max: stop here (400)")
    add("--target-ms", type=float, default=300.0, help="p99 target for every kind, ms (300)")
    add(
        "--mix",
        type=_mix,
        default=MIX,
        help="shares per kind, e.g. quiz=1,home=1 (the default mix)",
    )
    args = parser.parse_args(argv)
    if args.rate <= 0 or args.seconds <= 0 or args.baseline_rate <= 0 or args.step <= 1:
        parser.error("rates and lengths must be positive, and --step above 1")
    if not 1 <= args.admins < args.people:
        parser.error("--admins must be at least 1 and fewer than --people")
    return Options(**{name: getattr(args, name) for name in Options.__dataclass_fields__})


def _mix(text: str) -> dict[str, float]:
    shares = dict(part.split("=", 1) for part in text.split(",") if part)
    if not shares or not set(shares) <= set(KINDS):
        raise argparse.ArgumentTypeError(f"kinds are {', '.join(KINDS)}")
    return {kind: float(share) for kind, share in shares.items()}


def run(
    options: Options, world: World, requests: Requests, rate: float, seconds: float, seed: int
) -> PhaseResult:
    kinds = plan(rate, seconds, seed, options.mix)
    return asyncio.run(run_phase(world.server.base_url, SECRET, requests, kinds, rate))


def answers_problems(world: World, clicked: list[int]) -> tuple[int, int]:
    """(lost, duplicated): clicked deliveries with no answer row, and answer rows beyond one."""
    if not clicked:
        return 0, 0
    stored: Counter[int] = Counter()
    with world.runtime.engine.connect() as connection:
        for start in range(0, len(clicked), 500):
            chunk = clicked[start : start + 500]
            rows = connection.execute(
                select(models.Answer.delivery_id, func.count())
                .where(models.Answer.delivery_id.in_(chunk))
                .group_by(models.Answer.delivery_id)
            )
            stored.update({int(delivery): int(count) for delivery, count in rows})
    wanted = Counter(clicked)
    lost = sum(1 for delivery in wanted if stored[delivery] == 0)
    duplicated = sum(max(0, stored[d] - 1) for d in stored) + sum(n - 1 for n in wanted.values())
    return lost, duplicated


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.0f}"


def report(name: str, result: PhaseResult) -> None:
    print(
        f"\n{name}: {result.rate:g}/s for {result.seconds:g} s, {len(result.samples)} requests sent"
    )
    heads = ("sent", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print(f"  {'kind':<10} {heads[0]:>5} " + " ".join(f"{h:>7}" for h in heads[1:]) + " errors")
    for kind in KINDS:
        samples = result.of(kind)
        latencies = [s.latency for s in samples]
        errors = Counter(s.status if s.status != "200" else "late" for s in samples if not s.ok)
        detail = f"  {dict(errors)}" if errors else ""
        print(
            f"  {kind:<10} {len(samples):>5} {ms(percentile(latencies, 0.50)):>7}"
            f" {ms(percentile(latencies, 0.95)):>7} {ms(percentile(latencies, 0.99)):>7}"
            f" {ms(max(latencies, default=math.nan)):>7} {sum(errors.values()):>6}{detail}"
        )
    if result.skipped_clicks:
        print(f"  clicks skipped (no question to click yet): {result.skipped_clicks}")


def p99(result: PhaseResult, kind: str) -> float:
    return percentile([s.latency for s in result.of(kind)], 0.99)


def print_replies(world: World, result: PhaseResult) -> None:
    """How long people waited, after the ack, for what the request was for."""
    seen = reply_latencies(world.sandbox, result.awaited)
    for kind, what in ((QUIZ, "question in the DM"), (CLICK, "outcome shown")):
        waits, asked = seen.get(kind, []), sum(1 for a in result.awaited if a[0] == kind)
        print(
            f"  after the ack, {kind} -> {what}: {len(waits)} of {asked},"
            f" p50 {ms(percentile(waits, 0.5))} ms, p99 {ms(percentile(waits, 0.99))} ms"
        )


def worst_p99(result: PhaseResult) -> float:
    return max((p99(result, k) for k in KINDS if result.of(k)), default=math.nan)


def errors(result: PhaseResult) -> int:
    return sum(1 for s in result.samples if not s.ok)


def measured_run(options: Options, world: World, requests: Requests) -> int:
    baseline = run(
        options, world, requests, options.baseline_rate, options.baseline_seconds, options.seed
    )
    world.quiet()
    main = run(options, world, requests, options.rate, options.seconds, options.seed + 1)
    settled = world.quiet()
    clicked = baseline.clicked + main.clicked
    lost, duplicated = answers_problems(world, clicked)
    report("baseline", baseline)
    report("measured", main)
    print(f"\nclicks sent: {len(clicked)}, answers lost: {lost}, duplicated: {duplicated}")
    print_replies(world, main)
    if not settled:
        print("the app was still busy 120 s after the last request")
    ratios = [f"{k} {p99(main, k) / p99(baseline, k):.2f}" for k in KINDS]
    print("p99 ratio to baseline, per kind: " + ", ".join(ratios))
    print(f"worst p99: {ms(worst_p99(main))} ms (target {options.target_ms:g} ms)")
    print(f"ratio to baseline: {worst_p99(main) / worst_p99(baseline):.2f}")
    failed = errors(main) + errors(baseline) + lost + duplicated
    return 1 if failed or not settled else 0


def find_max(options: Options, world: World, requests: Requests) -> int:
    rate, best = options.start_rate, None
    step = 0
    while rate <= options.max_rate:
        result = run(options, world, requests, rate, options.step_seconds, options.seed + step)
        world.quiet()
        report(f"step {step + 1}", result)
        print_replies(world, result)
        passed = errors(result) == 0 and worst_p99(result) * 1000 < options.target_ms
        verdict = "under" if passed else "NOT under"
        print(f"  worst p99 {ms(worst_p99(result))} ms: {verdict} {options.target_ms:g} ms")
        if not passed:
            break
        best, rate, step = rate, rate * options.step, step + 1
    if best is None:
        print(f"\nno rate kept every kind's p99 under {options.target_ms:g} ms")
        return 1
    print(f"\nhighest rate with every kind's p99 under {options.target_ms:g} ms: {best:.1f}/s")
    return 0


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    quiet_logging()
    print(
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    with running_world(
        database=options.database,
        people=options.people,
        admins=options.admins,
        postgres_url=options.postgres_url,
        slack_latency=options.slack_latency,
    ) as world:
        print(f"{world.database}; {len(world.people)} people, {len(world.admins)} admins")
        requests = Requests(world.staff, world.admins, Questions(world.sandbox))
        run(options, world, requests, options.rate, WARM_UP_SECONDS, options.seed - 1)
        world.quiet()
        if options.find_max:
            return find_max(options, world, requests)
        return measured_run(options, world, requests)


if __name__ == "__main__":
    sys.exit(main())
