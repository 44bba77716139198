#!/usr/bin/env bash
# The Node benchmarks, in one run: engine.financial / engine.operations for
# 40 branches x 365 days against the same statements run by psql
# (node_bindings/bench/side-by-side.mjs), then the Command Center, financial
# and operations at statementConcurrency 1 to 4
# (node_bindings/bench/concurrency.mjs). Loads odx_bench once
# (scripts/bench-data.sh) and builds the addon and odx-psql-script.
# Arguments go to both scripts (--runs N, --url URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bench-data.sh
cargo build -q --locked --release -p odx-benches --bin odx-psql-script
cd node_bindings
npm install --no-audit --no-fund --silent
npx napi build --platform --release --js index.js --dts index.d.ts >/dev/null
node bench/side-by-side.mjs "$@"
echo
node bench/concurrency.mjs "$@"
