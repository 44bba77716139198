// engine.<domain>() against the same SQL run by psql, in one run: the
// statements one engine call sends (schema probe, time zones, the domain's
// statements, with the same parameter types and values), written out by
// odx-psql-script and executed by psql with \timing. The engine's time
// includes everything a caller waits for: the queries, core's fold and
// finish, and the conversion to JavaScript. Medians of --runs, after one
// warm-up each; before timing, the engine's report is checked against the
// extension's on the same scope. Run through scripts/bench-node.sh.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import assert from 'node:assert/strict';
import path from 'node:path';
import { asJs } from '../test/shape.mjs';
import { query as queryAt } from '../test/query.mjs';
import { median } from './median.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const odx = createRequire(import.meta.url)(path.join(here, '..', 'index.js'));
const { values: o } = parseArgs({
  options: {
    url: { type: 'string', default: 'postgres://odx:odx@127.0.0.1:5432/odx_bench' },
    script: { type: 'string', default: path.join(here, '..', '..', 'target', 'release', 'odx-psql-script') },
    from: { type: 'string', default: '2025-07-01' },
    to: { type: 'string', default: '2026-06-30' },
    runs: { type: 'string', default: '5' },
  },
});
const runs = Number(o.runs);

const query = (text, values) => queryAt(o.url, text, values);

// psql's per-run totals: the sum of the "Time:" lines after each "odx-run N".
function psql(domain, clinicIds) {
  const script = execFileSync(o.script, ['--url', o.url, '--domain', domain, '--clinics', clinicIds.join(','),
    '--from', o.from, '--to', o.to, '--runs', String(runs + 1)], { maxBuffer: 1 << 28 });
  const out = execFileSync('psql', ['-X', '-q', o.url], { input: script, maxBuffer: 1 << 28 }).toString();
  const totals = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('odx-run ')) totals.push(0);
    const t = /^Time: ([\d.]+) ms/.exec(line);
    if (t) totals[totals.length - 1] += Number(t[1]);
  }
  assert.equal(totals.length, runs + 1, 'psql ran every run');
  return median(totals.slice(1));
}

async function engineTimes(engine, domain, scope) {
  await engine[domain](scope);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await engine[domain](scope);
    times.push(performance.now() - t);
  }
  return median(times);
}

const clinicIds = (await query('SELECT id FROM app.clinics ORDER BY id')).map((r) => Number(r.id));
const counts = await query(`SELECT (SELECT count(*) FROM app.invoices) AS invoices,
  (SELECT count(*) FROM app.payments) AS payments, (SELECT count(*) FROM app.appointments) AS appointments`);
console.log(`Data: ${clinicIds.length} branches, ${o.from}..${o.to}: ${counts[0].invoices} invoices, `
  + `${counts[0].payments} payments, ${counts[0].appointments} appointments`);
console.log(`Each figure: median of ${runs} runs after one warm-up; the engine on a pool of 1 connection.\n`);
console.log('| call | branches | days | engine in Node (ms) | same SQL in psql (ms) | ratio engine / psql |');
console.log('|---|---:|---:|---:|---:|---:|');
const engine = await odx.Engine.connect(o.url, { maxConnections: 1, queryTimeoutMs: 600_000 });
try {
  const days = Math.round((Date.parse(o.to) - Date.parse(o.from)) / 86_400_000) + 1;
  for (const domain of ['financial', 'operations']) {
    const scope = { clinicIds, from: o.from, to: o.to };
    const ext = await query(`SELECT odx_${domain}($1::bigint[], $2::date, $3::date) AS r`, [clinicIds, o.from, o.to]);
    assert.deepStrictEqual(await engine[domain](scope), asJs(ext[0].r), `engine.${domain} == odx_${domain}`);
    const node = await engineTimes(engine, domain, scope);
    const sql = psql(domain, clinicIds);
    console.log(`| engine.${domain} | ${clinicIds.length} | ${days} | ${node.toFixed(1)} | ${sql.toFixed(1)} | `
      + `${(node / sql).toFixed(2)} |`);
  }
} finally {
  await engine.close();
}
console.log('\nBoth reports were checked first: the engine == the extension on the same scope.');
