"""Filling a migrated database with the simulated rows around the ORM: executemany on SQLite,
COPY on PostgreSQL, inside one transaction."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert
from summary_activity import COLUMNS, Activity
from summary_company import World, person_rows, procedure_rows, question_rows, version_rows

from storage.schema import metadata as schema_metadata

BULK_TABLES = ("delivery", "answer", "answer_clause")


def tune_for_load(connection: Connection) -> None:
    """Settings for the load only; they last as long as this connection, outside transactions."""
    driver = connection.connection.driver_connection
    assert driver is not None
    if connection.dialect.name == "sqlite":
        driver.execute("PRAGMA cache_size=-500000")
        driver.execute("PRAGMA synchronous=OFF")
    else:
        driver.execute("SET maintenance_work_mem = '512MB'")
        driver.commit()


def fill(connection: Connection, world: World, answers: int, rng: random.Random) -> None:
    """Every row, inside one transaction, with the plain indexes built once at the end."""
    indexes = drop_secondary_indexes(connection)
    insert_small_tables(connection, world)
    sqlite = connection.dialect.name == "sqlite"
    bulk = SqliteBulk(connection) if sqlite else PostgresBulk(connection)
    for rows in Activity(world, answers, rng).batches():
        for table, batch in rows.items():
            bulk.write(table, batch)
    for sql in indexes:
        connection.exec_driver_sql(sql)
    if not sqlite:
        reset_sequences(connection)


def drop_secondary_indexes(connection: Connection) -> list[str]:
    """Drop the plain indexes of the bulk tables; return the SQL that recreates them as they were.

    Primary keys and unique constraints stay, so the load still checks them.
    """
    if connection.dialect.name == "sqlite":
        found = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN {BULK_TABLES!r}"
        ).all()
    else:
        found = connection.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            f" AND tablename IN {BULK_TABLES!r}"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        ).all()
    for name, _ in found:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    return [str(sql) for _, sql in found]


def insert_small_tables(connection: Connection, world: World) -> None:
    tables = schema_metadata.tables
    for name, rows in (
        ("procedure", procedure_rows(world)),
        ("question", question_rows(world)),
        ("question_version", version_rows(world)),
        ("person", person_rows(world)),
    ):
        connection.execute(insert(tables[name]), rows)


class SqliteBulk:
    """executemany on the driver, values converted by the columns' own SQLAlchemy types."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._converters = {
            name: column_converters(schema_metadata.tables[name], columns, connection)
            for name, columns in COLUMNS.items()
        }

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        columns = COLUMNS[table]
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        convert = self._converters[table]
        driver = self._connection.connection.driver_connection
        assert driver is not None
        driver.executemany(sql, [convert(row) for row in rows])


def column_converters(
    table: Table, columns: Sequence[str], connection: Connection
) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    processors = [table.c[name].type.bind_processor(connection.dialect) for name in columns]

    def convert(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            p(v) if p is not None and v is not None else v
            for p, v in zip(processors, row, strict=True)
        )

    return convert


class PostgresBulk:
    """COPY FROM STDIN through psycopg; JSON columns written as JSON text."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        tables = schema_metadata.tables
        self._json = {
            name: [i for i, c in enumerate(columns) if isinstance(tables[name].c[c].type, JSON)]
            for name, columns in COLUMNS.items()
        }

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        driver = self._connection.connection.driver_connection
        assert driver is not None
        json_at = self._json[table]
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy,
        ):
            for row in rows:
                if json_at:
                    values = list(row)
                    for i in json_at:
                        values[i] = json.dumps(values[i])
                    row = tuple(values)
                copy.write_row(row)


def reset_sequences(connection: Connection) -> None:
    for table in schema_metadata.sorted_tables:
        if "id" in table.c and table.name != "apscheduler_jobs":
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                f" coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
