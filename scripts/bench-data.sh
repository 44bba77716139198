#!/usr/bin/env bash
# Loads the benchmark network (the generator's 40 branches x 365 days) into
# the odx_bench database of the system cluster, with the extension, once:
# it is reloaded only when the data set changes (a marker comment on the
# database names it). Used by bench-pg.sh and bench-node.sh.
#
# ODX_BENCH_INDEXES=with (the default) gives the data the indexes odx
# documents (sql/sql/indexes.sql), =without primary keys only; the data is
# kept either way, only the indexes are built or dropped.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pg-setup.sh server toolchain extension
psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"; }
network=(--branches 40 --days 365 --start 2025-07-01 --seed 7)
marker="odx bench data v9 (with lapsed patients and their win-backs, recall after the last visit, inventory, targets): network ${network[*]}"
current=$(psql_admin -At -d postgres -c \
    "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'odx_bench'")
if [ "$current" != "$marker" ]; then
    echo "loading odx_bench: network ${network[*]}"
    psql_admin -d postgres -c "DROP DATABASE IF EXISTS odx_bench WITH (FORCE)" -c "CREATE DATABASE odx_bench OWNER odx"
    cargo build -q --locked --release -p odx-fixtures
    { target/release/odx-fixtures schema; target/release/odx-fixtures network "${network[@]}"
      echo "CREATE EXTENSION odx;"; } | psql_admin -d odx_bench
    psql_admin -d odx_bench -c "VACUUM ANALYZE"
    psql_admin -d postgres -c "COMMENT ON DATABASE odx_bench IS '$marker'"
fi
# The benchmarks read as the suites do: odx_reader, SELECT on app only
# (odx owns the database but is no superuser; the data was loaded as postgres).
psql_admin -d odx_bench -c "GRANT USAGE ON SCHEMA app TO odx, odx_reader" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA app TO odx, odx_reader"
case "${ODX_BENCH_INDEXES:-with}" in
    with) psql_admin -d odx_bench -f sql/sql/indexes.sql ;;
    without)
        # Every index but the primary keys and unique constraints.
        psql_admin -d odx_bench -At -c "SELECT format('DROP INDEX %I.%I;', schemaname, indexname)
            FROM pg_indexes i WHERE schemaname = 'app' AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)" | psql_admin -d odx_bench ;;
    *) echo "ODX_BENCH_INDEXES must be with or without" >&2; exit 2 ;;
esac
psql_admin -d odx_bench -c "ANALYZE"
# The functions of the version being built, even when its number has not moved.
psql_admin -d odx_bench -c "DROP EXTENSION IF EXISTS odx" -c "CREATE EXTENSION odx"
