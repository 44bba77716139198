// The engine on the real server: Node == extension (== core, which the cargo
// suites prove) per clinic and for the network, every error code, bad
// arguments, concurrency, and a database that is down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { odx, url, sql, asJs, extension, clinicRows, KNOWN, DEMO, DOMAINS, AS_OF_CASES } from './helpers.mjs';

let engine;
before(async () => { engine = await odx.Engine.connect(url, { maxConnections: 4 }); });
after(async () => { await engine.close(); });

const scopes = [
  KNOWN,
  { ...KNOWN, groupBy: 'doctor' },
  { ...KNOWN, groupBy: 'none' },
  { clinicIds: [1], from: '2026-06-01', to: '2026-06-30' },
  { clinicIds: [2], from: '2026-06-10', to: '2026-06-20' },
  DEMO,
  { ...DEMO, groupBy: 'doctor' },
];

for (const domain of DOMAINS) {
  for (const scope of scopes) {
    test(`${domain} ${JSON.stringify(scope)}: Node == the extension`, async () => {
      const node = await engine[domain](scope);
      assert.equal(node.degraded, false);
      assert.deepStrictEqual(node, await extension(domain, scope));
    });
  }

  test(`${domain}: each network row == that clinic alone`, async () => {
    const network = await engine[domain](DEMO);
    for (const row of network.perBranch) {
      const alone = await engine[domain]({ ...DEMO, clinicIds: [row.clinicId] });
      assert.deepStrictEqual(alone.perBranch, [row]);
    }
  });
}

test('money crosses as decimal strings, rates as numbers or null, dates as YYYY-MM-DD', async () => {
  const r = await engine.financial(KNOWN);
  assert.equal(typeof r.totals.billed, 'string');
  assert.match(r.totals.billed, /^-?\d+(\.\d+)?$/);
  assert.equal(typeof r.totals.collectionRate, 'number');
  assert.equal(r.from, '2026-06-01');
  const empty = await engine.financial({ clinicIds: [], from: '2026-06-01', to: '2026-06-30' });
  assert.equal(empty.totals.collectionRate, null);
  assert.deepStrictEqual(empty.perBranch, []);
});

const rejects = (promise, code, pattern) => assert.rejects(promise, (e) => {
  assert.ok(e instanceof Error, 'an Error');
  assert.equal(e.code, code);
  if (pattern) assert.match(e.message, pattern);
  return true;
});

test('every error is an Error with a stable code', async () => {
  await rejects(engine.financial({ ...KNOWN, from: '2026-07-01' }), 'ODX_INVALID_RANGE', /after/);
  await rejects(engine.operations({ ...KNOWN, from: '2010-01-01' }), 'ODX_RANGE_TOO_LONG');
  await rejects(engine.financial({ ...KNOWN, allowedClinicIds: [1] }), 'ODX_FORBIDDEN_SCOPE', /clinic 2/);
  await rejects(engine.financial({ ...KNOWN, clinicIds: [424242] }), 'ODX_UNKNOWN_CLINIC', /424242/);
  await rejects(engine.financial({ ...KNOWN, groupBy: 'branch' }), 'ODX_INVALID_ARGUMENT', /groupBy/);
});

test('bad arguments are refused with a message naming the field', async () => {
  const cases = [
    [undefined, /params/], [42, /params/], [{ from: '2026-06-01', to: '2026-06-30' }, /clinicIds/],
    [{ ...KNOWN, clinicIds: '1,2' }, /clinicIds/], [{ ...KNOWN, clinicIds: [1, null] }, /clinicIds\[1\]/],
    [{ ...KNOWN, clinicIds: [1.5] }, /clinicIds\[0\]/], [{ ...KNOWN, from: 20260601 }, /from/],
    [{ ...KNOWN, to: '2026-02-30' }, /to/], [{ ...KNOWN, to: undefined }, /to/],
    [{ ...KNOWN, allowedClinicIds: 'all' }, /allowedClinicIds/],
  ];
  for (const [params, field] of cases) {
    await rejects(engine.financial(params), 'ODX_INVALID_ARGUMENT', field);
    assert.throws(() => odx.validateScope(params), (e) => e.code === 'ODX_INVALID_ARGUMENT' && field.test(e.message));
  }
  await rejects(odx.Engine.connect(url, { maxConnections: 0 }), 'ODX_INVALID_ARGUMENT', /maxConnections/);
  await rejects(odx.Engine.connect(url, { statementConcurrency: 0 }), 'ODX_INVALID_ARGUMENT', /statementConcurrency/);
  await rejects(odx.Engine.connect(url, { statementConcurrency: 1.5 }), 'ODX_INVALID_ARGUMENT', /statementConcurrency/);
  await rejects(odx.Engine.connect('not a url'), 'ODX_INVALID_ARGUMENT', /url/);
});

