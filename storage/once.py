"""Keys that make a repeated request take effect once, on SQLite and PostgreSQL alike.

Each key is inserted in the transaction of the effect it guards. A racing copy's insert waits
for that transaction on the unique key, and then finds the key taken: there is no window
between looking and writing, as there is when Python checks first and writes later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.db import affected
from storage.models import RequestKey, SlackEvent


def _insert_for(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def first_delivery(session: Session, *, event_id: str, now: datetime) -> bool:
    """Record that this Events API event is being acted on; False if it already was."""
    insert = _insert_for(session)
    statement = insert(SlackEvent).values(event_id=event_id[:64], received_at=now)
    inserted = statement.on_conflict_do_nothing().returning(SlackEvent.event_id)
    return session.connection().execute(inserted).first() is not None


@dataclass(frozen=True)
class Claim:
    """A request key: `first` when this request takes effect; otherwise the earlier one's."""

    first: bool
    since: datetime
    result: str | None = None


def claim(session: Session, *, key: str, now: datetime, window: timedelta) -> Claim:
    """Take `key` for this request, unless a request with it took effect within `window`.

    After the window the key is taken afresh: pressing "quiz Warehouse now" tomorrow is a new
    round, pressing it five times in a minute is one.
    """
    key = _stored(key)
    insert = _insert_for(session)
    statement = insert(RequestKey).values(key=key, created_at=now, result=None)
    # RETURNING, not the row count: PostgreSQL's driver reports none for ON CONFLICT.
    inserted = statement.on_conflict_do_nothing().returning(RequestKey.key)
    if session.connection().execute(inserted).first() is not None:
        return Claim(True, now)
    held = session.execute(
        select(RequestKey.created_at, RequestKey.result)
        .where(RequestKey.key == key)
        .with_for_update()
    ).one()
    if held.created_at > now - window:
        return Claim(False, held.created_at, held.result)
    session.execute(
        update(RequestKey).where(RequestKey.key == key).values(created_at=now, result=None)
    )
    return Claim(True, now)


def remember(session: Session, *, key: str, result: str) -> None:
    """What the request that took effect made, for the repeats to point to."""
    session.execute(update(RequestKey).where(RequestKey.key == _stored(key)).values(result=result))


def forget_before(session: Session, *, moment: datetime) -> int:
    """Drop event ids and request keys older than `moment`: Slack stops retrying within the hour,
    and every repeat window is shorter than a day."""
    dropped = session.execute(delete(SlackEvent).where(SlackEvent.received_at < moment))
    kept = session.execute(delete(RequestKey).where(RequestKey.created_at < moment))
    return affected(dropped) + affected(kept)


def _stored(key: str) -> str:
    """The key as its column (String(200)) holds it; built from Slack ids, it never gets near."""
    return key[:200]
