"""Scheduled rounds driven from the test rather than over HTTP: the app, a clock, the jobs."""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from bot.domain.schedules import SchedulesFile
from bot.sandbox import RecordedCall, SlackSandbox
from bot.services.bank import sync_bank
from bot.services.departments import declare_departments
from bot.services.staff import import_roster, sync_staff
from bot.settings import Settings
from bot.slack.app import Runtime, create_app
from bot.slack.directory import WebDirectory
from bot.slack.ids import delivery_from_block_id
from bot.slack.jobs import JobContext, activate, job_context
from bot.slack.rounds.fanout import Pacer
from questions.loader import sample_bank_path
from storage import models
from storage.db import make_engine, make_session_factory
from tests.e2e.workspace import (
    ZONED_PEOPLE,
    ZONED_SCHEDULES,
    sample_bank,
    zoned_roster,
)

# -- scheduled rounds, driven from the test rather than over HTTP --------------------------------

ROUND_TOKEN = "xoxb-rounds-token"


def zoned_sandbox() -> SlackSandbox:
    """A Slack workspace of ZONED_PEOPLE, not yet started."""
    return SlackSandbox(users=ZONED_PEOPLE, bot_token=ROUND_TOKEN)


class PacerTime:
    """Seconds for a round's Pacer that pass only when it sleeps: a Retry-After costs no time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


@dataclass
class RoundWorld:
    """The app on one database with ZONED_PEOPLE in a Slack sandbox, driven by the test's clock.

    The round sender's pacer runs on `pacer_time`, so rate-limit holds are counted, not waited.
    """

    runtime: Runtime
    sandbox: SlackSandbox
    clock: Callable[[], datetime]
    pacer_time: PacerTime
    sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        # The app's own kind of session: whatever a test writes moves the summary's tallies too.
        self.sessions = make_session_factory(self.runtime.engine)

    @classmethod
    def open(
        cls,
        sandbox: SlackSandbox,
        engine: Engine,
        clock: Callable[[], datetime],
        schedules: SchedulesFile = ZONED_SCHEDULES,
    ) -> RoundWorld:
        """A process of the app on an already migrated database."""
        settings = Settings(
            _env_file=None,
            slack_bot_token=SecretStr(ROUND_TOKEN),
            slack_api_url=sandbox.base_url,
            database_url=engine.url.render_as_string(hide_password=False),
            bank=sample_bank_path(),
            admins=[],
        )
        runtime = create_app(settings, engine=engine, clock=clock, schedules=schedules)
        pacer_time = PacerTime()
        pacer = Pacer(settings.posts_per_minute, clock=pacer_time, sleep=pacer_time.sleep)
        sender = dataclasses.replace(runtime.sender, pacer=pacer)
        return cls(dataclasses.replace(runtime, sender=sender), sandbox, clock, pacer_time)

    def stock(self) -> RoundWorld:
        """Load the sample bank and ZONED_PEOPLE with their roster rows."""
        uow, now = self.runtime.uow, self.clock()
        sync_bank(uow=uow, bank=sample_bank(), now=now)
        directory = WebDirectory(self.runtime.client)
        sync_staff(uow=uow, directory=directory, include_guests=False, now=now)
        report = import_roster(
            uow=uow, rows=zoned_roster(), departments=declare_departments(["Production"])
        )
        assert (report.matched, report.problems) == (len(ZONED_PEOPLE), []), report
        return self

    def restarted(self, clock: Callable[[], datetime]) -> RoundWorld:
        """A new process on the same database: new engine, services, sender and pacer."""
        engine = make_engine(self.runtime.settings.database_url)
        return RoundWorld.open(self.sandbox, engine, clock, self.runtime.schedules)

    def activate(self) -> JobContext:
        """Make this process's services the ones scheduler jobs run with."""
        runtime = self.runtime
        context = job_context(runtime.schedules, runtime.services, runtime.sender, self.clock)
        activate(context)
        return context

    def session(self) -> Session:
        return self.sessions()

    def deliveries(self) -> list[models.Delivery]:
        """Every round delivery with its person, question and answer loaded, oldest first."""
        with self.session() as session:
            return list(
                session.scalars(
                    select(models.Delivery)
                    .where(models.Delivery.round_id.is_not(None))
                    .options(
                        selectinload(models.Delivery.person),
                        selectinload(models.Delivery.question_version),
                        selectinload(models.Delivery.answer),
                    )
                    .order_by(models.Delivery.id)
                )
            )

    def user_of(self, channel: str) -> str:
        """The person a post went to, whether it named their user id or their DM channel."""
        for user in ZONED_PEOPLE:
            if channel in (user.id, self.sandbox.dm_channel(user.id)):
                return user.id
        return channel

    def messages_per_delivery(self) -> Counter[int]:
        """The question messages standing in Slack for each delivery, however the posts ended
        (a post whose answer was lost still left its message)."""
        return Counter(
            delivery_id
            for user in ZONED_PEOPLE
            for message in self.sandbox.messages(user.id)
            for delivery_id in _deliveries_in_blocks(message.get("blocks") or [])
        )

    def posts_per_delivery(self) -> Counter[int]:
        """Successful chat.postMessage calls carrying each delivery's question."""
        return Counter(
            delivery_id
            for call in self.sandbox.calls_to("chat.postMessage")
            if call.ok
            for delivery_id in _deliveries_in(call)
        )


def _deliveries_in(call: RecordedCall) -> list[int]:
    return _deliveries_in_blocks(call.params.get("blocks") or [])


def _deliveries_in_blocks(blocks: list[dict[str, object]]) -> list[int]:
    found = []
    for block in blocks:
        delivery_id = delivery_from_block_id(str(block.get("block_id", "")))
        if delivery_id is not None:
            found.append(delivery_id)
    return found
