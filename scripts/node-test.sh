#!/usr/bin/env bash
# The Node suites of node_bindings: installs the npm dependencies (npm install),
# builds the addon with the napi CLI, checks that the committed index.d.ts and
# index.js are what the build generates, builds the WebAssembly entry
# (scripts/wasm-build.sh) and the Worker bundle (worker/build.mjs), and runs
# `node --test` against the real server (DATABASE_URL): every suite on the
# addon (the Worker suites start workerd), then the suites of the pure
# functions, plan/finish and bad input again on the WebAssembly build
# (ODX_IMPL=wasm). Prints "node: N passed, N failed" last.
set -euo pipefail
cd "$(dirname "$0")/../node_bindings"
: "${DATABASE_URL:?DATABASE_URL is not set: run through scripts/test-all.sh}"
# `npm ci` refuses this lock (npm drops optional platform packages of
# @napi-rs/cli's dependencies from it); `npm install` follows the lock.
npm install --no-audit --no-fund
committed=$(mktemp -d)
trap 'rm -rf "$committed"' EXIT
cp index.d.ts index.js "$committed/"
npx napi build --platform --release --js index.js --dts index.d.ts
for f in index.d.ts index.js; do
    if ! cmp -s "$f" "$committed/$f"; then
        diff -u "$committed/$f" "$f" || true
        echo "node_bindings/$f differs from what the build generates: commit the generated file" >&2
        echo "node: 0 passed, 1 failed"
        exit 1
    fi
done
bash ../scripts/wasm-build.sh
node worker/build.mjs
status=0
node --test --test-reporter=tap test/*.test.mjs | tee "$committed/tap.log" || status=$?
ODX_IMPL=wasm node --test --test-reporter=tap test/plan.test.mjs test/pure.test.mjs test/console.test.mjs \
    test/hardening.test.mjs test/fuzz.test.mjs test/types.test.mjs test/wasm.test.mjs | tee "$committed/tap-wasm.log" || status=$?
count() { awk -v what="$1" '$1 == "#" && $2 == what {n += $3; seen = 1} END {print seen ? n : ""}' "$committed/tap.log" "$committed/tap-wasm.log"; }
passed=$(count pass)
failed=$(count fail)
echo "node: ${passed:-0} passed, ${failed:-1} failed"
exit $status
