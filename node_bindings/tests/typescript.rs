//! `generated.d.ts`, the head of `index.d.ts` (napi-rs's `dtsHeaderFile`),
//! is what core declares today: every answer's declaration, written from
//! core's types by `odx_core::typescript`.
//!
//! `ODX_BLESS=1 cargo test -p odx-node --test typescript` rewrites it;
//! `scripts/node-test.sh` then checks that `index.d.ts` is what the build
//! makes of it.

use std::path::Path;

#[test]
fn generated_d_ts_is_what_core_declares() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated.d.ts");
    let declarations = odx_core::typescript::declarations().unwrap();
    let generated = format!(
        "/* auto-generated: core's answers (odx_core::typescript), then the addon's own declarations (NAPI-RS) */\n/* eslint-disable */\n\n{declarations}"
    );
    if std::env::var_os("ODX_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "node_bindings/generated.d.ts is stale: run `ODX_BLESS=1 cargo test -p odx-node --test typescript` and commit it"
    );
}
