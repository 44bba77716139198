// @odx/engine/wasm in a Cloudflare Worker (workerd): the bundle imports the
// .wasm file as a compiled WebAssembly.Module (wrangler's and workerd's
// `wasm` module type), instantiated once per isolate, then the same exports
// as in Node (./odx.mjs).
import { initSync } from './pkg/odx.js';
import module from './pkg/odx_bg.wasm';

initSync({ module });

export * from './odx.mjs';
