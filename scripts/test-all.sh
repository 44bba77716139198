#!/usr/bin/env bash
# The one test command of odx (the README's second command; .ci/run calls it).
# It installs and starts what it needs (PostgreSQL 15 from Debian, when
# missing) and runs every suite: formatting, lints, and the cargo tests (unit,
# known-answer, property, generator, doc tests, and the SQL parity tests on
# the real server).
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

step "toolchain"
command -v cargo >/dev/null || { echo "cargo is not installed (Rust 1.95 expected)" >&2; exit 1; }
cargo --version
rustc --version

step "format (cargo fmt --check)"
cargo fmt --all -- --check

step "lint (cargo clippy, all targets incl. benches, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "PostgreSQL 15: install if missing, start, load the fixtures"
DATABASE_URL=$(bash scripts/pg-setup.sh | tail -n 1)
export DATABASE_URL
echo "DATABASE_URL=$DATABASE_URL"

step "cargo tests"
cargo test --workspace --locked 2>&1 | tee "$LOG_DIR/cargo.log"
tally_cargo "$LOG_DIR/cargo.log"

step "summary"
echo "total: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
