// @odx/engine/wasm in a Worker (see odx.d.mts).
export * from './odx.mjs';
