// @odx/engine/wasm in Node (see odx.d.mts).
export * from './odx.mjs';
