"""Wiring: one function builds the whole app from settings, so tests can pass fakes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.domain.schedules import SchedulesFile, load_schedules
from bot.domain.summary.gaps import GapRules
from bot.services.registry import Services, build_services
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.directory import WebDirectory
from bot.slack.edge import slack_endpoint
from bot.slack.rounds.delivery import Sender
from bot.slack.rounds.fanout import Pacer
from storage.db import UnitOfWork, database_answers, make_engine, make_session_factory


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    client: WebClient
    bolt: App
    services: Services
    web: Starlette
    uow: Callable[[], UnitOfWork]
    sender: Sender
    schedules: SchedulesFile
    clock: Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def make_client(settings: Settings) -> WebClient:
    """A Web API client that waits out 429s (Retry-After) and retries 5xx with backoff."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = WebClient(token=token, base_url=settings.slack_api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=2))
    return client


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = utc_now,
    listener_executor: Executor | None = None,
    fanout_client: WebClient | None = None,
    schedules: SchedulesFile | None = None,
    pacer: Pacer | None = None,
    session_factory: sessionmaker[Session] | None = None,
) -> Runtime:
    """Build the Bolt app, its services and the HTTP front door from one settings object.

    Raises SchedulesError when the schedules file is wrong.
    """
    engine = engine or make_engine(settings.database_url)
    factory = session_factory or make_session_factory(engine)
    client = client or make_client(settings)
    uow = functools.partial(UnitOfWork, factory)
    schedules = schedules or load_schedules(settings.schedules)
    if settings.country:
        schedules = schedules.model_copy(
            update={"company": schedules.company.model_copy(update={"country": settings.country})}
        )
    services = build_services(
        uow=uow,
        directory=WebDirectory(client),
        clock=clock,
        recent_days=settings.recent_days,
        admins=settings.admins,
        schedules=schedules,
        rules=GapRules(interviewed=settings.interviewed, min_people=settings.min_people),
        report_days=settings.report_days,
    )
    sender = Sender(
        client=fanout_client or make_fanout_client(settings),
        rounds=services.rounds,
        quiz=services.quiz,
        followup=services.followup,
        pacer=pacer or Pacer(settings.posts_per_minute),
    )
    bolt = _bolt_app(settings, client, listener_executor)
    listeners.register(bolt, services, sender)
    signing = settings.slack_signing_secret
    secret = signing.get_secret_value() if signing and not settings.slack_app_token else None
    web = _web(bolt, engine, secret)
    return Runtime(settings, engine, client, bolt, services, web, uow, sender, schedules, clock)


def make_fanout_client(settings: Settings) -> WebClient:
    """A client with no retry of its own: rounds pace and retry across all their workers."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = WebClient(token=token, base_url=settings.slack_api_url)
    client.retry_handlers.clear()
    return client


def _bolt_app(settings: Settings, client: WebClient, executor: Executor | None) -> App:
    secret = settings.slack_signing_secret
    socket_mode = settings.slack_app_token is not None
    return App(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=not socket_mode,
        token_verification_enabled=False,
        process_before_response=False,
        listener_executor=executor,
    )


def _web(bolt: App, engine: Engine, secret: str | None) -> Starlette:
    slack_events = slack_endpoint(bolt, secret)

    async def healthz(_request: Request) -> Response:
        if await run_in_threadpool(database_answers, engine):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )
