// The Node engine's concurrent statements on one snapshot
// (`statementConcurrency`): the Command Center of every branch over 30 and
// 365 days, and financial and operations over the year, each on an engine
// opened with statementConcurrency 1 to 4 (on the default pool of 8). Before
// timing, each engine's answer is checked against the extension's on the
// same scope and as-of instant. Median of --runs calls after a warm-up (the
// engine opens its connections in the background after connect; the warm-up
// waits for them). Run through scripts/bench-node.sh, after side-by-side.mjs.
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
// Not strict: scripts/bench-node.sh hands both scripts the same arguments.
const { values: o } = parseArgs({
  strict: false,
  options: {
    url: { type: 'string', default: 'postgres://odx:odx@127.0.0.1:5432/odx_bench' },
    to: { type: 'string', default: '2026-06-30' },
    runs: { type: 'string', default: '5' },
    levels: { type: 'string', default: '1,2,3,4' },
  },
});
const runs = Number(o.runs);
const levels = o.levels.split(',').map(Number);
// The end of the period in Karachi: every report is as of the same instant.
const asOf = `${o.to}T23:59:59+05:00`;
const query = (text, values) => queryAt(o.url, text, values);

function daysBefore(to, n) {
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - (n - 1));
  return d.toISOString().slice(0, 10);
}

const [{ id: organizationId }] = await query(
  'SELECT organization_id AS id FROM app.organization_clinics GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1');
const clinicIds = (await query('SELECT clinic_id FROM app.organization_clinics WHERE organization_id = $1 ORDER BY 1',
  [organizationId])).map((r) => Number(r.clinic_id));
const org = Number(organizationId);

// Each call: its label, the engine's call, and the extension's same answer.
const calls = [
  ...[30, 365].map((days) => {
    const params = { organizationId: org, from: daysBefore(o.to, days), to: o.to, asOf };
    return {
      label: `Command Center, ${clinicIds.length} branches, ${days} days`,
      run: (engine) => engine.command(params),
      want: async () => (await query('SELECT odx_command($1, $2::date, $3::date, as_of => $4::timestamptz) AS r',
        [org, params.from, params.to, asOf]))[0].r,
    };
  }),
  ...['financial', 'operations'].map((domain) => {
    const scope = { clinicIds, from: daysBefore(o.to, 365), to: o.to, asOf };
    return {
      label: `${domain}, ${clinicIds.length} branches, 365 days`,
      run: (engine) => engine[domain](scope),
      want: async () => (await query(`SELECT odx_${domain}($1::bigint[], $2::date, $3::date, as_of => $4::timestamptz) AS r`,
        [clinicIds, scope.from, scope.to, asOf]))[0].r,
    };
  }),
];

const times = calls.map(() => []);
for (const level of levels) {
  const engine = await odx.Engine.connect(o.url, { statementConcurrency: level, queryTimeoutMs: 600_000 });
  try {
    for (const [i, call] of calls.entries()) {
      assert.deepStrictEqual(await call.run(engine), asJs(await call.want()), `${call.label} == the extension's`);
      const t = [];
      for (let r = 0; r < runs; r++) {
        const started = performance.now();
        await call.run(engine);
        t.push(performance.now() - started);
      }
      times[i].push(median(t));
    }
  } finally {
    await engine.close();
  }
}

console.log(`Data: organization ${org}, ${clinicIds.length} branches, as of ${asOf}. Each figure: median of ${runs} `
  + 'calls after a warm-up call, checked against the extension first.\n');
console.log(`| call | ${levels.map((l) => `statementConcurrency ${l} (ms)`).join(' | ')} |`);
console.log(`|---|${levels.map(() => '---:').join('|')}|`);
for (const [i, call] of calls.entries()) {
  console.log(`| ${call.label} | ${times[i].map((t) => t.toFixed(0)).join(' | ')} |`);
}
