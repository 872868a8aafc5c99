from __future__ import annotations

from bot.domain.schedules import Schedule
from bot.sandbox.blockkit import validate_message
from bot.services.schedules import ScheduleState
from bot.slack.schedules.views import schedule_state, schedules_message

NIGHTS = Schedule(id="nights", name="Night <!channel> shift", days=["mon", "wed"], time="22:00")
DAYS = Schedule(id="days", name="Day shift", days=["fri"], time="09:30", questions=2)


def test_the_list_shows_each_schedule_and_whether_it_is_paused() -> None:
    message = schedules_message([ScheduleState(NIGHTS, True), ScheduleState(DAYS, False)])
    assert validate_message(message["text"], message["blocks"]) == []
    text = message["blocks"][0]["text"]["text"]
    assert "`nights` Night &lt;!channel&gt; shift: mon, wed at 22:00" in text
    assert "(paused)" in text.splitlines()[1] and "(paused)" not in text.splitlines()[2]
    assert "2 question(s)" in text


def test_an_empty_file_says_so() -> None:
    assert "No schedules are defined." in str(schedules_message([]))


def test_pausing_says_what_changed_without_pinging_anyone() -> None:
    assert schedule_state(ScheduleState(NIGHTS, True)) == (
        "Schedule `nights` (Night &lt;!channel&gt; shift) is paused."
    )
    assert schedule_state(ScheduleState(DAYS, False)).endswith("is resumed.")
