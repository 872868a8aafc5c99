"""`differences` finds what a rebuild would change, and changes nothing itself."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from storage.rebuild import differences
from storage.tallies import DailyTally
from tests.storage.tally_world import D1, D2, answer_it, deliver, moment


def test_differences_finds_a_damaged_tally_and_changes_nothing(db: Engine) -> None:
    delivery = deliver(db, 1, "Production", moment(D1, 9))
    answer_it(db, delivery, correct=True, when=moment(D2, 9))
    with db.begin() as connection:
        assert differences(connection) == []
        connection.execute(
            update(DailyTally).where(DailyTally.kind == "procedure").values(correct=5)
        )
    with db.begin() as connection:
        found = differences(connection)
        kept = connection.scalar(select(DailyTally.correct).where(DailyTally.kind == "procedure"))
    assert found == [
        f"daily_tally ('procedure', {D1!r}, 'Production', 'QP-01'): "
        "kept (1, 1, 5), from the answers (1, 1, 1)"
    ]
    assert kept == 5  # checking rebuilt only inside a savepoint it rolled back
