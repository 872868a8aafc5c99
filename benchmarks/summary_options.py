"""The summary benchmark's command line."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

DEFAULT_POSTGRES_URL = "postgresql+psycopg://auditready@127.0.0.1:55432/postgres"
BENCH_DATABASE = "bench_summary"


@dataclass(frozen=True)
class Options:
    people: int
    questions: int
    answers: int
    repeats: int
    skip_postgres: bool
    postgres_url: str
    keep_postgres: bool
    rebuild: bool


def parse_options(argv: list[str] | None, description: str | None) -> Options:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--people", type=int, default=10_000, help="people (10000)")
    parser.add_argument("--questions", type=int, default=500, help="questions (500)")
    parser.add_argument("--answers", type=int, default=1_000_000, help="answers (1000000)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs after a warm-up (3)")
    parser.add_argument("--skip-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES_URL,
        help=f"a server to create `{BENCH_DATABASE}` on ({DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument(
        "--keep-postgres", action="store_true", help=f"leave `{BENCH_DATABASE}` for inspection"
    )
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached SQLite file")
    args = parser.parse_args(argv)
    if min(args.people, args.questions, args.answers, args.repeats) < 1:
        parser.error("--people, --questions, --answers and --repeats must be at least 1")
    return Options(
        people=args.people,
        questions=args.questions,
        answers=args.answers,
        repeats=args.repeats,
        skip_postgres=args.skip_postgres,
        postgres_url=args.postgres_url,
        keep_postgres=args.keep_postgres,
        rebuild=args.rebuild,
    )
