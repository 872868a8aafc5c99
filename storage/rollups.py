"""Keeping the running tallies current as deliveries and answers are written.

Listeners on a session factory (`keep_tallies`, which `storage.db.make_session_factory`
registers) turn new deliveries, new answers and deliveries whose send failed into increments
of `storage.tallies`, in the same transaction, so the tallies can never disagree with the
evidence they summarise. An answer counts in its procedure row and in the row of the revision
it was given under, both by the day its question was sent. Each flush only gathers its
changes; they are written once, just before the commit, in one global order (daily counts,
then reach, then reach per day, each by sorted key), so two transactions on PostgreSQL never
wait on each other's rows in a cycle.
`rebuild` recomputes them all from the raw rows: the migration that created them uses it, and
so can an operator.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from weakref import WeakSet

from sqlalchemy import (
    Connection,
    bindparam,
    case,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from storage.days import utc_day
from storage.models import Answer, Delivery
from storage.tallies import (
    CLAUSE,
    DEPARTMENT,
    PROCEDURE,
    REVISION,
    DailyTally,
    Reach,
    ReachDay,
    revision_subject,
)

UNASSIGNED = "(no department)"

TallyKey = tuple[str, date, str, str]
ReachKey = tuple[str, str, str, int]


def department_of(value: str | None) -> str:
    return UNASSIGNED if value is None else value


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


@dataclass
class Changes:
    """What one flush adds to the tallies."""

    counts: dict[TallyKey, list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0, 0])
    )
    # Per reach row, the latest sent and answered days seen in this flush.
    raised: dict[ReachKey, list[date | None]] = field(default_factory=dict)
    # Reach rows to recompute from the raw rows, because a delivery stopped counting.
    recount: set[ReachKey] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.counts or self.raised or self.recount)

    def merge(self, later: Changes) -> None:
        """Add a later flush's changes to these."""
        for count_key, values in later.counts.items():
            row = self.counts[count_key]
            for slot, value in enumerate(values):
                row[slot] += value
        # A recount reads the rows as they stand at the commit, earlier raises included; a
        # raise kept beside it could name a day whose delivery has since stopped counting.
        for reach_key in later.recount:
            self.raised.pop(reach_key, None)
        for reach_key, (sent, answered) in later.raised.items():
            self._raise(reach_key, sent=sent, answered=answered)
        self.recount |= later.recount

    def delivered(self, delivery: Delivery, sign: int = 1) -> None:
        day, department = day_of(delivery.delivered_at), department_of(delivery.department)
        self.counts[(PROCEDURE, day, department, delivery.procedure_code)][0] += sign
        for key in _delivery_reach(delivery):
            if sign > 0:
                self._raise(key, sent=day)
            else:
                self.recount.add(key)

    def answered(self, answer: Answer, delivery: Delivery) -> None:
        department, right = department_of(answer.department), int(bool(answer.is_correct))
        if delivery.send_error is None:
            # Like the delivery, an answer to a question Slack never showed counts nowhere
            # by procedure; the clause rows come from the answers alone.
            self.sent_answer(answer, day_of(delivery.delivered_at), sign=1)
        answered_on = day_of(answer.answered_at)
        for clause in answer.clauses:
            row = self.counts[(CLAUSE, answered_on, department, clause)]
            row[0] += 1
            row[1] += 1
            row[2] += right
            self._raise(
                (CLAUSE, department, clause, answer.person_id),
                sent=answered_on,
                answered=answered_on,
            )

    def sent_answer(self, answer: Any, delivered_on: date, *, sign: int) -> None:
        """Count, or take back, an answer in its delivery's procedure and revision rows."""
        department = department_of(answer.department)
        right = sign * int(bool(answer.is_correct))
        revision = revision_subject(answer.procedure_code, answer.procedure_revision)
        for kind, subject in ((PROCEDURE, answer.procedure_code), (REVISION, revision)):
            row = self.counts[(kind, delivered_on, department, subject)]
            row[1] += sign
            row[2] += right
        keys = [
            (PROCEDURE, department, answer.procedure_code, answer.person_id),
            (DEPARTMENT, department, "", answer.person_id),
        ]
        for key in keys:
            if sign > 0:
                self._raise(key, answered=delivered_on)
            else:
                self.recount.add(key)

    def _raise(
        self, key: ReachKey, *, sent: date | None = None, answered: date | None = None
    ) -> None:
        current = self.raised.setdefault(key, [None, None])
        current[0] = _later(current[0], sent)
        current[1] = _later(current[1], answered)


