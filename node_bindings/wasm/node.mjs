// @odx/engine/wasm in Node: the WebAssembly build compiled from the
// package's own file, then the same exports as in a Worker (./odx.mjs).
import { readFileSync } from 'node:fs';
import { initSync } from './pkg/odx.js';

initSync({ module: readFileSync(new URL('./pkg/odx_bg.wasm', import.meta.url)) });

export * from './odx.mjs';
