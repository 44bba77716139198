// The console calls through Node: the Command Center, the insights scope and
// permission decisions. The engine, the pure functions over rows and the
// extension answer the same, and refusals carry their codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { odx, url, sql, asJs, clinicRows } from './helpers.mjs';

let engine;
before(async () => { engine = await odx.Engine.connect(url); });
after(async () => { await engine.close(); });

const JUNE = { organizationId: 1, from: '2026-06-01', to: '2026-06-30' };

async function extensionCommand({ organizationId, from, to, asOf }) {
  const rows = asOf === undefined
    ? await sql('SELECT odx_command($1, $2::date, $3::date) AS r', [organizationId, from, to])
    : await sql('SELECT odx_command($1, $2::date, $3::date, as_of => $4::timestamptz) AS r', [organizationId, from, to, asOf]);
  return asJs(rows[0].r);
}

// Every row the console reads for an organization's branches, as a server holds them.
async function consoleRows(clinicIds) {
  const rows = await clinicRows(clinicIds);
  const typed = (r) => ({ ...r, organization_id: Number(r.organization_id), clinic_id: r.clinic_id === null ? null : Number(r.clinic_id) });
  rows.organizations = (await sql('SELECT * FROM app.organizations')).map((r) => ({ ...r, id: Number(r.id) }));
  rows.organization_clinics = (await sql('SELECT * FROM app.organization_clinics')).map(typed);
  rows.ops_targets = (await sql('SELECT id, organization_id, clinic_id, metric, value::text AS value, period FROM app.ops_targets')).map((r) => ({ ...typed(r), id: Number(r.id) }));
  rows.users = (await sql('SELECT id, clinic_id, name, role, status, hired_on::text AS hired_on FROM app.users')).map((r) => ({ ...r, id: Number(r.id), clinic_id: r.clinic_id === null ? null : Number(r.clinic_id) }));
  rows.user_organization_assignments = (await sql('SELECT * FROM app.user_organization_assignments'))
    .map((r) => ({ ...typed(r), user_id: Number(r.user_id) }));
  rows.clinics = (await sql('SELECT id, name, city, status, timezone FROM app.clinics')).map((r) => ({ ...r, id: Number(r.id) }));
  return rows;
}

test('command: the engine, the pure function and the extension agree', async () => {
  const rows = await consoleRows([1, 2]);
  const midJune = { ...JUNE, asOf: '2026-06-15T12:00:00+05:00' };
  for (const range of [JUNE, { ...JUNE, to: '2026-06-15' }, { ...JUNE, from: '2026-05-01' }, midJune]) {
    const want = await extensionCommand(range);
    assert.deepStrictEqual(await engine.command(range), want, `engine ${range.from}..${range.to}`);
    assert.deepStrictEqual(odx.command(rows, range), want, `pure ${range.from}..${range.to}`);
  }
  const june = await engine.command(JUNE);
  assert.equal(june.degraded, false);
  assert.equal(typeof june.billed, 'string');
  assert.equal(typeof june.revenueMtd.attainment, 'number');
  assert.ok(june.alerts.length > 0 && june.alerts.every((a) => typeof a.actual === 'string'));
  assert.deepStrictEqual(june.leaderboard.map((r) => r.rank), [1, 2]);
  const demo = { organizationId: 500, from: '2026-06-01', to: '2026-06-30' };
  assert.deepStrictEqual(await engine.command(demo), await extensionCommand(demo));
  // rate targets on enough volume only; minVolume overrides the defaults
  const statuses = (c) => c.targets.evaluations.map((e) => `${e.targetId}:${e.status}`);
  assert.ok(statuses(june).includes('2:insufficient_data'));
  const any = { ...JUNE, minVolume: { appointments: 0, invoices: 0, capacityHours: 0 } };
  const anyExt = asJs((await sql('SELECT odx_command(1, $1::date, $2::date, min_appointments => 0, min_invoices => 0, min_capacity_hours => 0) AS r', [JUNE.from, JUNE.to]))[0].r);
  assert.deepStrictEqual(await engine.command(any), anyExt);
  assert.deepStrictEqual(odx.command(rows, any), anyExt);
  assert.ok(statuses(anyExt).includes('2:breached'));
  for (const minVolume of [{ invoices: -1 }, { appointments: 1.5 }, 3]) {
    await assert.rejects(engine.command({ ...JUNE, minVolume }), { code: 'ODX_INVALID_ARGUMENT' });
  }
  // "this month" on the 15th: 15 of 30 days, the alerts of that day
  const mid = await engine.command(midJune);
  assert.equal(mid.asOf, '2026-06-15T07:00:00Z');
  assert.deepStrictEqual([mid.revenueMtd.elapsedDays, mid.revenueMtd.targetToDate], [15, '27500.00']);
  assert.deepStrictEqual(mid.alerts.map((a) => `${a.metric}:${a.clinicId ?? 'network'}:${a.severity}`),
    ['lab_overdue_max:1:critical', 'expense_ratio_max:2:critical', 'revenue_monthly:network:warning']);
});