def _delivery_reach(delivery: Delivery) -> list[ReachKey]:
    department = department_of(delivery.department)
    return [
        (PROCEDURE, department, delivery.procedure_code, delivery.person_id),
        (DEPARTMENT, department, "", delivery.person_id),
    ]


def _later(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


# The factories `keep_tallies` has registered on. Not `event.contains`: SQLAlchemy files a
# listener under the id() of the factory's Session class, so once a factory is gone a new one
# can inherit its id and look registered when it is not.
_KEEPING: WeakSet[sessionmaker[Session]] = WeakSet()


def keep_tallies(factory: sessionmaker[Session]) -> None:
    """Keep the tallies current in every session this factory makes; once, however often called."""
    # On the factory, not on SQLAlchemy's Session class: importing this module changes no
    # session in the process, and sessions made otherwise (a bare `Session(engine)`) stay plain.
    # Registering twice would count every row twice.
    if factory not in _KEEPING:
        event.listen(factory, "after_flush", _gather)
        event.listen(factory, "before_commit", _write_gathered)
        event.listen(factory, "after_transaction_end", _forget_gathered)
        _KEEPING.add(factory)


def keeps_tallies(factory: sessionmaker[Session]) -> bool:
    """True when `keep_tallies` has made this factory's sessions keep the tallies."""
    return factory in _KEEPING


_GATHERED = "auditready.tally_changes"


def _gather(session: Session, _context: Any) -> None:
    with session.no_autoflush:
        changes = _changes(session)
    if changes:
        session.info.setdefault(_GATHERED, Changes()).merge(changes)


def _write_gathered(session: Session) -> None:
    # Releasing a savepoint runs this too: only the real commit writes, or one transaction
    # would write its tallies once per savepoint, out of the one global order.
    if session.in_nested_transaction():
        return
    # Commit runs this before its own last flush: flush here so that flush is gathered too.
    session.flush()
    changes = session.info.pop(_GATHERED, None)
    if changes:
        apply(session.connection(), changes)


def _forget_gathered(session: Session, transaction: Any) -> None:
    # A rolled-back transaction's changes never happened; a savepoint's end is not the end.
    if transaction.parent is None:
        session.info.pop(_GATHERED, None)


def _changes(session: Session) -> Changes:
    changes = Changes()
    for item in session.new:
        if isinstance(item, Delivery) and item.send_error is None:
            changes.delivered(item)
        elif isinstance(item, Answer):
            changes.answered(item, item.delivery or session.get_one(Delivery, item.delivery_id))
    for item in session.dirty:
        if isinstance(item, Delivery) and item not in session.new:
            _send_error_changed(session, changes, item)
    return changes


def _send_error_changed(session: Session, changes: Changes, delivery: Delivery) -> None:
    # `send_error` keeps its old value in the history (active_history on the model), so a
    # second failure reason is not taken back twice.
    history = inspect(delivery).attrs.send_error.history
    if not history.has_changes():
        return
    was_counted = not history.deleted or history.deleted[0] is None
    counted = delivery.send_error is None
    if was_counted == counted:
        return
    sign = 1 if counted else -1
    changes.delivered(delivery, sign=sign)
    changes.recount.update(_delivery_reach(delivery))
    # Read with SQL, not `delivery.answer`: loading it inside the flush would make a second
    # copy of an answer this very flush inserted.
    new_answers = {a.id for a in session.new if isinstance(a, Answer)}
    answer = (
        session.connection()
        .execute(
            select(Answer.id, Answer.department, Answer.procedure_code, Answer.person_id)
            .add_columns(Answer.procedure_revision, Answer.is_correct)
            .where(Answer.delivery_id == delivery.id)
        )
        .one_or_none()
    )
    if answer is not None and answer.id not in new_answers:
        changes.sent_answer(answer, day_of(delivery.delivered_at), sign=sign)


def apply(connection: Connection, changes: Changes) -> None:
    """Add one flush's changes to the tallies."""
    insert = _insert_for(connection)
    if changes.counts:
        _add_counts(connection, insert, changes.counts)
    keys = set(changes.raised) | changes.recount
    if keys:
        _move_reach(connection, insert, keys, changes)


def _insert_for(connection: Connection) -> Any:
    if connection.dialect.name == "postgresql":
        return postgresql.insert
    if connection.dialect.name == "sqlite":
        return sqlite.insert
    raise NotImplementedError(
        f"the tallies support SQLite and PostgreSQL, not {connection.dialect.name}"
    )


def _add_counts(connection: Connection, insert: Any, counts: dict[TallyKey, list[int]]) -> None:
    _add_to(connection, insert, DailyTally, ("deliveries", "answers", "correct"), counts)


def _add_to(
    connection: Connection,
    insert: Any,
    model: type[DailyTally] | type[ReachDay],
    counters: tuple[str, ...],
    increments: dict[TallyKey, list[int]],
) -> None:
    """Add to counters keyed by kind, day, department and subject, creating missing rows."""
    keys = ("kind", "day", "department", "subject")
    statement = insert(model)
    statement = statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: getattr(model, name) + statement.excluded[name] for name in counters},
    )
    rows = [
        dict(zip(keys, key, strict=True)) | dict(zip(counters, values, strict=True))
        for key, values in sorted(increments.items())
        if any(values)
    ]
    if rows:
        connection.execute(statement, rows)


