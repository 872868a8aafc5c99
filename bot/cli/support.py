"""What every command shares: settings, the database, clean errors."""

from __future__ import annotations

import functools
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.domain.schedules import SchedulesError
from bot.settings import Settings
from bot.slack.app import Runtime, create_app
from storage.db import UnitOfWork, make_engine, make_session_factory, upgrade

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(1)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        fail(f"a setting is invalid: {problems}")


def migrated_engine(settings: Settings) -> Engine:
    """The database at DATABASE_URL, migrated to the latest schema."""
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
    except OperationalError as error:
        fail(f"cannot open the database at DATABASE_URL: {error.orig}")
    return engine


def open_uow(settings: Settings) -> functools.partial[UnitOfWork]:
    return functools.partial(UnitOfWork, make_session_factory(migrated_engine(settings)))


def runtime_for(settings: Settings) -> Runtime:
    """The whole app on a migrated database; a bad schedules file is a clean error."""
    engine = migrated_engine(settings)
    try:
        return create_app(settings, engine=engine)
    except SchedulesError as error:
        fail(str(error))


def needs_token(settings: Settings) -> None:
    if settings.slack_bot_token is None:
        fail(
            "SLACK_BOT_TOKEN is not set. Create the app from `auditready manifest`, install it, "
            "and set SLACK_BOT_TOKEN to its Bot User OAuth Token (xoxb-…)."
        )
