#!/usr/bin/env bash
# The one test command of odx (the README's second command; .ci/run calls it).
# It checks for what it needs and runs every suite: formatting, lints, and the
# cargo tests (unit, known-answer, property, generator, doc tests).
# Idempotent: running it twice is fine.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
command -v cargo >/dev/null || { echo "cargo is not installed (Rust 1.95 expected)" >&2; exit 1; }
cargo --version
rustc --version

step "format (cargo fmt --check)"
cargo fmt --all -- --check

step "lint (cargo clippy, all targets incl. benches, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo tests"
cargo test --workspace --locked
