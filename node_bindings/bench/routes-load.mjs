// A short bounded load run of the org-insights routes on a real Node HTTP
// server (@hono/node-server) over the engine, localhost: autocannon for
// --seconds against /command and /financial of the demo network (the
// org_admin's whole network, June 2026), reporting requests/s, p50/p99
// latency and errors. Every answer is checked first. Run with DATABASE_URL
// set (scripts/test-all.sh's test database):
//   node bench/routes-load.mjs [--seconds 10] [--connections 10]
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import path from 'node:path';
import pg from 'pg';
import { odx, url } from '../test/helpers.mjs';
import { engineBackend, start } from '../test/routes.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.join(here, '..');
const outDir = path.join(pkg, '.example-build');
const { values: o } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' } },
});

execFileSync(path.join(pkg, 'node_modules', '.bin', 'tsc'),
  ['-p', path.join(pkg, 'examples', 'tsconfig.json'), '--noEmit', 'false', '--outDir', outDir]);
const engine = await odx.Engine.connect(url, { maxConnections: 8 });
const pool = new pg.Pool({ connectionString: url, max: 2 });
const { server, base } = await start(outDir, engineBackend(engine, pool), 50000001);
console.log(`| route | requests/s | p50 ms | p99 ms | non-2xx | errors |`);
console.log(`|---|---|---|---|---|---|`);
for (const route of ['/command?from=2026-06-01&to=2026-06-30', '/financial?from=2026-06-01&to=2026-06-30']) {
  const check = await fetch(`${base}${route}`);
  if (check.status !== 200) throw new Error(`${route}: ${check.status} ${await check.text()}`);
  const r = await autocannon({ url: `${base}${route}`, connections: Number(o.connections), duration: Number(o.seconds) });
  console.log(`| ${route.split('?')[0]} | ${r.requests.average.toFixed(1)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${r.errors + r.timeouts} |`);
}
await new Promise((r) => server.close(r));
await engine.close();
await pool.end();
