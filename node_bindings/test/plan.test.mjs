// Bring your own client: plan(read, params) hands out statements, the
// server's own driver runs them (pg, and postgres.js), finish(plan, rows)
// folds the rows. Every answer equals the engine's (and, for the domains,
// the extension's) on the fixtures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import postgres from 'postgres';
import { odx, url, extension, KNOWN, DEMO, DOMAINS } from './helpers.mjs';

let engine;
before(async () => { engine = await odx.Engine.connect(url, { maxConnections: 4 }); });
after(async () => { await engine.close(); });

// Each driver runs `work(run)` in one read-only REPEATABLE READ transaction,
// `run(statement)` giving the statement's rows as the driver returns them.
const DRIVERS = {
  async pg(work, databaseUrl = url) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const out = await work(async (s) => (await client.query(s.text, s.values)).rows);
      await client.query('COMMIT');
      return out;
    } finally {
      await client.end();
    }
  },
  async postgres(work, databaseUrl = url) {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    try {
      return await sql.begin('isolation level repeatable read read only', (tx) => work((s) => tx.unsafe(s.text, s.values)));
    } finally {
      await sql.end();
    }
  },
};

// A read through a driver: every round's statements run, their rows folded,
// until the plan answers.
async function read(driver, what, params, databaseUrl) {
  return DRIVERS[driver](async (run) => {
    const plan = odx.plan(what, params);
    let answer = null;
    let rounds = 0;
    while (answer === null) {
      assert.equal(plan.done, false);
      rounds += 1;
      const rows = [];
      for (const s of plan.statements) rows.push(await run(s));
      answer = odx.finish(plan, rows);
    }
    assert.equal(plan.done, true);
    assert.deepStrictEqual(plan.statements, []);
    return { answer, rounds };
  }, databaseUrl);
}

for (const driver of Object.keys(DRIVERS)) {
  test(`${driver}: every domain, every grouping == the engine == the extension`, async () => {
    for (const domain of DOMAINS) {
      for (const scope of [KNOWN, { ...KNOWN, groupBy: 'doctor' }, { ...KNOWN, groupBy: 'none' }, DEMO]) {
        const { answer, rounds } = await read(driver, domain, scope);
        assert.deepStrictEqual(answer, await engine[domain](scope), `${domain} ${JSON.stringify(scope)}`);
        assert.deepStrictEqual(answer, await extension(domain, scope), `${domain}: the extension`);
        assert.equal(rounds, 3, `${domain}: columns, clinics, the domain's statements`);
      }
    }
  });

  test(`${driver}: the console read-outs, forecasts and policy == the engine`, async () => {
    const month = { organizationId: 1, from: '2026-06-01', to: '2026-06-30' };
    const reads = [
      ['command', month],
      ['command', { ...month, from: '2026-06-10', asOf: '2026-06-20T12:00:00+05:00' }],
      ['digest', month],
      ['benchmark', { ...month, clinicId: 2 }],
      ['networkOverview', { organizationId: 1, date: '2026-06-20' }],
      ['compare', { domain: 'financial', ...KNOWN }],
      ['compare', { domain: 'operations', clinicIds: [1, 2], from: '2026-06-10', to: '2026-06-20' }],
      ['forecastRevenue', { clinicIds: [1, 2], asOf: '2026-06-15' }],
      ['forecastNoShows', { clinicIds: [1, 2], asOf: '2026-06-15' }],
      ['forecastChurn', { clinicIds: [1, 2], asOf: '2026-12-31' }],
      ['insightsScope', { userId: 90 }],
      ['insightsScope', { userId: 91, focusClinicId: 2 }],
      ['authorize', { userId: 91, action: { action: 'view_insights' }, resource: { kind: 'clinic', clinicId: 2 } }],
    ];
    for (const [what, params] of reads) {
      const { answer, rounds } = await read(driver, what, params);
      assert.deepStrictEqual(answer, await engine[what](params), `${what} ${JSON.stringify(params)}`);
      assert.ok(rounds <= 6, `${what}: ${rounds} rounds`);
    }
  });

  test(`${driver}: a database missing a table answers degraded, as the engine does`, async () => {
    const degradedUrl = url.replace(/\/odx_test$/, '/odx_degraded');
    const other = await odx.Engine.connect(degradedUrl);
    try {
      for (const domain of ['financial', 'operations', 'staff', 'patients']) {
        const { answer } = await read(driver, domain, KNOWN, degradedUrl);
        assert.deepStrictEqual(answer, await other[domain](KNOWN), domain);
      }
    } finally {
      await other.close();
    }
  });
}

test('plan refuses a bad request before any statement, with the engine\'s codes', () => {
  assert.throws(() => odx.plan('revenue', KNOWN), { code: 'ODX_INVALID_ARGUMENT', message: /read: "revenue"/ });
  assert.throws(() => odx.plan('financial', { ...KNOWN, from: '2026-07-01' }), { code: 'ODX_INVALID_RANGE' });
  assert.throws(() => odx.plan('financial', { ...KNOWN, allowedClinicIds: [1] }), { code: 'ODX_FORBIDDEN_SCOPE' });
  assert.throws(() => odx.plan('benchmark', { organizationId: 1, from: '2026-06-01', to: '2026-06-30' }),
    { code: 'ODX_INVALID_ARGUMENT', message: /clinicId/ });
});

test('finish refuses rows that do not fit, and an unknown clinic the way the engine does', async () => {
  const plan = odx.plan('financial', KNOWN);
  assert.throws(() => odx.finish(plan, []), { code: 'ODX_INVALID_ARGUMENT', message: /1 statements|statements/ });
  assert.throws(() => odx.finish(plan, 'rows'), { code: 'ODX_INVALID_ARGUMENT' });
  assert.throws(() => odx.finish(plan, [[42]]), { code: 'ODX_INVALID_ARGUMENT', message: /rows\[0\]\[0\]/ });
  const unknown = { clinicIds: [1, 424242], from: '2026-06-01', to: '2026-06-30' };
  await assert.rejects(read('pg', 'financial', unknown), { code: 'ODX_UNKNOWN_CLINIC' });
  await assert.rejects(engine.financial(unknown), { code: 'ODX_UNKNOWN_CLINIC' });
});

test('a statement carries its text, its values and their Postgres types', () => {
  const plan = odx.plan('financial', KNOWN);
  assert.ok(plan.statements.length >= 1);
  for (const s of plan.statements) {
    assert.equal(typeof s.text, 'string');
    assert.equal(s.values.length, s.types.length);
  }
});
