#!/usr/bin/env bash
# A bounded load run on localhost (a benchmark, not a timed test): pgbench
# with 8 clients over the extension's functions with random scopes of the
# demo network, and at the same time the Node engine with 8 concurrent calls
# of random domains and the Command Center. Reports throughput, p50/p95/p99
# latency and errors of each, and the memory (RSS) of the Postgres backends
# and of the Node process before and after.
#   scripts/load.sh [SECONDS]      (default 20; DATABASE_URL as the suites use)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-20}
URL=${DATABASE_URL:-postgres://odx_reader:odx_reader@127.0.0.1:5432/odx_test}
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/domains.sql" <<'SQL'
\set c random(501, 504)
\set m random(1, 6)
\set d random(1, 28)
SELECT odx_financial(ARRAY[:c, 502]::bigint[], make_date(2026, :m, 1), make_date(2026, :m, :d), 'clinic') IS NULL;
SELECT odx_operations(ARRAY[501, 502, 503, 504]::bigint[], make_date(2026, :m, 1), make_date(2026, :m, :d), 'doctor') IS NULL;
SELECT count(*) FROM odx_staff_by_branch(ARRAY[:c]::bigint[], make_date(2026, :m, 1), make_date(2026, :m, :d));
SQL
cat > "$work/console.sql" <<'SQL'
\set m random(1, 6)
\set d random(1, 28)
SELECT odx_command(500, make_date(2026, :m, 1), make_date(2026, :m, :d)) IS NULL;
SQL

rss() { ps -C postgres -o rss= | awk '{s += $1} END {printf "%.0f", s / 1024}'; }
before=$(rss)
node node_bindings/bench/engine-load.mjs "$URL" "$SECS" > "$work/node.txt" &
node_pid=$!
"$PGBENCH" -n -c 8 -j 2 -T "$SECS" -l --log-prefix="$work/tx" -f "$work/domains.sql@3" -f "$work/console.sql@1" "$URL" \
    > "$work/pgbench.txt" 2>&1 || true
wait "$node_pid"
after=$(rss)
# Latency percentiles over every transaction pgbench logged (microseconds, column 3).
cat "$work"/tx.* | awk '{print $3 / 1000}' | sort -n > "$work/lat"
n=$(wc -l < "$work/lat")
pct() { awk -v n="$n" -v p="$1" 'NR == int(n * p / 100) + (n * p / 100 > int(n * p / 100)) {printf "%.1f", $1; exit}' "$work/lat"; }
echo "pgbench ($SECS s, 8 clients; 3 parts domain reports, 1 part Command Center):"
grep -E "^(tps|number of failed|latency average)" "$work/pgbench.txt" | sed 's/^/  /'
echo "  transactions $n, p50 $(pct 50) ms, p95 $(pct 95) ms, p99 $(pct 99) ms"
echo "  Postgres backends RSS: $before MB before, $after MB after"
cat "$work/node.txt"