test('statements read concurrently on one snapshot give what one connection gives', async () => {
  // A pool kept warm for concurrent statements, and one reading on one
  // connection: every domain and the console read-outs agree.
  const wide = await odx.Engine.connect(url, { maxConnections: 6, statementConcurrency: 4 });
  const narrow = await odx.Engine.connect(url, { maxConnections: 2, statementConcurrency: 1 });
  await new Promise((r) => setTimeout(r, 200)); // the wide pool opens its idle connections
  try {
    for (const domain of DOMAINS) {
      for (const scope of [KNOWN, DEMO]) {
        assert.deepStrictEqual(await wide[domain](scope), await narrow[domain](scope), domain);
      }
    }
    const console = { organizationId: 1, from: '2026-05-20', to: '2026-06-15' };
    for (const read of ['command', 'digest', 'networkOverview']) {
      assert.deepStrictEqual(await wide[read](console), await narrow[read](console), read);
    }
  } finally {
    await wide.close();
    await narrow.close();
  }
});

test('200 concurrent calls give identical results', async () => {
  const first = await engine.financial(DEMO);
  const all = await Promise.all(Array.from({ length: 200 }, () => engine.financial(DEMO)));
  for (const r of all) assert.deepStrictEqual(r, first);
});

test('a database that is down is a typed error within the timeout, not a hang', async () => {
  const started = Date.now();
  await rejects(odx.Engine.connect('postgres://odx:odx@127.0.0.1:5999/odx_test', { connectTimeoutMs: 500 }),
    'ODX_DB_UNAVAILABLE');
  assert.ok(Date.now() - started < 10_000, 'bounded by connectTimeoutMs');
  const closed = await odx.Engine.connect(url);
  await closed.close();
  await rejects(closed.financial(KNOWN), 'ODX_DB_UNAVAILABLE');
});

test('a missing table degrades the module instead of failing', async () => {
  const degradedUrl = url.replace(/\/odx_test$/, '/odx_degraded');
  const e = await odx.Engine.connect(degradedUrl);
  try {
    // Without appointments.room_id operations leaves out chair utilization
    // only, and says so.
    const ops = await e.operations(KNOWN);
    const whole = await engine.operations(KNOWN);
    assert.equal(ops.degraded, false);
    assert.deepStrictEqual(ops.missing, ['app.appointments.room_id']);
    assert.deepStrictEqual(whole.missing, []);
    assert.equal(ops.totals.chairUtilization, null);
    assert.notEqual(whole.totals.chairUtilization, null);
    const noChairs = ({ chairBookedMinutes, chairCapacityMinutes, chairUtilization, ...rest }) => rest;
    assert.deepStrictEqual(noChairs(ops.totals), noChairs(whole.totals));
    assert.deepStrictEqual(ops.perBranch.map(noChairs), whole.perBranch.map(noChairs));
    // The overview reads only the day's invoices and appointments.
    const day = { organizationId: 1, date: '2026-06-20' };
    assert.deepStrictEqual(await e.networkOverview(day), await engine.networkOverview(day));
    const fin = await e.financial(KNOWN);
    assert.equal(fin.degraded, true);
    const acc = await e.accounting(KNOWN);
    assert.deepStrictEqual(acc.missing, ['app.lab_cases', 'app.payroll']);
    const staff = await e.staff(KNOWN);
    assert.deepStrictEqual(staff.missing, ['app.payroll']);
    assert.equal(staff.module, 'staff');
    // Patients reads none of the missing relations.
    const patients = await e.patients(KNOWN);
    assert.equal(patients.degraded, false);
    assert.equal(patients.totals.churnRisk, 4);
    const inventory = await e.inventory(KNOWN);
    assert.equal(inventory.degraded, false);
    assert.equal(inventory.totals.stockValue, '123890.00');
  } finally {
    await e.close();
  }
});

