#!/usr/bin/env bash
# Installs auditready with its test tools into .venv, starts a throwaway PostgreSQL
# cluster when PostgreSQL is installed, and runs ruff, mypy and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="[test]" source scripts/venv.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/mypy benchmarks
.venv/bin/lint-imports

source scripts/postgres.sh
start_throwaway_postgres

.venv/bin/python -m pytest "$@"
