//! napi-rs link set-up for the Node addon.
fn main() {
    napi_build::setup();
}