test('patients: activeWindowMonths is the extension\'s active_window_months, checked by core', async () => {
  for (const months of [1, 6, 18, 120]) {
    const node = await engine.patients({ ...DEMO, activeWindowMonths: months });
    const [{ r }] = await sql('SELECT odx_patients($1::bigint[], $2::date, $3::date, \'clinic\', $4) AS r',
      [DEMO.clinicIds, DEMO.from, DEMO.to, months]);
    assert.deepStrictEqual(node, asJs(r), `${months} months`);
  }
  const short = await engine.patients({ ...KNOWN, activeWindowMonths: 6 });
  assert.equal(short.totals.activePatients, 7);
  assert.equal(odx.validateScope({ ...KNOWN, activeWindowMonths: 6 }).activeWindowMonths, 6);
  assert.equal(odx.validateScope(KNOWN).activeWindowMonths, 18);
  await rejects(engine.patients({ ...KNOWN, activeWindowMonths: 0 }), 'ODX_INVALID_ARGUMENT', /active_window_months 0/);
  await rejects(engine.patients({ ...KNOWN, activeWindowMonths: 121 }), 'ODX_INVALID_ARGUMENT', /120/);
  await rejects(engine.patients({ ...KNOWN, activeWindowMonths: 1.5 }), 'ODX_INVALID_ARGUMENT', /activeWindowMonths/);
  await rejects(engine.patients({ ...KNOWN, activeWindowMonths: '6' }), 'ODX_INVALID_ARGUMENT', /activeWindowMonths/);
});

test('patients: the at-risk list, most valuable first, money as strings', async () => {
  const r = await engine.patients(KNOWN);
  assert.deepStrictEqual(r.totals.churnList.map((p) => [p.clinicId, p.patientId, p.lifetimeBilled, p.lastVisitOn]), [
    [1, 106, '5000.00', '2025-05-05'], [2, 203, '3000.00', '2025-08-15'], [1, 107, '0', '2025-01-01'],
    [1, 109, '0', '2025-09-30'],
  ]);
  assert.equal(r.totals.returningShare, 0.5);
});

test('inventory: rebalance suggestions cross branches, quantities as exact strings, cover as numbers', async () => {
  const r = await engine.inventory(KNOWN);
  assert.deepStrictEqual(r.totals.rebalance.map((l) => [l.sku, l.fromClinicId, l.toClinicId, l.qty]), [
    ['ANE-02', 2, 1, '28'], ['BUR-04', 2, 1, '15'], ['GLV-01', 1, 2, '50'],
  ]);
  assert.equal(r.totals.reorderItems[1].daysOfCover, 2.5);
  assert.equal(r.totals.reorderItems[3].daysOfCover, null);
  for (const row of r.perBranch) assert.deepStrictEqual(row.rebalance, []);
});

// A month in progress (EXPECTED.md): at each instant, the engine, the pure
// function and the extension read June the same way, and say when.
for (const asOf of AS_OF_CASES) {
  test(`every domain read at ${asOf}: engine == pure == the extension`, async () => {
    const scope = { ...KNOWN, asOf };
    const rows = await clinicRows(KNOWN.clinicIds);
    for (const domain of DOMAINS) {
      const node = await engine[domain](scope);
      assert.deepStrictEqual(node, await extension(domain, scope), domain);
      assert.deepStrictEqual(odx[domain](rows, scope), node, domain);
    }
  });
}

test('asOf: June read at noon on the 15th; epoch milliseconds are the same instant; the default is the call\'s time', async () => {
  const noon = await engine.financial({ ...KNOWN, asOf: '2026-06-15T12:00:00+05:00' });
  assert.equal(noon.asOf, '2026-06-15T07:00:00Z');
  assert.equal(noon.asOfDate, '2026-06-15');
  assert.equal(noon.totals.billed, '25000.00');
  assert.equal(noon.totals.arAging['90+'], '0');
  assert.deepStrictEqual(await engine.financial({ ...KNOWN, asOf: Date.parse('2026-06-15T07:00:00Z') }), noon);
  const ops = await engine.operations({ ...KNOWN, asOf: '2026-06-15T12:00:00+05:00' });
  assert.equal(ops.totals.appointments.missed, 1);
  // June 2026 is over by the time this runs: read as of its end
  assert.equal((await engine.financial({ ...KNOWN, clinicIds: [1] })).asOf, '2026-06-30T19:00:00Z');
  for (const asOf of ['June 15', '2026-06-15', {}, true, 1e300]) {
    await assert.rejects(engine.financial({ ...KNOWN, asOf }), (e) => e.code === 'ODX_INVALID_ARGUMENT' && /asOf/.test(e.message));
  }
});
