"""Who may review a procedure's questions: admins, and the procedure's owner as people.

The bank names an owner by role ("Quality Manager"). The procedure block's `owner_slack_id`
names the person outright; without it, whoever the roster gives that role reviews.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from questions.model import Procedure
from storage.models import Person


def may_review(
    session: Session, *, slack_user: str, procedure: Procedure, admins: Sequence[str]
) -> bool:
    """True for an admin (setting or roster) and for the procedure's owner."""
    if slack_user in admins:
        return True
    found = session.scalar(select(Person).where(Person.slack_id == slack_user))
    if found is not None and found.is_admin:
        return True
    if procedure.owner_slack_id:
        return slack_user == procedure.owner_slack_id
    return (
        found is not None
        and found.is_active
        and (found.role or "").casefold() == procedure.owner.casefold()
    )


def owners_of(session: Session, procedure: Procedure) -> list[str]:
    """The Slack ids of the people who own a procedure, whom its drafts are sent to."""
    if procedure.owner_slack_id:
        return [procedure.owner_slack_id]
    role = procedure.owner.strip().lower()
    found = session.scalars(
        select(Person.slack_id)
        .where(func.lower(func.trim(Person.role)) == role, Person.is_active.is_(True))
        .order_by(Person.slack_id)
    )
    return list(found)
