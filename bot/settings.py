"""Settings, read once from the environment and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AnyHttpUrl, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.schedules import check_country
from questions.loader import sample_bank_path, sample_schedules_path

SLACK_API_URL = "https://slack.com/api/"


class Settings(BaseSettings):
    """Everything the app reads from its environment; services get plain values from here."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API_URL
    # Our workspace; requests from any other are refused. Unset, auth.test says which it is.
    slack_team_id: str | None = None
    database_url: str = "sqlite:///auditready.db"
    bank: Path = Field(default_factory=sample_bank_path, validation_alias="AUDITREADY_BANK")
    schedules: Path = Field(
        default_factory=sample_schedules_path, validation_alias="AUDITREADY_SCHEDULES"
    )
    country: str | None = Field(default=None, validation_alias="AUDITREADY_COUNTRY")
    posts_per_minute: int = Field(default=600, ge=1, validation_alias="AUDITREADY_POSTS_PER_MINUTE")
    report_days: int = Field(default=90, ge=1, validation_alias="AUDITREADY_REPORT_DAYS")
    interviewed: int = Field(default=3, ge=1, le=20, validation_alias="AUDITREADY_INTERVIEWED")
    min_people: int = Field(default=3, ge=1, validation_alias="AUDITREADY_MIN_PEOPLE")
    port: int = 3000
    # Loopback unless told otherwise: in production a reverse proxy or HOST=0.0.0.0 exposes it.
    host: str = "127.0.0.1"
    admins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="AUDITREADY_ADMINS"
    )
    include_guests: bool = Field(default=False, validation_alias="AUDITREADY_INCLUDE_GUESTS")
    recent_days: int = Field(default=14, ge=0, validation_alias="AUDITREADY_RECENT_DAYS")
    # How long a process may hold a question it is posting before another takes it over (and
    # first looks in Slack for what the first one may have posted).
    claim_timeout: int = Field(
        default=300, ge=5, le=3600, validation_alias="AUDITREADY_CLAIM_TIMEOUT"
    )
    # When set, wins over a departments.txt beside the roster; unset or blank means unset.
    departments: Annotated[list[str] | None, NoDecode] = Field(
        default=None, validation_alias="AUDITREADY_DEPARTMENTS"
    )
    # A chat-completions endpoint the company hosts, asked about replies the grader is unsure
    # of: its base URL (ending /v1) or the full .../chat/completions URL. Unset, no reply
    # leaves the machine.
    model_url: AnyHttpUrl | None = Field(default=None, validation_alias="AUDITREADY_MODEL_URL")
    model: str | None = Field(default=None, validation_alias="AUDITREADY_MODEL")
    model_timeout: float = Field(
        default=5.0, ge=0.5, le=30, validation_alias="AUDITREADY_MODEL_TIMEOUT"
    )
    model_key: SecretStr | None = Field(default=None, validation_alias="AUDITREADY_MODEL_KEY")

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("departments", mode="before")
    @classmethod
    def _split_departments(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()] or None
        return value

    @field_validator("model_url", "model", "model_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return check_country(value)

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    def missing_for_http(self) -> list[str]:
        """The settings `run` needs that are not set, by their environment names."""
        missing = []
        if self.slack_bot_token is None:
            missing.append("SLACK_BOT_TOKEN")
        if self.slack_signing_secret is None and self.slack_app_token is None:
            missing.append("SLACK_SIGNING_SECRET")
        return missing
