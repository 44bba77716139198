// Bundles the Worker (worker/worker.mts, the org-insights routes, Hono,
// postgres.js's Workers build) into worker/dist/worker.mjs with esbuild,
// next to the WebAssembly module it imports (worker/dist/pkg/odx_bg.wasm),
// the two modules a workerd config (worker/workerd.capnp) or wrangler
// deploys. Needs node_bindings/wasm/pkg (scripts/wasm-build.sh).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
mkdirSync(path.join(dist, 'pkg'), { recursive: true });
// The org-insights Worker, and the minimal one the README shows.
await build({
  entryPoints: { worker: path.join(here, 'worker.mts'), minimal: path.join(here, 'minimal.mts') },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // postgres.js and pg-cloudflare publish a Workers build under this condition.
  conditions: ['workerd', 'worker', 'import'],
  mainFields: ['module', 'main'],
  // Workers' own modules, and the .wasm module workerd compiles.
  external: ['cloudflare:*', 'node:*', './pkg/odx_bg.wasm'],
  logLevel: 'warning',
});
copyFileSync(path.join(here, '..', 'wasm', 'pkg', 'odx_bg.wasm'), path.join(dist, 'pkg', 'odx_bg.wasm'));
const kb = (f) => (statSync(path.join(dist, f)).size / 1024).toFixed(0);
console.log(`worker: dist/worker.mjs ${kb('worker.mjs')} KiB, dist/minimal.mjs ${kb('minimal.mjs')} KiB, `
  + `dist/pkg/odx_bg.wasm ${kb('pkg/odx_bg.wasm')} KiB`);
