#!/usr/bin/env bash
# Installs (if missing) and starts PostgreSQL 15, creates the `odx` login role,
# and rebuilds the test databases from the fixtures. Idempotent.
# Prints the DATABASE_URL of the test database on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_BIN=/usr/lib/postgresql/15/bin
PACKAGES=(postgresql-15 postgresql-server-dev-15 clang libclang-dev sudo)

if ! dpkg -s "${PACKAGES[@]}" >/dev/null 2>&1; then
    echo "installing ${PACKAGES[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}" >&2
fi
pg_lsclusters -h 2>/dev/null | grep -q '^15 \+main ' || pg_createcluster 15 main >&2
pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster 15 main start >&2
for _ in $(seq 1 60); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p 5432 && break
    sleep 1
done
"$PG_BIN/pg_isready" -h 127.0.0.1 -p 5432 >&2

psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_admin -d postgres <<'SQL' >&2
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'odx') THEN
        CREATE ROLE odx LOGIN SUPERUSER PASSWORD 'odx';
    END IF;
END $$;
SQL

FIXTURES=(cargo run -q --locked --release -p odx-fixtures --)
for db in odx_test odx_degraded; do
    psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER odx" >&2
done
{ "${FIXTURES[@]}" schema; "${FIXTURES[@]}" known-answer; "${FIXTURES[@]}" demo; } | psql_admin -d odx_test >&2
# A database missing one table and one column, for degraded mode.
{ "${FIXTURES[@]}" schema; "${FIXTURES[@]}" known-answer
  echo "DROP TABLE app.lab_cases; ALTER TABLE app.appointments DROP COLUMN room_id;"; } | psql_admin -d odx_degraded >&2
psql_admin -d odx_test -c "ANALYZE" >&2
psql_admin -d odx_degraded -c "ANALYZE" >&2
echo "postgres://odx:odx@127.0.0.1:5432/odx_test"
