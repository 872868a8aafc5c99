"""The sandbox's user model, rendered in Slack's users.list / users.info shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BOT_USER_ID = "U0BOT0001"
BOT_ID = "B0BOT0001"
SLACKBOT_ID = "USLACKBOT"

# A fixed "last updated" stamp keeps user objects byte-for-byte reproducible.
_UPDATED = 1_700_000_000

# zoneinfo only knows abbreviations; Slack shows the long name for the common ones.
_TZ_LABELS = {
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "UTC": "Coordinated Universal Time",
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "IST": "India Standard Time",
    "JST": "Japan Standard Time",
    "AEST": "Australian Eastern Standard Time",
    "AEDT": "Australian Eastern Daylight Time",
    "WAT": "West Africa Time",
    "CAT": "Central Africa Time",
    "EAT": "East Africa Time",
    "SAST": "South Africa Standard Time",
}


def handle_for(real_name: str) -> str:
    """Slack-style handle: "Amara Okafor" -> "amara.okafor"."""
    parts = real_name.lower().split()
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]}.{parts[-1]}"


def tz_label_and_offset(tz: str, now: datetime | None = None) -> tuple[str, int]:
    """The label and UTC offset (seconds) Slack reports for an IANA zone right now."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return _TZ_LABELS["UTC"], 0
    local = (now or datetime.now(zone)).astimezone(zone)
    offset = local.utcoffset()
    abbreviation = local.tzname() or "UTC"
    seconds = int(offset.total_seconds()) if offset is not None else 0
    return _TZ_LABELS.get(abbreviation, abbreviation), seconds


@dataclass(frozen=True)
class SandboxUser:
    """A member of the sandbox workspace."""

    id: str
    name: str
    email: str | None = None
    tz: str = "Europe/London"
    is_bot: bool = False
    deleted: bool = False
    is_restricted: bool = False
    is_ultra_restricted: bool = False

    def to_slack(self, team_id: str) -> dict[str, Any]:
        """The user object exactly as Slack's users.list / users.info return it."""
        tz_label, tz_offset = tz_label_and_offset(self.tz)
        return {
            "id": self.id,
            "team_id": team_id,
            "name": handle_for(self.name),
            "deleted": self.deleted,
            "real_name": self.name,
            "tz": self.tz,
            "tz_label": tz_label,
            "tz_offset": tz_offset,
            "is_admin": False,
            "is_owner": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": self.is_ultra_restricted,
            "updated": _UPDATED,
            "profile": self._profile(),
        }

    def _profile(self) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "real_name": self.name,
            "display_name": self.name,
            "image_48": f"https://avatars.sandbox.invalid/{self.id}_48.png",
        }
        if self.email is not None:
            profile["email"] = self.email
        return profile


SLACKBOT = SandboxUser(id=SLACKBOT_ID, name="Slackbot", tz="America/Los_Angeles")
