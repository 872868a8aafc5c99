"""Fan-out benchmark: one round to many people through the real round path and a stand-in Slack.

The stand-in (`bot.sandbox.SlackSandbox`) adds a fixed latency to every Web API call and allows
at most `--limit` chat.postMessage calls in any 60-second window, answering 429 with Retry-After
above that. The app is built with `bot.slack.app.create_app` on a fresh SQLite database; one
round for everyone is opened with `RoundService.open` and sent with
`bot.slack.rounds.delivery.deliver`, exactly as a scheduled round is.

The floor is the time the workspace limit alone requires (posts / limit per minute); the last line
printed is `ratio to floor: N.NN`. The exit status is 1 if any delivery was lost or duplicated.

    python benchmarks/fanout.py                           # 2,000 people at 600/min (~3.5 min)
    python benchmarks/fanout.py --people 200 --limit 6000 # a quick run
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from company import (
    every_day_schedules,
    everyone_plan,
    load_people,
    quiet_logging,
    sandbox_users,
)
from pydantic import SecretStr
from sqlalchemy import select

from bot.sandbox import RecordedCall, SlackSandbox
from bot.sandbox.workspace import dm_channel_id
from bot.services.rounds.service import RoundOpened
from bot.settings import Settings
from bot.slack.app import Runtime, create_app
from bot.slack.ids import delivery_from_block_id
from bot.slack.rounds.delivery import RoundReport, Sender, deliver
from storage import models
from storage.db import make_engine, upgrade

T = TypeVar("T")

TOKEN = "xoxb-fanout-benchmark"
POST = "chat.postMessage"
RATELIMITED = "ratelimited"
# The workspace limit the product's default pacer rate is meant for.
DEFAULT_LIMIT = 600


@dataclass(frozen=True)
class Options:
    people: int
    limit: int
    latency: float
    workers: int
    posts_per_minute: int


@dataclass(frozen=True)
class Result:
    people: int
    deliveries: int
    posts: int
    ratelimited: int
    lost: int
    duplicated: int
    open_seconds: float
    wall_seconds: float
    first_to_last: float
    report: RoundReport


# -- options -----------------------------------------------------------------------------------


def product_workers() -> int:
    """The fan-out worker count the product uses (the `Sender.workers` default)."""
    default = {f.name: f.default for f in dataclasses.fields(Sender)}["workers"]
    assert isinstance(default, int)
    return default


def product_posts_per_minute() -> int:
    """The pacer rate the product would use here: AUDITREADY_POSTS_PER_MINUTE or its default."""
    return Settings().posts_per_minute


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=2000, help="people in the round (2000)")
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="PER_MINUTE",
        help=f"stand-in's chat.postMessage limit per 60 s ({DEFAULT_LIMIT})",
    )
    parser.add_argument(
        "--latency", type=float, default=0.05, metavar="SECONDS", help="added per call (0.05)"
    )
    parser.add_argument(
        "--workers", type=int, default=None, help=f"fan-out threads (product: {product_workers()})"
    )
    parser.add_argument(
        "--posts-per-minute",
        type=int,
        default=None,
        help="pacer rate; default: the product's setting, scaled by --limit / 600",
    )
    args = parser.parse_args(argv)
    if args.people < 1 or args.limit < 1 or args.latency < 0:
        parser.error("--people and --limit must be at least 1, --latency not negative")
    return Options(
        people=args.people,
        limit=args.limit,
        latency=args.latency,
        workers=args.workers or product_workers(),
        posts_per_minute=args.posts_per_minute or default_pacer_rate(args.limit),
    )


def default_pacer_rate(limit: int) -> int:
    """The product's rate as is for the default limit; scaled with it for quick runs."""
    return max(1, round(product_posts_per_minute() * limit / DEFAULT_LIMIT))


# -- setup -------------------------------------------------------------------------------------


def build_runtime(sandbox: SlackSandbox, database: Path, options: Options) -> Runtime:
    settings = Settings(
        slack_bot_token=SecretStr(TOKEN),
        slack_signing_secret=SecretStr("x"),
        slack_api_url=sandbox.base_url,
        database_url=f"sqlite:///{database}",
        posts_per_minute=options.posts_per_minute,
    )
    engine = make_engine(settings.database_url)
    upgrade(engine)
    runtime = create_app(settings, engine=engine, schedules=every_day_schedules())
    sender = dataclasses.replace(runtime.sender, workers=options.workers)
    return dataclasses.replace(runtime, sender=sender)


# -- the round ---------------------------------------------------------------------------------


def timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started


