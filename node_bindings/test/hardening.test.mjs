// Hostile inputs: nothing inherited from a prototype is read, ambiguous
// arguments are refused rather than resolved silently, and every input
// JavaScript can make (NaN, ±Infinity, sparse arrays, cycles, BigInt,
// Symbols, functions, throwing getters) comes back as an Error with an
// ODX_* code, never napi's own untyped one. (Arguments are read through
// JSON.stringify: NaN and ±Infinity become null, which a required field
// refuses and an optional one reads as absent.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { odx, url, KNOWN, DEMO } from './helpers.mjs';

let engine;
before(async () => { engine = await odx.Engine.connect(url, { maxConnections: 2 }); });
after(async () => { await engine.close(); });

const JUNE = { organizationId: 500, from: '2026-06-01', to: '2026-06-30' };

test('properties set on Object.prototype are never read', async () => {
  const command = await engine.command(JUNE);
  const financial = await engine.financial(KNOWN);
  const rows = { clinics: [], invoices: [] };
  const pure = odx.financial(rows, { clinicIds: [], from: '2026-06-01', to: '2026-06-30' });
  const polluted = { clinicIds: [502], groupBy: 'doctor', allowedClinicIds: [1], asOf: '2020-01-01T00:00:00Z', date: '2026-06-03' };
  try {
    for (const [k, v] of Object.entries(polluted)) Object.prototype[k] = v; // eslint-disable-line no-extend-native
    assert.deepStrictEqual(await engine.command({ ...JUNE }), command);
    assert.deepStrictEqual(await engine.financial({ clinicIds: KNOWN.clinicIds, from: KNOWN.from, to: KNOWN.to }), financial);
    assert.deepStrictEqual(odx.financial(rows, { clinicIds: [], from: '2026-06-01', to: '2026-06-30' }), pure);
    const plan = odx.plan('financial', { clinicIds: [1], from: '2026-06-01', to: '2026-06-30' });
    assert.ok(plan.statements.every((s) => !JSON.stringify(s.values).includes('502')));
  } finally {
    for (const k of Object.keys(polluted)) delete Object.prototype[k];
  }
});

test('ambiguous arguments are refused, not resolved', async () => {
  const both = { userId: 90, action: { action: 'view_insights' }, resource: { kind: 'clinic', clinicId: 2, clinic_id: 1 } };
  await assert.rejects(engine.authorize(both), { code: 'ODX_INVALID_ARGUMENT', message: /clinic_id.*twice/ });
  await assert.rejects(engine.networkOverview({ organizationId: 1, date: '2026-06-20', from: '2026-06-01', to: '2026-06-30' }),
    { code: 'ODX_INVALID_ARGUMENT', message: /date/ });
  await assert.rejects(engine.command({ ...JUNE, date: '2026-06-03' }), { code: 'ODX_INVALID_ARGUMENT', message: /date/ });
});

test('every input JavaScript can make gets an ODX_* code', async () => {
  const cyclic = { ...KNOWN };
  cyclic.self = cyclic;
  const getter = { ...KNOWN };
  Object.defineProperty(getter, 'clinicIds', { enumerable: true, get() { throw new Error('boom'); } });
  const sparse = { ...KNOWN, clinicIds: [1, , 2] }; // eslint-disable-line no-sparse-arrays
  const inputs = [
    { ...KNOWN, clinicIds: [NaN] }, { ...KNOWN, clinicIds: [Infinity] }, { ...KNOWN, clinicIds: [-Infinity] },
    { ...KNOWN, clinicIds: [1.5] }, sparse, cyclic, getter,
    { ...KNOWN, clinicIds: [1n] }, Symbol('scope'), () => KNOWN, { ...KNOWN, from: Symbol('from') },
    { ...KNOWN, from: () => '2026-06-01' }, 42, 'scope', [KNOWN], null,
  ];
  for (const input of inputs) {
    const what = typeof input === 'symbol' ? 'Symbol' : typeof input === 'function' ? 'function' : 'input';
    const check = (e) => {
      assert.match(String(e.code), /^ODX_/, `${what}: ${e.code} ${e.message}`);
      return true;
    };
    await assert.rejects(engine.financial(input), check);
    assert.throws(() => odx.validateScope(input), check);
    assert.throws(() => odx.financial({ clinics: [] }, input), check);
    assert.throws(() => odx.plan('financial', input), check);
  }
  for (const bad of [Symbol('url'), () => url, 42, null, undefined]) {
    await assert.rejects(odx.Engine.connect(bad), (e) => /^ODX_/.test(e.code));
  }
  for (const bad of [Symbol('read'), 7, undefined]) {
    assert.throws(() => odx.plan(bad, KNOWN), (e) => /^ODX_/.test(e.code));
  }
  assert.throws(() => odx.toCsv([{ a: 1 }], Symbol('kind')), (e) => /^ODX_/.test(e.code));
  const plan = odx.plan('financial', KNOWN);
  for (const rows of [Symbol('rows'), NaN, [[{ clinic_id: 1n }]], [[null]]]) {
    assert.throws(() => odx.finish(plan, rows), (e) => /^ODX_/.test(e.code));
  }
  // The engine still answers afterwards.
  assert.deepStrictEqual((await engine.financial(DEMO)).clinicIds, DEMO.clinicIds);
});

test('stored data odx cannot read is ODX_BAD_DATA or ODX_OVERFLOW naming it, never ODX_INTERNAL', async () => {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [bad, code, named] of [['NaN', 'ODX_BAD_DATA', /app\.invoices.*total/], ['Infinity', 'ODX_BAD_DATA', /total/],
      ['1e+300', 'ODX_OVERFLOW', /total/], [null, 'ODX_BAD_DATA', /status is NULL/]]) {
      const plan = odx.plan('financial', KNOWN);
      let answer = null;
      let refused = null;
      while (answer === null && refused === null) {
        const rows = [];
        for (const s of plan.statements) {
          const got = (await client.query(s.text, s.values)).rows;
          // The billed invoices as a database with bad data would return them.
          if (s.text.includes('app.invoice_items') && got.length > 0) {
            if (bad === null) got[0].status = null; else got[0].total = bad;
          }
          rows.push(got);
        }
        try {
          answer = odx.finish(plan, rows);
        } catch (e) {
          refused = e;
        }
      }
      assert.ok(refused, `${bad}: refused`);
      assert.equal(refused.code, code, `${bad}: ${refused.message}`);
      assert.match(refused.message, named);
    }
  } finally {
    await client.end();
  }
});

test('a port where nothing listens fails at once, not after the connect timeout', async () => {
  const started = Date.now();
  await assert.rejects(odx.Engine.connect('postgres://odx:odx@127.0.0.1:5999/odx_test', { connectTimeoutMs: 30_000 }),
    { code: 'ODX_DB_UNAVAILABLE' });
  assert.ok(Date.now() - started < 3_000, `${Date.now() - started} ms`);
  const wrong = new URL(url);
  wrong.password = 'not-the-password';
  await assert.rejects(odx.Engine.connect(wrong.toString(), { connectTimeoutMs: 30_000 }), (e) => /^ODX_DB_/.test(e.code));
});
