"""Alembic environment: runs on a connection handed in by `storage.db.upgrade`, or on the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from storage.schema import metadata

JOB_TABLE = "apscheduler_jobs"
config = context.config
target_metadata = metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as own_connection:
        _run(own_connection)


def include_object(obj: object, name: str | None, type_: str, *args: object) -> bool:
    """APScheduler owns the shape of its job table; autogenerate leaves it alone."""
    return not (type_ == "table" and name == JOB_TABLE)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