def round_deliveries(runtime: Runtime, round_id: int) -> list[tuple[int, str, str | None]]:
    """(delivery id, Slack user, message ts) for every delivery of the round."""
    with runtime.uow() as work:
        rows = work.session.execute(
            select(models.Delivery.id, models.Person.slack_id, models.Delivery.message_ts)
            .join(models.Person, models.Person.id == models.Delivery.person_id)
            .where(models.Delivery.round_id == round_id)
        )
        return [(row[0], row[1], row[2]) for row in rows]


def posted_delivery(call: RecordedCall) -> int | None:
    blocks: Any = call.params.get("blocks") or []
    for block in blocks if isinstance(blocks, list) else []:
        found = delivery_from_block_id(str(block.get("block_id", "")))
        if found is not None:
            return found
    return None


def round_posts(calls: list[RecordedCall], delivery_ids: set[int]) -> list[RecordedCall]:
    """Successful chat.postMessage calls that carried one of the round's deliveries."""
    return [
        call
        for call in calls
        if call.method == POST and call.ok and posted_delivery(call) in delivery_ids
    ]


def duplicated_users(posts: list[RecordedCall], deliveries: list[tuple[int, str, Any]]) -> int:
    """People who got more successful posts than they have deliveries in the round."""
    expected = Counter(user for _, user, _ in deliveries)
    # A round posts to the person's DM channel, which the stand-in names after their user id.
    owner = {dm_channel_id(user): user for user in expected}
    got = Counter(owner.get(str(call.params.get("channel")), "") for call in posts)
    return sum(1 for user, count in got.items() if count > expected[user])


def run_round(runtime: Runtime, sandbox: SlackSandbox, people: int) -> Result:
    opened: RoundOpened
    opened, open_seconds = timed(lambda: runtime.services.rounds.open(everyone_plan()))
    unsent = runtime.services.rounds.unsent(round_id=opened.round_id)
    if opened.created != people or len(unsent) != people:
        raise SystemExit(
            f"round: created {opened.created} deliveries for {people} people "
            f"(skipped {dict(opened.skipped)}), {len(unsent)} unsent"
        )
    before = len(sandbox.calls)
    report, wall = timed(lambda: deliver(runtime.sender, unsent))
    calls = sandbox.calls[before:]
    deliveries = round_deliveries(runtime, opened.round_id)
    posts = round_posts(calls, {delivery_id for delivery_id, _, _ in deliveries})
    times = [call.at for call in posts]
    return Result(
        people=people,
        deliveries=len(deliveries),
        posts=len(posts),
        ratelimited=sum(1 for call in calls if call.method == POST and call.error == RATELIMITED),
        lost=sum(1 for _, _, ts in deliveries if ts is None),
        duplicated=duplicated_users(posts, deliveries),
        open_seconds=open_seconds,
        wall_seconds=wall,
        first_to_last=max(times) - min(times) if times else 0.0,
        report=report,
    )


# -- output ------------------------------------------------------------------------------------


def floor_seconds(posts: int, per_minute: int) -> float:
    """The time the workspace limit alone requires for this many posts."""
    return posts / per_minute * 60.0


def print_result(result: Result, options: Options) -> None:
    floor = floor_seconds(result.deliveries, options.limit)
    report = result.report
    lines = [
        f"limit: {options.limit}/min, latency {options.latency * 1000:.0f} ms, "
        f"pacer {options.posts_per_minute}/min, {options.workers} workers",
        f"people: {result.people}",
        f"open round: {result.open_seconds:.2f} s",
        f"posts: {result.posts}",
        f"429s received: {result.ratelimited}",
        f"lost: {result.lost}",
        f"duplicated: {result.duplicated}",
        f"report: sent {report.sent}, failed {sum(report.failed.values())}, "
        f"retry later {report.retry_later}, taken elsewhere {report.taken_elsewhere}",
        f"first to last post: {result.first_to_last:.2f} s",
        f"wall time: {result.wall_seconds:.2f} s",
        f"floor: {floor:.2f} s",
        f"ratio to floor: {result.wall_seconds / floor:.2f}",
    ]
    print("\n".join(lines), flush=True)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    quiet_logging()
    users = sandbox_users(options.people, domain="fanout.example")
    with (
        tempfile.TemporaryDirectory(prefix="fanout-") as folder,
        SlackSandbox(
            users=users,
            bot_token=TOKEN,
            latency=options.latency,
            post_message_per_minute=options.limit,
        ) as sandbox,
    ):
        runtime = build_runtime(sandbox, Path(folder) / "fanout.db", options)
        _, setup_seconds = timed(lambda: load_people(runtime, users))
        print(f"setup (bank, staff sync, roster): {setup_seconds:.2f} s", flush=True)
        result = run_round(runtime, sandbox, options.people)
        runtime.engine.dispose()
    print_result(result, options)
    return 1 if result.lost or result.duplicated else 0


if __name__ == "__main__":
    sys.exit(main())
