// The WebAssembly build (@odx/engine/wasm) against the addon, in Node: the
// same functions, and for random inputs (the fixtures' rows perturbed, the
// scopes and params of the fuzz run) the same answers or the same ODX_*
// refusals: one engine, built twice. A panic inside WebAssembly would trap
// (a RuntimeError, not an odx Error): none happens. The suites that compare
// the pure functions and plan/finish with the engine and the extension run
// against this build too (ODX_IMPL=wasm, scripts/node-test.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { addon, odx, IMPL, clinicRows, KNOWN, DOMAINS, rng } from './helpers.mjs';

const wasm = await import('../wasm/node.mjs');
const here = path.dirname(fileURLToPath(import.meta.url));
const module = path.join(here, '..', 'wasm', 'pkg', 'odx_bg.wasm');

test('the WebAssembly entry has every function of the addon but the Engine', () => {
  const fns = (m) => Object.keys(m).filter((k) => typeof m[k] === 'function' && k !== 'default').sort();
  const expected = fns(addon).filter((k) => k !== 'Engine');
  assert.deepStrictEqual(fns(wasm), expected);
  if (IMPL === 'wasm') assert.equal(odx.plan, wasm.plan, 'ODX_IMPL=wasm: the suites call the WebAssembly build');
});

test('size and cold start of the module (reported, not asserted)', async () => {
  const bytes = readFileSync(module);
  const t0 = performance.now();
  const compiled = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  const glue = await import(`../wasm/pkg/odx.js?fresh=${Date.now()}`);
  glue.initSync({ module: compiled });
  const t2 = performance.now();
  const p = glue.plan('financial', JSON.stringify(KNOWN), Date.now());
  const t3 = performance.now();
  assert.ok(p.statements.length > 0);
  console.log(`# odx_bg.wasm ${(statSync(module).size / 1024).toFixed(0)} KiB; compile ${(t1 - t0).toFixed(1)} ms, `
    + `instantiate ${(t2 - t1).toFixed(1)} ms, first plan ${(t3 - t2).toFixed(1)} ms`);
});

// The outcome of a call: its answer, or the code and message it is refused with.
function outcome(f) {
  try {
    return { answer: f() };
  } catch (e) {
    assert.ok(e instanceof Error && /^ODX_/.test(String(e.code)), `not an odx error: ${e}`);
    return { code: e.code, message: e.message };
  }
}

test('random rows and params: the WebAssembly build answers exactly as the addon', async () => {
  const base = await clinicRows([1, 2]);
  const seed = 20261126;
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const weird = () => pick([null, -1, 0, '', 'x', '1e400', '-0', '99999999999999999999.99', 1.5, '2026-02-30',
    '2026-06-15T12:00:00+05:00', true, [], {}, 'booked', 'paid', 'NaN']);
  // Half the cases on the rows as they are (less some rows), half with one
  // to three cells replaced by a value a column may not hold.
  const perturb = () => {
    const rows = {};
    for (const [t, list] of Object.entries(base)) rows[t] = r() < 0.3 ? list.filter(() => r() < 0.9) : list;
    if (r() < 0.5) {
      for (let k = 1 + Math.floor(r() * 3); k > 0; k -= 1) {
        const t = pick(Object.keys(rows).filter((name) => rows[name].length > 0));
        const list = [...rows[t]];
        const at = Math.floor(r() * list.length);
        list[at] = { ...list[at], [pick(Object.keys(list[at]))]: weird() };
        rows[t] = list;
      }
    }
    return rows;
  };
  // Mostly valid params for the read (a fifth of the time something wrong).
  const params = (read) => {
    const [from, to] = pick([['2026-06-01', '2026-06-30'], ['2026-01-01', '2026-06-30'], ['2026-06-10', '2026-06-20']]);
    const p = { clinicIds: pick([[1, 2], [1], [2]]), from, to, asOf: pick(['2026-06-20T12:00:00+05:00', '2026-07-01T00:00:00Z']),
      organizationId: 1, clinicId: pick([1, 2]), userId: pick([90, 91]), date: '2026-06-20',
      action: { action: 'view_insights' }, resource: { kind: 'organization', organizationId: 1 }, domain: pick(DOMAINS) };
    if (read === 'networkOverview') { delete p.from; delete p.to; }
    if (read.startsWith('forecast')) p.asOf = pick(['2026-06-15', '2026-12-31']);
    if (r() < 0.3) p.groupBy = pick(['doctor', 'none']);
    if (r() < 0.2) {
      Object.assign(p, pick([{ clinicIds: [1, 424242] }, { from: '2026-07-01' }, { clinicIds: [] }, { organizationId: 424242 },
        { userId: 95 }, { groupBy: 'branch' }, { domain: 'revenue' }, { asOf: 'soon' }, { allowedClinicIds: [1] }]));
    }
    return p;
  };
  const reads = [...DOMAINS, 'command', 'digest', 'benchmark', 'networkOverview', 'insightsScope', 'authorize',
    'forecastRevenue', 'forecastNoShows', 'forecastChurn', 'compare'];
  const tally = { answered: 0, refused: 0 };
  for (let i = 0; i < 150; i += 1) {
    const rows = perturb();
    const read = pick(reads);
    const p = params(read);
    const label = `seed ${seed} case ${i}: ${read} ${JSON.stringify(p)}`;
    const a = outcome(() => addon[read](rows, p));
    const w = outcome(() => wasm[read](rows, p));
    assert.deepStrictEqual(w, a, label);
    tally[a.code === undefined ? 'answered' : 'refused'] += 1;
    const pa = outcome(() => addon.plan(read, p).statements);
    const pw = outcome(() => wasm.plan(read, p).statements);
    assert.deepStrictEqual(pw, pa, `${label}: plan`);
  }
  console.log(`# ${JSON.stringify(tally)}`);
  assert.ok(tally.answered > 20 && tally.refused > 5, JSON.stringify(tally));
});

test('inputs that would exhaust a naive reader are refused by both builds alike, and the module keeps working', () => {
  let deep = [];
  for (let i = 0; i < 5000; i += 1) deep = [deep];
  const cases = [
    () => ['validateScope', [{ clinicIds: deep, from: '2026-06-01', to: '2026-06-30' }]],
    () => ['financial', [{ invoices: deep }, { clinicIds: [1], from: '2026-06-01', to: '2026-06-30' }]],
    () => ['validateScope', [{ clinicIds: Array.from({ length: 200_000 }, (_, i) => i + 1), from: '2026-06-01', to: '2026-06-30' }]],
    () => ['validateScope', [{ clinicIds: [1], from: '2026-06-01', to: '2026-06-30', groupBy: 'x'.repeat(5_000_000) }]],
    () => ['checkTargets', [Array.from({ length: 50_000 }, () => ({ clinicId: 1, metric: 'noshow_rate_max', value: '0.1' })), [1]]],
  ];
  for (const make of cases) {
    const [fn, args] = make();
    const a = outcome(() => addon[fn](...args));
    const w = outcome(() => wasm[fn](...args));
    assert.deepStrictEqual(w.code, a.code, `${fn}: ${JSON.stringify(w).slice(0, 200)} / ${JSON.stringify(a).slice(0, 200)}`);
  }
  assert.deepStrictEqual(wasm.validateScope({ ...KNOWN, asOf: '2026-07-01T00:00:00Z' }),
    addon.validateScope({ ...KNOWN, asOf: '2026-07-01T00:00:00Z' }));
});
