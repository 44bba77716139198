#!/usr/bin/env bash
# The one test command of odx (the README's second command; .ci/run calls it).
# It installs and starts what it needs when missing (PostgreSQL 15 and clang
# from Debian, cargo-pgrx =0.18.1), builds and installs the odx extension into
# the server, loads the fixtures, and runs every suite: formatting, lints, and
# the cargo tests (unit, known-answer, property, generator, doc tests, and the
# SQL and extension parity tests on the real server), the SQL regression tests,
# the Node suites of the addon and of its WebAssembly build, the Worker in
# workerd (npm dependencies installed by npm install; the wasm toolchain by
# scripts/wasm-build.sh), and the Worker demo.
# Idempotent: running it twice is fine.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# Every suite's counts add up here; the last line of the run is the total.
PASSED=0
FAILED=0
LOG_DIR=$(mktemp -d)
trap 'rm -rf "$LOG_DIR"' EXIT
tally_cargo() { # sums cargo's "test result:" lines of a log
    local p f
    p=$(awk '/^test result:/ {s += $4} END {print s + 0}' "$1")
    f=$(awk '/^test result:/ {s += $6} END {print s + 0}' "$1")
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
}

# One build from scratch: incremental state would only take disk (over a GB).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

step "toolchain"
echo "disk: $(df -h . | awk 'NR == 2 {print $4 " free of " $2}')"
command -v cargo >/dev/null || { echo "cargo is not installed (Rust 1.95 expected)" >&2; exit 1; }
cargo --version
rustc --version

step "format (cargo fmt --check)"
cargo fmt --all -- --check

step "PostgreSQL 15 and build tools: install if missing, start the cluster"
bash scripts/pg-setup.sh server

step "cargo-pgrx =0.18.1: install if missing, init on the system pg_config"
bash scripts/pg-setup.sh toolchain

step "lint (cargo clippy, all targets incl. benches and the extension, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "docs (cargo doc; a broken link, e.g. to a constant a doc comment names, is an error)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude odx-pg --no-deps --locked -q

step "build and install the odx extension into the server"
bash scripts/pg-setup.sh extension

step "test databases: schema, known-answer and demo fixtures, CREATE EXTENSION odx"
DATABASE_URL=$(bash scripts/pg-setup.sh databases | tail -n 1)
export DATABASE_URL
# The owner of the test databases, for the tests that write (and put back).
export ODX_WRITER_URL=postgres://odx:odx@127.0.0.1:5432/odx_test
echo "DATABASE_URL=$DATABASE_URL (a non-superuser role with SELECT on app only)"

step "cargo tests (unit, known-answer, properties, generator, SQL and extension parity)"
cargo test --workspace --exclude odx-pg --locked 2>&1 | tee "$LOG_DIR/cargo.log"
tally_cargo "$LOG_DIR/cargo.log"

step "SQL regression tests (pg_regress: pg_ext/test/sql against pg_ext/test/expected)"
bash scripts/sql-regress.sh 2>&1 | tee "$LOG_DIR/sql.log"
PASSED=$((PASSED + $(awk '/^sql: / {print $2}' "$LOG_DIR/sql.log")))
FAILED=$((FAILED + $(awk '/^sql: / {print $4}' "$LOG_DIR/sql.log")))

step "Node suites (npm install, napi build, index.d.ts check, node --test against the server)"
bash scripts/node-test.sh 2>&1 | tee "$LOG_DIR/node.log"
PASSED=$((PASSED + $(awk '/^node: / {print $2}' "$LOG_DIR/node.log")))
FAILED=$((FAILED + $(awk '/^node: / {print $4}' "$LOG_DIR/node.log")))

step "the Worker demo (scripts/worker-demo.sh): one report computed in workerd, nothing left behind"
databases() { runuser -u postgres -- psql -X -At -c "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database"; }
before=$(databases)
demo=0
bash scripts/worker-demo.sh > "$LOG_DIR/demo.log" 2>&1 || demo=$?
cat "$LOG_DIR/demo.log"
after=$(databases)
if [ "$demo" -eq 0 ] && grep -q '^Command Center, computed in workerd' "$LOG_DIR/demo.log" \
    && grep -q 'DEMO-Gulberg (Lahore)' "$LOG_DIR/demo.log" && [ "$after" = "$before" ]; then
    echo "demo: 1 passed, 0 failed (the databases after the demo are the ones before it)"
    PASSED=$((PASSED + 1))
else
    echo "demo: 0 passed, 1 failed (exit $demo; databases before: $before; after: $after)"
    FAILED=$((FAILED + 1))
fi

step "summary"
echo "disk: $(du -sh target | cut -f1) in target/, $(df -h . | awk 'NR == 2 {print $4}') left free"
echo "total: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