def _move_reach(connection: Connection, insert: Any, keys: set[ReachKey], changes: Changes) -> None:
    ordered = sorted(keys)
    # Create missing rows first, so that the locking read below sees and holds every one.
    connection.execute(
        insert(Reach).on_conflict_do_nothing(),
        [{"kind": k, "department": d, "subject": s, "person_id": p} for k, d, s, p in ordered],
    )
    current = _locked_reach(connection, ordered)
    people: dict[tuple[str, date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    updates = []
    for key in ordered:
        old = current[key]
        new = _next_days(connection, key, old, changes)
        if new != old:
            _shift_people(people, key, old, new)
            kind, department, subject, person = key
            updates.append(
                {"k": kind, "d": department, "s": subject, "p": person}
                | {"sent": new[0], "answered": new[1]}
            )
    if updates:
        _write_reach(connection, updates)
    if people:
        _add_to(connection, insert, ReachDay, ("people_sent", "people_answered"), people)


Days = tuple[date | None, date | None]


def _next_days(connection: Connection, key: ReachKey, old: Days, changes: Changes) -> Days:
    sent, answered = changes.raised.get(key, [None, None])
    if key in changes.recount:
        old = _recounted(connection, key)
    return _later(old[0], sent), _later(old[1], answered)


def _shift_people(
    people: dict[tuple[str, date, str, str], list[int]], key: ReachKey, old: Days, new: Days
) -> None:
    """Move the person from the day they were last counted on to their new last day."""
    kind, department, subject, _person = key
    for slot in (0, 1):
        before, after = old[slot], new[slot]
        if before == after:
            continue
        if before is not None:
            people[(kind, before, department, subject)][slot] -= 1
        if after is not None:
            people[(kind, after, department, subject)][slot] += 1


def _locked_reach(
    connection: Connection, keys: list[ReachKey]
) -> dict[ReachKey, tuple[date | None, date | None]]:
    by_cell: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for kind, department, subject, person in keys:
        by_cell[(kind, department, subject)].append(person)
    found: dict[ReachKey, tuple[date | None, date | None]] = {}
    for (kind, department, subject), persons in by_cell.items():
        statement = (
            select(Reach.person_id, Reach.last_sent_on, Reach.last_answered_on)
            .where(Reach.kind == kind, Reach.department == department, Reach.subject == subject)
            .where(Reach.person_id.in_(persons))
            .order_by(Reach.person_id)
            .with_for_update()
        )
        for person, sent, answered in connection.execute(statement):
            found[(kind, department, subject, person)] = (sent, answered)
    return found


def _recounted(connection: Connection, key: ReachKey) -> tuple[date | None, date | None]:
    """A person's last sent and answered days in one cell, from the deliveries themselves."""
    kind, department, subject, person = key
    day = utc_day(Delivery.delivered_at)
    statement = (
        select(func.max(day), func.max(case((Answer.id.is_not(None), day))))
        .select_from(Delivery)
        .outerjoin(Answer, Answer.delivery_id == Delivery.id)
        .where(Delivery.person_id == person, Delivery.send_error.is_(None))
        .where(func.coalesce(Delivery.department, UNASSIGNED) == department)
    )
    if kind == PROCEDURE:
        statement = statement.where(Delivery.procedure_code == subject)
    sent, answered = connection.execute(statement).one()
    return _as_date(sent), _as_date(answered)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _write_reach(connection: Connection, updates: list[dict[str, Any]]) -> None:
    statement = (
        update(Reach)
        .where(
            Reach.kind == bindparam("k"),
            Reach.department == bindparam("d"),
            Reach.subject == bindparam("s"),
            Reach.person_id == bindparam("p"),
        )
        .values(last_sent_on=bindparam("sent"), last_answered_on=bindparam("answered"))
    )
    connection.execute(statement, updates)