test('command: some branches, and never a branch outside the organization or the principal', async () => {
  const one = await engine.command({ ...JUNE, clinicIds: [2] });
  assert.deepStrictEqual(one.clinicIds, [2]);
  const network = await engine.command(JUNE);
  assert.deepStrictEqual(one.leaderboard[0], { ...network.leaderboard.find((r) => r.clinicId === 2), rank: 1,
    worstNoShow: one.leaderboard[0].worstNoShow, largestAr90: one.leaderboard[0].largestAr90 });
  // one branch is not the network: the four network targets are counted, not judged (EXPECTED.md)
  assert.equal(one.targets.dataQuality.networkNotInScope, 4);
  assert.ok(one.alerts.every((a) => a.clinicId !== null));
  assert.equal(one.revenueMtd.targetMonthly, null);
  assert.equal(network.targets.dataQuality.networkNotInScope, 0);
  assert.deepStrictEqual(odx.command(await consoleRows([1, 2]), { ...JUNE, clinicIds: [2] }), one);
  await assert.rejects(engine.command({ ...JUNE, clinicIds: [501] }), { code: 'ODX_FORBIDDEN_SCOPE' });
  await assert.rejects(engine.command({ ...JUNE, allowedClinicIds: [2] }), { code: 'ODX_FORBIDDEN_SCOPE' });
  await assert.rejects(engine.command({ from: JUNE.from, to: JUNE.to }), { code: 'ODX_INVALID_ARGUMENT', message: /organizationId/ });
  assert.throws(() => odx.command({}, { ...JUNE, from: '2026-07-01' }), { code: 'ODX_INVALID_RANGE' });
});

test('insightsScope: engine == pure == extension, refusals typed', async () => {
  const rows = await consoleRows([1, 2]);
  const cases = [
    { userId: 90 }, { userId: 91 }, { userId: 90, focusClinicId: 2 }, { userId: 92 },
    { userId: 93, organizationId: 2 }, { userId: 50000001 }, { userId: 50000012 },
    { userId: 90, focusCity: ' dubai' }, { userId: 90, focusCity: 'Lahore', focusClinicId: 1 },
  ];
  for (const c of cases) {
    const ext = asJs((await sql('SELECT odx_insights_scope($1, $2, $3, $4) AS r',
      [c.userId, c.organizationId ?? null, c.focusClinicId ?? null, c.focusCity ?? null]))[0].r);
    assert.deepStrictEqual(await engine.insightsScope(c), ext, JSON.stringify(c));
    if (c.userId < 1000) assert.deepStrictEqual(odx.insightsScope(rows, c), ext, JSON.stringify(c));
  }
  assert.deepStrictEqual(await engine.insightsScope({ userId: 50000012 }),
    { userId: 50000012, organizationId: 500, role: 'branch_manager', level: 'branch', focus: null,
      focusCity: null, clinicIds: [502], activeClinicIds: [502] });
  assert.deepStrictEqual((await engine.insightsScope({ userId: 90, focusCity: 'Dubai' })).clinicIds, [2]);
  for (const [c, code] of [[{ userId: 11 }, 'ODX_NO_CONSOLE_ACCESS'], [{ userId: 95 }, 'ODX_INACTIVE_USER'],
    [{ userId: 91, focusClinicId: 1 }, 'ODX_FORBIDDEN_SCOPE'],
    [{ userId: 93 }, 'ODX_INVALID_ARGUMENT'], [{ userId: 'x' }, 'ODX_INVALID_ARGUMENT'],
    [{ userId: 91, focusCity: 'Lahore' }, 'ODX_FORBIDDEN_SCOPE'], [{ userId: 90, focusCity: 'Quetta' }, 'ODX_FORBIDDEN_SCOPE'],
    [{ userId: 90, focusCity: 'Dubai', focusClinicId: 1 }, 'ODX_FORBIDDEN_SCOPE'], [{ userId: 90, focusCity: 7 }, 'ODX_INVALID_ARGUMENT']]) {
    await assert.rejects(engine.insightsScope(c), { code }, JSON.stringify(c));
    assert.throws(() => odx.insightsScope(rows, c), { code }, JSON.stringify(c));
  }
  // An assignment whose user row is gone resolves to nothing either.
  const withoutUser = { ...rows, users: rows.users.filter((u) => u.id !== 90) };
  assert.throws(() => odx.insightsScope(withoutUser, { userId: 90 }), { code: 'ODX_UNKNOWN_USER' });
});

