"""The services one app instance uses, built together from settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.services.awareness import AwarenessService
from bot.services.quiz import QuizService
from bot.services.staff import SlackDirectory
from storage.db import UnitOfWork


@dataclass(frozen=True)
class Services:
    quiz: QuizService
    awareness: AwarenessService


def build_services(
    *,
    uow: Callable[[], UnitOfWork],
    directory: SlackDirectory,
    clock: Callable[[], datetime],
    recent_days: int,
    admins: list[str],
) -> Services:
    return Services(
        quiz=QuizService(uow=uow, directory=directory, clock=clock, recent_days=recent_days),
        awareness=AwarenessService(uow=uow, admins=admins),
    )
