#!/usr/bin/env bash
# The side-by-side benchmark of the extension against hand-written SQL
# (benches/sql/*.sql) on the generator's 40 branches x 365 days, loaded once
# into the odx_bench database (scripts/bench-data.sh). Arguments go to the
# odx-pg-bench binary (--help). ODX_BENCH_INDEXES=with|without|both (default
# both): on the indexed schema (sql/sql/indexes.sql), on primary keys only,
# or one run of each.
set -euo pipefail
cd "$(dirname "$0")/.."
modes=${ODX_BENCH_INDEXES:-both}
[ "$modes" = both ] && modes="with without"
for mode in $modes; do
    ODX_BENCH_INDEXES=$mode bash scripts/bench-data.sh
    cargo run -q --locked --release -p odx-benches --bin odx-pg-bench -- "$@"
done