test('authorize: engine == pure == extension; camelCase resources; bad requests typed', async () => {
  const rows = await consoleRows([1, 2]);
  const cases = [
    [90, { action: 'clinic_admin', permission: 'appointments.edit' }, { kind: 'clinic', clinicId: 2 }, true],
    [92, { action: 'clinic_admin', permission: 'appointments.edit' }, { kind: 'clinic', clinicId: 2 }, false],
    [91, { action: 'view_insights' }, { kind: 'clinic', clinicId: 2 }, true],
    [91, { action: 'change_plan' }, { kind: 'organization', organizationId: 1 }, false],
    [21, { action: 'open_module', module: 'analytics' }, { kind: 'organization', organizationId: 1 }, false],
    [21, { action: 'view_template' }, { kind: 'template', organizationId: 1 }, true],
    [21, { action: 'delete_template' }, { kind: 'template', organizationId: 1, clinicId: null }, false],
    [90, { action: 'manage_targets' }, { kind: 'organization', organizationId: 1 }, true],
    // A deactivated org_admin: refused everything.
    [95, { action: 'view_insights' }, { kind: 'organization', organizationId: 1 }, false],
    [95, { action: 'clinic_admin', permission: 'appointments.edit' }, { kind: 'clinic', clinicId: 1 }, false],
  ];
  for (const [userId, action, resource, allowed] of cases) {
    const snake = Object.fromEntries(Object.entries(resource).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
    const ext = asJs((await sql('SELECT odx_authorize($1, $2, $3) AS r', [userId, action, snake]))[0].r);
    const params = { userId, action, resource };
    assert.deepStrictEqual(await engine.authorize(params), ext);
    assert.deepStrictEqual(odx.authorize(rows, params), ext);
    assert.equal(ext.allowed, allowed, JSON.stringify(params));
    if (userId === 95) assert.equal(ext.reason, 'inactive_user');
  }
  await assert.rejects(engine.authorize({ userId: 999, action: { action: 'change_plan' }, resource: { kind: 'organization', organizationId: 1 } }),
    { code: 'ODX_UNKNOWN_USER' });
  await assert.rejects(engine.authorize({ userId: 90, action: { action: 'fly' }, resource: { kind: 'organization', organizationId: 1 } }),
    { code: 'ODX_INVALID_ARGUMENT', message: /action/ });
  assert.throws(() => odx.authorize(rows, { userId: 90, action: { action: 'change_plan' } }),
    { code: 'ODX_INVALID_ARGUMENT', message: /resource/ });
});

async function extensionJson(text, args) {
  return asJs((await sql(`SELECT ${text} AS r`, args))[0].r);
}

test('digest, benchmark and networkOverview: engine == pure == extension', async () => {
  const rows = await consoleRows([1, 2]);
  for (const range of [JUNE, { ...JUNE, from: '2026-05-01', to: '2026-06-15' }]) {
    const want = await extensionJson('odx_digest($1, $2::date, $3::date)', [1, range.from, range.to]);
    assert.deepStrictEqual(await engine.digest(range), want);
    assert.deepStrictEqual(odx.digest(rows, range), want);
    for (const clinicId of [1, 2]) {
      const bench = await extensionJson('odx_benchmark($1, $2, $3::date, $4::date)', [1, clinicId, range.from, range.to]);
      assert.deepStrictEqual(await engine.benchmark({ ...range, clinicId }), bench);
      assert.deepStrictEqual(odx.benchmark(rows, { ...range, clinicId }), bench);
    }
  }
  const day = '2026-06-20';
  const overview = await extensionJson('odx_network_overview($1, $2::date)', [1, day]);
  assert.deepStrictEqual(await engine.networkOverview({ organizationId: 1, date: day }), overview);
  assert.deepStrictEqual(odx.networkOverview(rows, { organizationId: 1, date: day }), overview);
  assert.equal(overview.billed, '16000.00');
  assert.equal(typeof overview.branches[0].noShowRate, 'number');
  // June 18: the day's only appointment is cancelled: none are on (EXPECTED.md)
  const cancelled = await engine.networkOverview({ organizationId: 1, date: '2026-06-18' });
  assert.deepStrictEqual(cancelled, await extensionJson('odx_network_overview($1, $2::date)', [1, '2026-06-18']));
  assert.deepStrictEqual(odx.networkOverview(rows, { organizationId: 1, date: '2026-06-18' }), cancelled);
  assert.equal(cancelled.appointments, 0);
  const digest = await engine.digest(JUNE);
  assert.equal(digest.actions.length, 3);
  assert.ok(digest.actions.every((a) => typeof a.impact === 'string'));
});

test('benchmark: a branch manager benchmarks its own branch only', async () => {
  const own = await engine.benchmark({ ...JUNE, clinicId: 2, allowedClinicIds: [2] });
  assert.deepStrictEqual(own.clinicIds, [1, 2], 'compared with the whole network, seen through its median');
  await assert.rejects(engine.benchmark({ ...JUNE, clinicId: 1, allowedClinicIds: [2] }), { code: 'ODX_FORBIDDEN_SCOPE' });
  await assert.rejects(engine.benchmark({ ...JUNE, clinicId: 2, clinicIds: [1] }), { code: 'ODX_FORBIDDEN_SCOPE' });
  await assert.rejects(engine.benchmark(JUNE), { code: 'ODX_INVALID_ARGUMENT', message: /clinicId/ });
  await assert.rejects(engine.networkOverview({ organizationId: 1 }), { code: 'ODX_INVALID_ARGUMENT', message: /from/ });
});

test('toCsv: any per-branch table, properly quoted, money exact', async () => {
  const report = await engine.financial({ clinicIds: [1, 2], from: '2026-06-01', to: '2026-06-30' });
  const csv = odx.toCsv(report.perBranch);
  const lines = csv.trimEnd().split('\n');
  const header = lines[0].split(',');
  assert.deepStrictEqual(header.slice(0, 6), ['clinicId', 'branchName', 'city', 'doctorId', 'doctorName', 'billed']);
  assert.ok(header.includes('arAging.90+'), 'nested objects become dotted columns');
  assert.equal(lines[1].split(',')[5], report.perBranch[0].billed, 'money keeps its exact text');
  assert.ok(header.every((h) => !h.startsWith('trend')), 'the trend is a table of its own');
  // named: rates as percentages to one decimal, keyed lists as columns
  const typed = odx.toCsv(report.perBranch, 'financial').trimEnd().split('\n');
  const cols = typed[0].split(',');
  const cell = (name) => typed[1].split(',')[cols.indexOf(name)];
  assert.equal(cell('collectionRate'), `${(report.perBranch[0].collectionRate * 100).toFixed(1)}%`);
  assert.equal(cell('branchName'), 'KA Lahore');
  assert.ok(cell('paymentMix.cash.share').endsWith('%'));
  assert.throws(() => odx.toCsv(report.perBranch, 'finance'), { code: 'ODX_INVALID_ARGUMENT' });
  const command = await engine.command(JUNE);
  assert.equal(odx.toCsv(command.leaderboard).trimEnd().split('\n').length, 1 + command.leaderboard.length);
  // quoting: commas, quotes and line breaks survive
  const tricky = odx.toCsv([{ name: 'Gulberg, "Main"\nBranch', amount: '10.50', missing: null }]);
  assert.equal(tricky, 'name,amount,missing\n"Gulberg, ""Main""\nBranch",10.50,\n');
  assert.equal(odx.toCsv([]), '');
  assert.throws(() => odx.toCsv({}), { code: 'ODX_INVALID_ARGUMENT' });
  assert.throws(() => odx.toCsv([1, 2]), { code: 'ODX_INVALID_ARGUMENT' });
  assert.throws(() => odx.toCsv([{ n: 1n }]), { code: 'ODX_INVALID_ARGUMENT' });
});

test('compare: every domain against its previous period, engine == pure == extension', async () => {
  const rows = await clinicRows([1, 2]);
  for (const domain of ['financial', 'operations', 'accounting', 'lab', 'staff', 'clinical', 'patients', 'inventory']) {
    for (const scope of [{ clinicIds: [1, 2], from: '2026-06-01', to: '2026-06-30' }, { clinicIds: [2], from: '2026-05-10', to: '2026-06-30' }]) {
      const want = await extensionJson('odx_compare($1, $2::bigint[], $3::date, $4::date)', [domain, scope.clinicIds, scope.from, scope.to]);
      assert.deepStrictEqual(await engine.compare({ domain, ...scope }), want, `engine ${domain}`);
      assert.deepStrictEqual(odx.compare(rows, { domain, ...scope }), want, `pure ${domain}`);
    }
  }
  const june = await engine.compare({ domain: 'financial', clinicIds: [1, 2], from: '2026-06-01', to: '2026-06-30' });
  assert.deepStrictEqual([june.previousFrom, june.previousTo], ['2026-05-02', '2026-05-31']);
  const billed = june.totals.find((m) => m.metric === 'billed');
  assert.deepStrictEqual([billed.kind, billed.current, billed.previous, billed.change], ['amount', '50000.00', '19000.00', '31000.00']);
  const invoices = june.perBranch.find((m) => m.metric === 'invoice_count' && m.clinicId === 1);
  assert.equal(typeof invoices.current, 'number', 'counts are numbers');
  assert.equal(june.perBranch.find((m) => m.metric === 'billed' && m.clinicId === 1).share, 0.78);
  await assert.rejects(engine.compare({ domain: 'payroll', clinicIds: [1], from: '2026-06-01', to: '2026-06-30' }),
    { code: 'ODX_INVALID_ARGUMENT', message: /domain/ });
  await assert.rejects(engine.compare({ clinicIds: [1], from: '2026-06-01', to: '2026-06-30' }), { code: 'ODX_INVALID_ARGUMENT', message: /domain/ });
  await assert.rejects(engine.compare({ domain: 'lab', clinicIds: [1, 2], from: '2026-06-01', to: '2026-06-30', allowedClinicIds: [2] }),
    { code: 'ODX_FORBIDDEN_SCOPE' });
  assert.throws(() => odx.compare(rows, { domain: 'lab', clinicIds: [1], from: '2026-06-30', to: '2026-06-01' }), { code: 'ODX_INVALID_RANGE' });
});

test('forecasts: engine == pure == extension, never without their measured error', async () => {
  const rows = await clinicRows([1, 2]);
  for (const params of [{ clinicIds: [1, 2], asOf: '2026-06-15' }, { clinicIds: [2], asOf: '2026-06-30' }]) {
    const revenue = await extensionJson('odx_forecast_revenue($1::bigint[], $2::date)', [params.clinicIds, params.asOf]);
    assert.deepStrictEqual(await engine.forecastRevenue(params), revenue);
    assert.deepStrictEqual(odx.forecastRevenue(rows, params), revenue);
    const noShows = await extensionJson('odx_forecast_no_shows($1::bigint[], $2::date)', [params.clinicIds, params.asOf]);
    assert.deepStrictEqual(await engine.forecastNoShows(params), noShows);
    assert.deepStrictEqual(odx.forecastNoShows(rows, params), noShows);
  }
  const june = await engine.forecastRevenue({ clinicIds: [1, 2], asOf: '2026-06-15' });
  assert.equal(june.network.projected, '47000.00', 'money is a decimal string');
  assert.equal(typeof june.mape, 'number', 'the error is always there');
  assert.equal(june.backtest.length, 9);
  const demo = await engine.forecastNoShows({ clinicIds: [501, 502, 503, 504], asOf: '2026-06-21' });
  assert.equal(typeof demo.wape, 'number');
  assert.equal(demo.branches.reduce((a, b) => a + b.booked, 0), demo.network.booked);
  await assert.rejects(engine.forecastRevenue({ clinicIds: [1, 2], asOf: '2026-06-15', allowedClinicIds: [2] }), { code: 'ODX_FORBIDDEN_SCOPE' });
  await assert.rejects(engine.forecastNoShows({ clinicIds: [1] }), { code: 'ODX_INVALID_ARGUMENT', message: /asOf/ });
  assert.throws(() => odx.forecastRevenue(rows, { clinicIds: [1], asOf: '2026-02-30' }), { code: 'ODX_INVALID_ARGUMENT', message: /asOf/ });
});

test('the churn list: engine == pure == extension, with its precision and recall', async () => {
  const rows = await clinicRows([1, 2]);
  for (const params of [{ clinicIds: [1, 2], asOf: '2026-12-31' }, { clinicIds: [1], asOf: '2026-06-30' }]) {
    const churn = await extensionJson('odx_forecast_churn($1::bigint[], $2::date)', [params.clinicIds, params.asOf]);
    assert.deepStrictEqual(await engine.forecastChurn(params), churn);
    assert.deepStrictEqual(odx.forecastChurn(rows, params), churn);
  }
  // EXPECTED.md, "The churn forecast"
  const end = await engine.forecastChurn({ clinicIds: [1, 2], asOf: '2026-12-31' });
  assert.deepStrictEqual(end.list.map((p) => [p.clinicId, p.patientId, p.lifetimeBilled]),
    [[1, 102, '20000.00'], [2, 203, '3000.00'], [1, 107, '0'], [1, 108, '0'], [1, 109, '0'], [1, 110, '0']]);
  assert.deepStrictEqual([end.network.atRisk, end.precision, end.recall], [6, 0.8, 12 / 18]);
  assert.deepStrictEqual(end.backtest.map((c) => [c.cut, c.clinicId, c.flagged, c.wonBack, c.lapsed]), [
    ['2026-06-30', null, 6, 1, 6], ['2026-06-30', 1, 5, 1, 5], ['2026-06-30', 2, 1, 0, 1],
    ['2026-05-30', null, 5, 1, 6], ['2026-05-30', 1, 4, 1, 5], ['2026-05-30', 2, 1, 0, 1],
    ['2026-04-30', null, 4, 1, 6], ['2026-04-30', 1, 4, 1, 5], ['2026-04-30', 2, 0, 0, 1],
  ]);
  await assert.rejects(engine.forecastChurn({ clinicIds: [1, 2], asOf: '2026-12-31', allowedClinicIds: [1] }), { code: 'ODX_FORBIDDEN_SCOPE' });
  assert.throws(() => odx.forecastChurn(rows, { clinicIds: [1], asOf: 'December' }), { code: 'ODX_INVALID_ARGUMENT', message: /asOf/ });
});

test('an unknown organization is refused, never a zeroed report', async () => {
  const rows = await consoleRows([1, 2]);
  for (const what of ['command', 'digest']) {
    await assert.rejects(engine[what]({ ...JUNE, organizationId: 424242 }), { code: 'ODX_UNKNOWN_ORGANIZATION' });
    assert.throws(() => odx[what](rows, { ...JUNE, organizationId: 424242 }), { code: 'ODX_UNKNOWN_ORGANIZATION' });
  }
  await assert.rejects(engine.networkOverview({ organizationId: 424242, date: '2026-06-20' }), { code: 'ODX_UNKNOWN_ORGANIZATION' });
  await assert.rejects(engine.benchmark({ ...JUNE, organizationId: 424242, clinicId: 1 }), { code: 'ODX_UNKNOWN_ORGANIZATION' });
});

test('without the org layer the console is degraded, never an error; the domains still answer', async () => {
  const bare = await odx.Engine.connect(url.replace(/\/odx_test$/, '/odx_no_org'));
  try {
    const center = await bare.command(JUNE);
    assert.deepStrictEqual([center.degraded, center.missing], [true, ['app.ops_targets', 'app.organization_clinics', 'app.organizations']]);
    for (const answer of [await bare.digest(JUNE), await bare.networkOverview({ organizationId: 1, date: '2026-06-20' }),
      await bare.benchmark({ ...JUNE, clinicId: 1 })]) {
      assert.equal(answer.degraded, true);
    }
    const scope = await bare.insightsScope({ userId: 90 });
    assert.deepStrictEqual([scope.degraded, scope.module], [true, 'policy']);
    const fin = await bare.financial({ clinicIds: [1, 2], from: '2026-06-01', to: '2026-06-30' });
    assert.deepStrictEqual([fin.degraded, fin.totals.billed], [false, '50000.00']);
  } finally {
    await bare.close();
  }
});

test('without payroll the Command Center hides net profit and the expense ratio only', async () => {
  const partial = await odx.Engine.connect(url.replace(/\/odx_test$/, '/odx_no_payroll'));
  try {
    const c = await partial.command(JUNE);
    assert.deepStrictEqual([c.degraded, c.missing, c.netProfit, c.expenseRatio], [false, ['app.payroll'], null, null]);
    assert.equal(c.billed, '50000.00');
    assert.ok(c.leaderboard.every((r) => r.netProfit === null));
    // the engine and the extension agree on the partial database too
    const client = new pg.Client({ connectionString: url.replace(/\/odx_test$/, '/odx_no_payroll') });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT odx_command(1, $1::date, $2::date) AS r', [JUNE.from, JUNE.to]);
      assert.deepStrictEqual(c, asJs(rows[0].r));
    } finally {
      await client.end();
    }
  } finally {
    await partial.close();
  }
});
