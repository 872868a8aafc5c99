"""The database stops answering in the middle of a round, then comes back (PostgreSQL).

A TCP relay stands between the app and PostgreSQL; cutting it drops every connection and
refuses new ones, as a stopped server would. Posts made while the app could not record them are
found again in Slack by the next sweep, not posted twice. The test prints what it counted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from bot.sandbox import SlackSandbox
from bot.services.rounds.service import STALE_CLAIM, plan_for_schedule
from bot.slack.jobs import activate, sweep
from bot.slack.rounds.delivery import deliver
from storage.db import make_engine
from tests.conftest import Clock
from tests.e2e.rounds_world import RoundWorld
from tests.e2e.workspace import DAILY

from .test_delivery import LONDON, ten_am


class Relay:
    """Forwards 127.0.0.1:port to the database; `cut()` stops it like a server going down."""

    def __init__(self, host: str, port: int) -> None:
        self._upstream = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._down = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._down.is_set():
                client.close()
                continue
            server = socket.create_connection(self._upstream)
            with self._lock:
                self._open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()

    def cut(self) -> None:
        self._down.set()
        with self._lock:
            dropped, self._open = self._open, []
        for connection in dropped:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def restore(self) -> None:
        self._down.clear()

    def close(self) -> None:
        self.cut()
        self._listener.close()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass


@pytest.fixture
def relayed(engine: Engine) -> Iterator[tuple[Engine, Relay]]:
    if engine.dialect.name != "postgresql":
        pytest.skip("an embedded SQLite file has no server to stop")
    url = engine.url
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    through = make_engine(url.set(host="127.0.0.1", port=relay.port).render_as_string(False))
    yield through, relay
    through.dispose()
    relay.close()


def test_a_round_survives_the_database_stopping_and_starting_again(
    relayed: tuple[Engine, Relay], sandbox: SlackSandbox, clock: Clock
) -> None:
    engine, relay = relayed
    clock.now = ten_am(LONDON)
    world = RoundWorld.open(sandbox, engine, clock).stock()
    world.activate()
    rounds = world.runtime.services.rounds
    opened = rounds.open(plan_for_schedule(DAILY, tz=LONDON, now=clock()))
    pending = rounds.unsent(round_id=opened.round_id)
    seen = 0

    def outage(_: object) -> None:
        nonlocal seen
        seen += 1
        if seen == 1:
            relay.cut()
            threading.Timer(1.0, relay.restore).start()

    try:
        # One worker, so the outage surely falls between two deliveries of this small round.
        one_at_a_time = dataclasses.replace(world.runtime.sender, workers=1)
        during = deliver(one_at_a_time, pending, on_outcome=outage)
        relay.restore()
        clock.advance(seconds=(STALE_CLAIM + timedelta(minutes=1)).total_seconds())
        sweep()
        standing = world.messages_per_delivery()
        recorded = [d for d in world.deliveries() if d.message_ts]
    finally:
        activate(None)
    print(f"deliveries {len(pending)}; sent during the outage run {during.sent}, failed "
          f"{sum(during.failed.values())}; in Slack {sum(standing.values())}, recorded "
          f"{len(recorded)}, duplicates {sum(n - 1 for n in standing.values() if n > 1)}, "
          f"lost {sum(1 for d in pending if standing[d] == 0)}")  # fmt: skip
    assert sum(during.failed.values()) > 0  # the outage did hit the round
    assert standing == Counter({d: 1 for d in pending})
    assert len(recorded) == len(pending)
