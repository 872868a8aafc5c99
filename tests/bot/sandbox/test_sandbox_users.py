"""SandboxUser renders in Slack's users.list / users.info shape."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sandbox import SandboxUser
from bot.sandbox.users import handle_for, tz_label_and_offset

SLACK_USER_KEYS = {
    "id",
    "team_id",
    "name",
    "deleted",
    "real_name",
    "tz",
    "tz_label",
    "tz_offset",
    "is_admin",
    "is_owner",
    "is_bot",
    "is_app_user",
    "is_restricted",
    "is_ultra_restricted",
    "updated",
    "profile",
}


def test_to_slack_has_slacks_shape() -> None:
    user = SandboxUser("U0PROD001", "Amara Okafor", email="amara@brightfield.example")
    rendered = user.to_slack("T0BRIGHT")
    assert set(rendered) == SLACK_USER_KEYS
    assert rendered["name"] == "amara.okafor"
    assert rendered["real_name"] == "Amara Okafor"
    assert rendered["team_id"] == "T0BRIGHT"
    assert rendered["tz"] == "Europe/London"
    assert isinstance(rendered["tz_offset"], int)
    assert rendered["profile"]["email"] == "amara@brightfield.example"
    assert set(rendered["profile"]) == {"real_name", "display_name", "email", "image_48"}


def test_email_is_omitted_when_unknown_and_flags_pass_through() -> None:
    rendered = SandboxUser(
        "U2", "Guest Person", is_ultra_restricted=True, deleted=True, is_bot=True
    ).to_slack("T1")
    assert "email" not in rendered["profile"]
    assert (rendered["is_ultra_restricted"], rendered["deleted"], rendered["is_bot"]) == (
        True,
        True,
        True,
    )


def test_handles_are_lower_case_first_dot_last() -> None:
    assert handle_for("Amara Okafor") == "amara.okafor"
    assert handle_for("Mary Anne van Dijk") == "mary.dijk"
    assert handle_for("Slackbot") == "slackbot"


def test_tz_label_and_offset_follow_daylight_saving() -> None:
    winter = datetime(2024, 1, 15, 12, tzinfo=UTC)
    summer = datetime(2024, 7, 15, 12, tzinfo=UTC)
    assert tz_label_and_offset("Europe/London", winter) == ("Greenwich Mean Time", 0)
    assert tz_label_and_offset("Europe/London", summer) == ("British Summer Time", 3600)
    assert tz_label_and_offset("America/Los_Angeles", winter) == ("Pacific Standard Time", -28800)
    assert tz_label_and_offset("Asia/Kolkata", summer) == ("India Standard Time", 19800)
    assert tz_label_and_offset("Not/AZone") == ("Coordinated Universal Time", 0)
