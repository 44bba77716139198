#!/usr/bin/env bash
# Builds odx's WebAssembly (the wasm crate: core, the statement planner and
# odx-js through wasm-bindgen) into node_bindings/wasm/pkg, the files the
# npm package's `@odx/engine/wasm` entry loads (in a Worker and in Node).
# Installs what it needs on a fresh machine, idempotently:
# - the wasm32-unknown-unknown standard library: rustup's target when it is
#   installed; otherwise Debian's rustc-web, which builds std for the target
#   from rust-web-src (rustup cannot reach its servers here);
# - wasm-bindgen-cli of exactly the wasm-bindgen crate's version;
# - binaryen's wasm-opt (the npm package, a devDependency of node_bindings:
#   Debian's is too old for the reference types wasm-bindgen emits), which
#   shrinks the module for size.
# Prints the module's size last.
set -euo pipefail
cd "$(dirname "$0")/.."
out=node_bindings/wasm/pkg
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
[ -n "$version" ] || { echo "wasm-build: no wasm-bindgen in Cargo.lock" >&2; exit 1; }

if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    target_dir=target
    cargo build --locked --profile wasm --target wasm32-unknown-unknown -p odx-wasm
else
    missing=""
    for p in rustc-web cargo-web rust-web-src lld; do
        dpkg -s "$p" > /dev/null 2>&1 || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing > /dev/null \
            || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing > /dev/null; }
    fi
    # Debian's toolchain, in a target directory of its own (its std is not
    # rustup's): std is built for the target, panics abort.
    target_dir=target/wasm-debian
    env PATH=/usr/bin:/bin HOME="$HOME" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
        /usr/bin/cargo build --locked --profile wasm -Zbuild-std=std,panic_abort \
        --target wasm32-unknown-unknown --target-dir "$target_dir" -p odx-wasm
fi
module="$target_dir/wasm32-unknown-unknown/wasm/odx_wasm.wasm"

if ! command -v wasm-bindgen > /dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$version" ]; then
    # Without --locked: the CLI's own lockfile pins a yanked crate.
    cargo install -q wasm-bindgen-cli --version "$version"
fi
wasm_opt=node_bindings/node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || (cd node_bindings && npm install --no-audit --no-fund > /dev/null)

rm -rf "$out"
mkdir -p "$out"
# --target web: an ES module whose initSync takes the compiled module, which
# a Worker imports from the .wasm file and Node compiles from its bytes.
wasm-bindgen --target web --no-typescript --weak-refs --out-dir "$out" --out-name odx "$module"
"$wasm_opt" -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
    --enable-reference-types --enable-multivalue -o "$out/odx_bg.opt.wasm" "$out/odx_bg.wasm"
mv "$out/odx_bg.opt.wasm" "$out/odx_bg.wasm"
size=$(stat -c %s "$out/odx_bg.wasm")
gzipped=$(gzip -9 -c "$out/odx_bg.wasm" | wc -c)
echo "wasm: $out/odx_bg.wasm $size bytes ($gzipped gzipped)"
