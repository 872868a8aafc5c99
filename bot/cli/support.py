"""What every command shares: settings, the database, clean errors."""

from __future__ import annotations

import functools
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, InterfaceError, NoSuchModuleError, OperationalError

from bot.domain.schedules import SchedulesError
from bot.settings import Settings
from bot.slack.app import Runtime, create_app
from storage.db import UnitOfWork, make_engine, make_session_factory, upgrade

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str) -> NoReturn:
    """One line on stderr and exit 1; the message is plain text, never rich markup."""
    err.print(f"[bold red]error:[/] {escape(one_line(message))}", highlight=False)
    raise typer.Exit(1)


def one_line(text: object) -> str:
    """Text with its line breaks and runs of spaces folded, as drivers' messages need."""
    return " ".join(str(text).split())


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
    try:
        engine = make_engine(settings.database_url)
    except (ArgumentError, ValueError, NoSuchModuleError, ImportError) as error:
        # A URL SQLAlchemy cannot parse (a port that is no number is a ValueError), an unknown
        # dialect, or a driver that is not installed.
        fail(f"cannot open the database at DATABASE_URL: {error}")
    try:
        upgrade(engine)
    except (OperationalError, InterfaceError) as error:
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
