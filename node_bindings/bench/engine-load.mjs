// The Node side of scripts/load.sh: 8 concurrent calls of the engine (random
// domains and scopes of the demo network, and the Command Center) for a
// bounded time; reports calls/s, p50/p95/p99, errors by code, and the
// process's RSS before and after.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const odx = createRequire(import.meta.url)(path.join(here, '..', 'index.js'));
const [url, seconds = '20'] = process.argv.slice(2);
const DOMAINS = ['financial', 'operations', 'accounting', 'lab', 'staff', 'clinical', 'patients', 'inventory'];
const engine = await odx.Engine.connect(url, { maxConnections: 8 });
const rss = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);
const before = rss();
const latencies = [];
const errors = new Map();
const stop = Date.now() + Number(seconds) * 1000;
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
async function worker() {
  while (Date.now() < stop) {
    const m = 1 + Math.floor(Math.random() * 6);
    const from = `2026-0${m}-01`;
    const to = `2026-0${m}-${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}`;
    const started = performance.now();
    try {
      if (Math.random() < 0.25) await engine.command({ organizationId: 500, from, to });
      else await engine[pick(DOMAINS)]({ clinicIds: [pick([501, 502, 503, 504]), 502], from, to });
      latencies.push(performance.now() - started);
    } catch (e) {
      errors.set(e.code, (errors.get(e.code) ?? 0) + 1);
    }
  }
}
await Promise.all(Array.from({ length: 8 }, worker));
await engine.close();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((latencies.length * p) / 100) - 1)]?.toFixed(1);
console.log(`Node engine (${seconds} s, 8 concurrent calls; 3 parts domain reports, 1 part Command Center):`);
console.log(`  calls ${latencies.length} (${(latencies.length / Number(seconds)).toFixed(1)}/s), p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms`);
console.log(`  errors ${JSON.stringify(Object.fromEntries(errors))}`);
console.log(`  Node RSS: ${before} MB before, ${rss()} MB after`);
