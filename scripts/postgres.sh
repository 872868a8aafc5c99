# Sourced by test.sh: a throwaway PostgreSQL cluster on a free loopback port.
# It exports AUDITREADY_TEST_POSTGRES_URL for the storage tests and stops on exit.
# Without PostgreSQL the suite still runs on SQLite, except under CI, where it must not.

find_pg_bin() {
  local candidate
  for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent)")" \
                   /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

start_throwaway_postgres() {
  if [ -n "${AUDITREADY_TEST_POSTGRES_URL:-}" ]; then
    return 0
  fi
  local bin
  if ! bin=$(find_pg_bin); then
    if [ -n "${CI:-}" ]; then
      echo "PostgreSQL (initdb, pg_ctl) is needed in CI but was not found" >&2
      exit 1
    fi
    echo "note: PostgreSQL not found; storage tests run on SQLite only" >&2
    return 0
  fi
  PG_DIR=$(mktemp -d /tmp/auditready-pg.XXXXXX)
  local port
  port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local run=()
  if [ "$(id -u)" = 0 ]; then
    # initdb refuses to run as root; the cluster belongs to the postgres user instead.
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U auditready --auth=trust -E UTF8 >"$PG_DIR/initdb.log"
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off" start >/dev/null
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
  trap 'stop_throwaway_postgres' EXIT
  export AUDITREADY_TEST_POSTGRES_URL="postgresql+psycopg://auditready@127.0.0.1:$port/postgres"
  echo "throwaway PostgreSQL on 127.0.0.1:$port"
}

stop_throwaway_postgres() {
  "${PG_STOP[@]}" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
