"""Wiring: one function builds the whole app from settings, so tests can pass fakes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from alembic.script import ScriptDirectory
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.routing import Route

from bot.domain.schedules import SchedulesFile, load_schedules
from bot.domain.summary.gaps import GapRules
from bot.services.mock_audit.model_client import ModelClient
from bot.services.registry import Services, build_services
from bot.services.review.service import ReviewService
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.directory import WebDirectory
from bot.slack.edge import OurWorkspace, slack_endpoint
from bot.slack.health import Probe, Readiness, health_endpoints
from bot.slack.retries import ConnectionErrorsExceptPosts, ServerErrorsExceptPosts
from bot.slack.review.listeners import register_review
from bot.slack.rounds.delivery import Sender
from bot.slack.rounds.fanout import Pacer
from bot.slack.work import Backlog, ListenerPool, backlog_middleware
from storage.db import UnitOfWork, alembic_config, make_engine, make_session_factory

# Threads that run listeners: enough that one is free for every request that arrives while
# others wait their turn, so each listener starts, and acks, at once. They are cheap: a waiting
# listener holds no database connection and sleeps.
LISTENER_THREADS = 512
# Listeners doing their work after the ack at any one time. Few, so that the threads carrying
# acks don't queue for the interpreter behind them; the others wait, idle, for a place.
ADMITTED_LISTENERS = 8
# The backlog: workers for slow after-ack work (each holds a database connection while it
# runs), and how many jobs may wait before people are asked to try again.
BACKLOG_WORKERS = 4
BACKLOG_CAPACITY = 200


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
    backlog: Backlog
    # `bot serve` tells /readyz about its scheduler with readiness.watch_scheduler(...).
    readiness: Readiness


def utc_now() -> datetime:
    return datetime.now(UTC)


def make_client(settings: Settings) -> WebClient:
    """A Web API client that waits out 429s (Retry-After) and retries 5xx with backoff."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    client = WebClient(token=token, base_url=settings.slack_api_url)
    client.retry_handlers[:] = [
        ConnectionErrorsExceptPosts(),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorsExceptPosts(max_retry_count=2),
    ]
    return client


def make_second_opinion(settings: Settings) -> ModelClient | None:
    """The company's model for replies the grader is unsure of; None, and no calls, unless set."""
    if settings.model_url is None:
        return None
    key = settings.model_key.get_secret_value() if settings.model_key else None
    return ModelClient(
        url=str(settings.model_url), model=settings.model, timeout=settings.model_timeout, key=key
    )


def create_app(
    settings: Settings,
    *,
    client: WebClient | None = None,
    engine: Engine | None = None,
    clock: Callable[[], datetime] = utc_now,
    listener_executor: Executor | None = None,
    work_executor: Executor | None = None,
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
        stale_claim=timedelta(seconds=settings.claim_timeout),
        second_opinion=make_second_opinion(settings),
    )
    sender = Sender(
        client=fanout_client or make_fanout_client(settings),
        rounds=services.rounds,
        quiz=services.quiz,
        followup=services.followup,
        pacer=pacer or Pacer(settings.posts_per_minute),
    )
    threads = listener_executor or ThreadPoolExecutor(
        max_workers=LISTENER_THREADS, thread_name_prefix="listener"
    )
    listener_pool = ListenerPool(threads, admitted=ADMITTED_LISTENERS)
    work_executor = work_executor or ThreadPoolExecutor(
        max_workers=BACKLOG_WORKERS, thread_name_prefix="backlog"
    )
    backlog = Backlog(work_executor, capacity=BACKLOG_CAPACITY)
    bolt = _bolt_app(settings, client, listener_pool)
    bolt.use(backlog_middleware(backlog))
    listeners.register(bolt, services, sender)
    register_review(
        bolt, ReviewService(uow=uow, bank=settings.bank, admins=settings.admins, clock=clock)
    )
    signing = settings.slack_signing_secret
    secret = signing.get_secret_value() if signing and not settings.slack_app_token else None
    readiness = Readiness(head=functools.cache(functools.partial(_migration_heads, engine)))
    ours = OurWorkspace(client, settings.slack_team_id)
    web = _web(bolt, secret, ours, Probe(engine), readiness)
    return Runtime(
        settings,
        engine,
        client,
        bolt,
        services,
        web,
        uow,
        sender,
        schedules,
        clock,
        backlog,
        readiness,
    )


def _migration_heads(engine: Engine) -> set[str]:
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    return set(ScriptDirectory.from_config(config).get_heads())


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


def _web(
    bolt: App, secret: str | None, ours: OurWorkspace, probe: Probe, readiness: Readiness
) -> Starlette:
    slack_events = slack_endpoint(bolt, secret, ours)
    healthz, readyz = health_endpoints(probe, readiness)
    return Starlette(
        routes=[
            Route("/slack/events", slack_events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
        ]
    )
