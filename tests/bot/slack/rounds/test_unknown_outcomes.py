"""A post whose outcome is unknown is looked up, not posted again (issue finding F4).

Slack may post a message and the answer still never reach us: a 5xx after the post, a reply
slower than the client's timeout, a process killed between the post and recording it. Each test
counts the question messages standing in each person's DM afterwards (not the calls that
succeeded) and prints what it counted. On SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.services.rounds.service import STALE_CLAIM, plan_for_schedule
from bot.slack import questions as views
from bot.slack.jobs import sweep
from bot.slack.posted import delivery_metadata
from bot.slack.rounds.delivery import deliver
from tests.conftest import Clock
from tests.e2e.rounds_world import RoundWorld
from tests.e2e.workspace import DAILY

from .test_delivery import LONDON


def _open(world: RoundWorld) -> list[int]:
    rounds = world.runtime.services.rounds
    opened = rounds.open(plan_for_schedule(DAILY, tz=LONDON, now=world.clock()))
    return rounds.unsent(round_id=opened.round_id)


def _tally(world: RoundWorld, pending: list[int]) -> Counter[int]:
    standing = world.messages_per_delivery()
    recorded = [d for d in world.deliveries() if d.message_ts]
    duplicates = sum(n - 1 for n in standing.values() if n > 1)
    lost = sum(1 for d in pending if standing[d] == 0)
    print(f"deliveries {len(pending)}; in Slack {sum(standing.values())}, recorded as sent "
          f"{len(recorded)}, duplicates {duplicates}, lost {lost}")  # fmt: skip
    return standing


def test_a_5xx_after_slack_posted_is_found_and_not_posted_again(world: RoundWorld) -> None:
    world.sandbox.fail_next("chat.postMessage", status=500, after_effect=True)
    pending = _open(world)

    report = deliver(world.runtime.sender, pending)

    assert _tally(world, pending) == Counter({d: 1 for d in pending})
    assert (report.sent, report.reconciled, report.retry_later) == (len(pending), 1, 0)
    assert all(d.message_ts for d in world.deliveries())
    histories = world.sandbox.calls_to("conversations.history")
    assert histories and all(c.params.get("include_all_metadata") for c in histories)


def test_a_post_slower_than_the_timeout_is_found_and_not_posted_again(world: RoundWorld) -> None:
    world.runtime.sender.client.timeout = 1
    world.sandbox.fail_next("chat.postMessage", status=200, after_effect=True, delay=2.5)
    pending = _open(world)

    report = deliver(world.runtime.sender, pending)

    assert _tally(world, pending) == Counter({d: 1 for d in pending})
    assert report.reconciled == 1


def test_a_process_killed_between_posting_and_recording_is_not_repeated(
    world: RoundWorld, clock: Clock
) -> None:
    rounds = world.runtime.services.rounds
    first, *rest = pending = _open(world)
    # The dead process claimed the first question and posted it, then died before recording it.
    outgoing = rounds.claim(delivery_id=first)
    assert outgoing is not None
    channel = world.sandbox.dm_channel(outgoing.slack_user)
    posted = world.runtime.client.chat_postMessage(
        channel=channel, metadata=delivery_metadata(first), **views.question_message(outgoing.ask)
    )

    later = Clock(clock() + STALE_CLAIM + timedelta(minutes=1))
    restarted = world.restarted(later)
    try:
        restarted.activate()
        sweep()
    finally:
        restarted.runtime.engine.dispose()

    assert _tally(world, pending) == Counter({d: 1 for d in pending})
    recorded = {d.id: d.message_ts for d in world.deliveries()}
    assert recorded[first] == posted["ts"]
    assert all(recorded[d] for d in rest)


def test_a_question_slack_never_posted_is_posted_after_the_lookup(world: RoundWorld) -> None:
    world.sandbox.fail_next("chat.postMessage", status=503)  # refused before taking effect
    pending = _open(world)

    report = deliver(world.runtime.sender, pending)

    assert _tally(world, pending) == Counter({d: 1 for d in pending})
    assert (report.sent, report.reconciled) == (len(pending), 0)
