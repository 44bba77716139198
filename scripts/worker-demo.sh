#!/usr/bin/env bash
# One report computed in a Cloudflare Worker, locally: builds odx's
# WebAssembly and the org-insights Worker bundle (if missing), starts
# PostgreSQL with TLS (scripts/pg-setup.sh server), loads the demo network
# into a database of its own (odx_worker_demo), runs the Worker on workerd
# against it and prints the network's Command Center (node_bindings/
# worker/demo.mjs). The database is dropped again on the way out: the demo
# leaves nothing behind. Needs no extension.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pg-setup.sh server > /dev/null
(cd node_bindings && npm install --no-audit --no-fund > /dev/null)
[ -s node_bindings/wasm/pkg/odx_bg.wasm ] || bash scripts/wasm-build.sh
node node_bindings/worker/build.mjs > /dev/null
db=odx_worker_demo
psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 "$@"; }
as_odx=(env PGPASSWORD=odx psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U odx)
trap 'psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER odx"
fixtures=(cargo run -q --locked --release -p odx-fixtures --)
{ "${fixtures[@]}" schema; "${fixtures[@]}" demo; cat sql/sql/indexes.sql; } | "${as_odx[@]}" -d "$db" > /dev/null
"${as_odx[@]}" -d "$db" -c "GRANT USAGE ON SCHEMA app TO odx_reader" -c "GRANT SELECT ON ALL TABLES IN SCHEMA app TO odx_reader"
DATABASE_URL="postgres://odx_reader:odx_reader@127.0.0.1:5432/$db" node node_bindings/worker/demo.mjs
